/**
 * `licbridge dlq replay` whose Redis stops answering (its connections still open) leaves no
 * connection behind when it ends. Its stop closes its queues within a bound; BullMQ's close sends
 * QUIT and waits for the answer, which never comes, and the command went on past the bound with
 * the queues' connections still open. In a process that lives on (the dashboard's, a test's), they
 * stayed open for good, and once such a connection dropped, ioredis reconnected it and logged
 * every failed attempt there. A queue not closed in time is now dropped.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, DEMO_SECRET, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const BROKEN_CODES = '    codes: { holderIdType: { "001": X9 } }\n';

let ws: DemoWorkspace;
let slow: ProvinceSimulator;
let proxy: SilentProxy;
let good: string;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3, seed: 5 });
  proxy = await silentProxy(6379);
  // A platform that answers 2 s late: the replay is still waiting when Redis falls silent.
  slow = await startProvinceSimulator({
    port: 0,
    auth: { appKey: 'test-app', secret: DEMO_SECRET },
    faults: { latencyMs: 2000 },
  });
  good = (await readFile(ws.configFile, 'utf8'))
    .replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`)
    .replace(ws.simulator.url, slow.url);
  await writeFile(ws.configFile, good + BROKEN_CODES);
  const run = await licbridge(['run', PIPELINE, '--config', ws.configFile], { cwd: ws.dir });
  expect(run.status, run.stderr).toBe(3);
  await writeFile(ws.configFile, good);
  await until(() => proxy.open === 0, 20_000, { what: "the run's connections closed" });
}, 90_000);
afterAll(async () => {
  await proxy?.close();
  await slow?.close();
  await ws?.cleanup();
});

describe('dlq replay while Redis stops answering', () => {
  it('ends with none of its connections left open', async () => {
    const before = slow.stats().requests;
    const replay = licbridge(['dlq', 'replay', '--all', '--wait-seconds', '5', '--config', ws.configFile], {
      cwd: ws.dir,
    });
    // Enqueued and sent: the platform holds the request for 2 s.
    await until(() => slow.stats().requests > before, 20_000, { what: 'a replayed delivery sent' });
    proxy.silence();
    const outcome = await replay;
    expect(outcome.status, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/^replayed (\d+); accepted \1; dead again 0\n$/);
    // Every connection the command opened is closed by the time it returned (closes are seen
    // here a moment later).
    await until(() => proxy.open === 0, 5_000, { what: "the replay's connections closed" }).catch(
      () => undefined,
    );
    expect(proxy.open).toBe(0);
  }, 90_000);
});
