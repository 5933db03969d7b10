/**
 * `licbridge dlq replay` whose Redis goes away while it waits ends all the same. It works the
 * replayed deliveries with workers of its own, and closed them, its queues and its connections
 * without a bound: BullMQ's close of a worker whose blocking connection is reconnecting never ends
 * (pipelines/workers/stop-hard.ts), so the command never returned after its deliveries were final.
 * Uses a `redis-server` of this test's own (the shared one is never stopped).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, DEMO_SECRET, type DemoWorkspace } from '../support/demo-workspace.js';
import { type LoneRedis, startLoneRedis } from '../support/redis-servers.js';

const PIPELINE = 'food-business-licenses';
const BROKEN_CODES = '    codes: { holderIdType: { "001": X9 } }\n';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let ws: DemoWorkspace;
let slow: ProvinceSimulator;
let redis: LoneRedis;
let good: string;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3, seed: 3 });
  redis = await startLoneRedis();
  // A platform that answers 2 s late: the replay is still waiting when Redis goes away.
  slow = await startProvinceSimulator({
    port: 0,
    auth: { appKey: 'test-app', secret: DEMO_SECRET },
    faults: { latencyMs: 2000 },
  });
  good = (await readFile(ws.configFile, 'utf8'))
    .replace('redis://127.0.0.1:6379', redis.url)
    .replace(ws.simulator.url, slow.url);
  await writeFile(ws.configFile, good + BROKEN_CODES);
  const run = await licbridge(['run', PIPELINE, '--config', ws.configFile], { cwd: ws.dir });
  expect(run.status, run.stderr).toBe(3);
  await writeFile(ws.configFile, good);
}, 90_000);
afterAll(async () => {
  await redis?.stop();
  await slow?.close();
  await ws?.cleanup();
});

describe('dlq replay while Redis goes away', () => {
  it('ends once its wait is over, its deliveries written to the ledger', async () => {
    const before = slow.stats().requests;
    const replay = licbridge(['dlq', 'replay', '--all', '--wait-seconds', '5', '--config', ws.configFile], {
      cwd: ws.dir,
    });
    // Enqueued and sent: the platform holds the request for 2 s.
    const end = Date.now() + 20_000;
    while (slow.stats().requests === before && Date.now() < end) await sleep(50);
    expect(slow.stats().requests).toBeGreaterThan(before);
    await redis.stop();
    const outcome = await Promise.race([replay, sleep(40_000).then(() => 'still running' as const)]);
    expect(outcome).not.toBe('still running');
    if (outcome === 'still running') return;
    // Every replayed delivery accepted, as the ledger says; the workers were stopped hard.
    expect(outcome.stdout).toMatch(/^replayed (\d+); accepted \1; dead again 0\n$/);
    expect(outcome.status).toBe(0);
    expect(outcome.stderr).toContain('dlq replay: workers did not stop in time; stopping hard');
  }, 90_000);
});
