/**
 * A lifecycle tick that failed its last attempt is recorded as lost (pipelines/workers.ts,
 * lifecycle/lost-ticks.ts). When that recording itself rejects, the worker says so at error: the
 * rejection was held only by the worker set's bounded close (core/within.ts), which counts a
 * rejection as settled, so it went unlogged — or ended the process as an unhandled rejection
 * before the close. Needs Redis and the demo workspace.
 */
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

// The recording's own failure: recordLostTick catches the ledger's, so only an unforeseen one
// (a bug, a logger that throws) rejects it. Simulated here, as nothing real can reach it.
vi.mock('../../pipelines/lifecycle/lost-ticks.js', async (original) => ({
  ...(await original<typeof import('../../pipelines/lifecycle/lost-ticks.js')>()),
  recordLostTick: () => Promise.reject(new Error('lost tick record: unexpected failure')),
}));

const lines: string[] = [];
const logger = createLogger({
  level: 'info',
  destination: new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  }),
});
let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let queues: QueueSet;
let workers: WorkerSet | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => {
  unhandled.push(e);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  ws = await createDemoWorkspace({ rows: 5 });
  config = await loadConfig({ file: ws.configFile, env: {} });
  rt = new Runtime(config, logger);
  queues = createQueues(queueConnection(config.queue.redis), ws.prefix, ['province'], logger);
}, 120_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
  process.off('unhandledRejection', onUnhandled);
});

it('a lost tick whose recording fails is logged at error, not left to the close', async () => {
  const ledger = await rt.ledger();
  // The tick's one attempt fails: its first read of the ledger is refused.
  ledger.lifecycleWatermark = async () => {
    throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: lifecycleWatermark: connection reset');
  };
  await queues.lifecycle.add('lifecycle', {}, { jobId: 'tick-unrecorded', attempts: 1 });
  workers = startWorkers(rt, {
    connection: queueConnection(config.queue.redis),
    prefix: ws.prefix,
    queues,
    stages: ['lifecycle'],
  });
  const told = () =>
    lines.find((l) => l.includes('tick-unrecorded') && l.includes('tick lost; not recorded'));
  const end = Date.now() + 30_000;
  while (!told() && unhandled.length === 0 && Date.now() < end) await sleep(100);
  expect(unhandled).toEqual([]);
  const line = JSON.parse(told() ?? '{}') as { level?: number; error?: string };
  expect(line.level).toBe(50);
  expect(line.error).toContain('failed its last attempt');
  expect(line.error).toContain('lost tick record: unexpected failure');
}, 60_000);
