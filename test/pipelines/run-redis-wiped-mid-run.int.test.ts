/**
 * Redis loses every key of the deployment while `licbridge run` is delivering (a restart without
 * persistence, a flush): the jobs its workers hold vanish under them, and so do those waiting.
 * The ledger still knows what each version needs. The run must neither crash nor hang nor end
 * `done` with versions undelivered: its sweep queues again what the ledger owes, and every
 * version lands at the platform once. Needs Redis; only this test's prefix is wiped.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger } from '../ledger/backends.js';
import { licbridge } from '../support/cli.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
  obliterate,
} from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const SEAL = '3702110000001';

let ws: DemoWorkspace;
let slow: ProvinceSimulator;
let ledger: Ledger;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 250, seed: 3 });
  // A platform slow enough that deliver jobs are held by the run's workers when the keys go.
  slow = await startProvinceSimulator({
    port: 0,
    auth: { appKey: 'test-app', secret: DEMO_SECRET },
    faults: { latencyMs: 150 },
  });
  await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: slow.url }));
  ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`, { logger: quietLogger });
}, 120_000);

afterAll(async () => {
  await ledger?.close();
  await slow?.close();
  await ws?.cleanup();
});

it('a run whose Redis keys vanish mid-delivery finishes done, every version delivered once', async () => {
  const run = licbridge(['run', '--all', '--json', '--config', ws.configFile], {
    timeoutMs: 240_000,
    env: { LICBRIDGE_LOG_LEVEL: 'silent' },
  });
  let ended = false;
  void run.finally(() => {
    ended = true;
  });
  await until(() => ended || slow.stats().accepted > 0, 120_000, { what: 'a first delivery' });
  // Ended before any delivery: say how.
  if (ended) expect.fail(JSON.stringify(await run));
  await obliterate(ws.prefix);
  const wipedAt = slow.stats().accepted;

  const r = await run;
  expect(r.status, r.stderr).toBe(0);
  const [summary] = (
    JSON.parse(r.stdout) as { runs: { state: string; created: number; delivered: Record<string, number> }[] }
  ).runs;
  const versions = await ledger.versionPage({ afterVersionId: 0, limit: 100_000, pipeline: PIPELINE });
  expect(summary?.state).toBe('done');
  expect(summary?.created).toBe(versions.length);
  expect(summary?.delivered.province).toBe(versions.length);
  // The wipe came before the last delivery, and what followed was sent, each version once.
  expect(wipedAt).toBeLessThan(versions.length);
  expect(slow.stats().accepted).toBe(versions.length);
  expect(slow.stats().duplicates).toBe(0);
  expect(await ledger.pipelineBacklog(PIPELINE, SEAL, ['province'])).toEqual({
    unsigned: 0,
    undelivered: { province: 0 },
  });
  expect(await ledger.runningRuns()).toEqual([]);
}, 300_000);
