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
const MID_ROWS = 120;

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

it('a run whose Redis keys vanish mid-extraction finishes done, every version delivered once', async () => {
  // 24 pages of 5: the extract job is held by the run's worker when the keys go, with pages still
  // to read after it (300 rows, 60 pages, read more of the same).
  const mid = await createDemoWorkspace({ rows: MID_ROWS, seed: 8 });
  await writeFile(
    mid.configFile,
    demoConfigYaml({ prefix: mid.prefix, simulatorUrl: mid.simulator.url }).replace(
      'pageSize: 100',
      'pageSize: 5',
    ),
  );
  const midLedger = await openLedger(`sqlite://${join(mid.dir, 'data', 'ledger.db')}`, {
    logger: quietLogger,
  });
  try {
    const run = licbridge(['run', '--all', '--json', '--config', mid.configFile], {
      timeoutMs: 240_000,
      env: { LICBRIDGE_LOG_LEVEL: 'silent' },
    });
    let ended = false;
    void run.finally(() => {
      ended = true;
    });
    let extracting = false;
    let readAtWipe = 0;
    await until(
      async () => {
        const [r] = await midLedger.runningRuns();
        extracting = r !== undefined && r.created > 0 && r.extractedAt == null;
        readAtWipe = r?.read ?? 0;
        return ended || extracting;
      },
      120_000,
      { what: 'a run part-way through its extraction', every: 10 },
    );
    if (ended) expect.fail(JSON.stringify(await run));
    await obliterate(mid.prefix);

    const r = await run;
    expect(r.status, r.stderr).toBe(0);
    const [summary] = (
      JSON.parse(r.stdout) as { runs: { state: string; read: number; delivered: Record<string, number> }[] }
    ).runs;
    const versions = await midLedger.versionPage({ afterVersionId: 0, limit: 100_000, pipeline: PIPELINE });
    expect(summary?.state).toBe('done');
    expect(readAtWipe).toBeLessThan(MID_ROWS);
    expect(summary?.read).toBe(MID_ROWS);
    expect(summary?.delivered.province).toBe(versions.length);
    expect(mid.simulator.stats().accepted).toBe(versions.length);
    expect(mid.simulator.stats().duplicates).toBe(0);
    expect(await midLedger.pipelineBacklog(PIPELINE, SEAL, ['province'])).toEqual({
      unsigned: 0,
      undelivered: { province: 0 },
    });
    expect(await midLedger.runningRuns()).toEqual([]);
  } finally {
    await midLedger.close();
    await mid.cleanup();
  }
}, 300_000);
