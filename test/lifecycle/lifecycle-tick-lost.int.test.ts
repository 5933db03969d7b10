/**
 * A daily lifecycle tick a worker gives up (stalled out past its copy, or failed its last attempt) is a `status` finding
 * (`lifecycle-tick-lost`, in text and `--json`, whose kinds /metrics' attention gauge counts)
 * naming the day and the job, recorded in the ledger by the worker that settled the stall-out; a
 * whole tick that finishes after it settles the day and the line clears. The dying worker takes the
 * copy and never renews its lock; the live workers fail it at the first stall (`maxStalledCount: 0`).
 * The day is the one the tick ran as, in lifecycle.timeZone, not the day the loss is noticed.
 * Needs Redis and the demo workspace.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { addDays, localDate } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { recordLostTick } from '../../pipelines/lifecycle/lost-ticks.js';
import { lifecycleSettings } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { createQueues, LIFECYCLE_QUEUE, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const quiet = createLogger({ level: 'silent' });
let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let queues: QueueSet;
let workers: WorkerSet | undefined;
let dead: Worker | undefined;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 5 });
  config = await loadConfig({ file: ws.configFile, env: {} });
  rt = new Runtime(config, quiet);
  queues = createQueues(queueConnection(config.queue.redis), ws.prefix, ['province'], quiet);
}, 120_000);

afterAll(async () => {
  await dead?.close();
  await workers?.close();
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

const status = async () => {
  const r = await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile]);
  return JSON.parse(r.stdout) as { attention: string[]; attentionByKind: Record<string, number> };
};

it('a tick given up is a status line for its day until a whole tick finishes after it', async () => {
  const connection = queueConnection(config.queue.redis);
  // The tick's copy, queued once already: stalling out again gives it up.
  await queues.lifecycle.add('lifecycle', { stalledOut: 1 } as never, { jobId: 'tick-1-stalled-1' });
  dead = new Worker(LIFECYCLE_QUEUE, null, { connection, prefix: ws.prefix, lockDuration: 300 });
  expect((await dead.getNextJob(randomUUID()))?.id).toBe('tick-1-stalled-1');
  workers = startWorkers(rt, {
    connection,
    prefix: ws.prefix,
    queues,
    stages: ['lifecycle'],
    lockDurationMs: 5000,
    stalledIntervalMs: 200,
    maxStalledCount: 0,
  });
  const ledger = await rt.ledger();
  await until(async () => (await ledger.lostTicks.unsettled()).length > 0);
  await workers.close();
  workers = undefined;

  const [lost] = await ledger.lostTicks.unsettled();
  const before = await status();
  expect(before.attentionByKind['lifecycle-tick-lost']).toBe(1);
  const line = before.attention.find((a) => a.startsWith(`lifecycle: the tick of ${lost?.day} was lost`));
  expect(line).toContain('job tick-1-stalled-1 stalled out 2 times');
  expect(line).toContain('run `licbridge lifecycle run` now');
  const text = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
  expect(text.status).toBe(3);
  expect(text.stdout).toContain(`lifecycle: the tick of ${lost?.day} was lost`);

  // A rehearsal of a later day makes nothing good (a tick of some pipelines only neither:
  // lost-ticks-every-pipeline.int.test.ts, with two pipelines; this workspace has one).
  await lifecycleTick(rt, { today: '2099-01-01' });
  expect((await status()).attentionByKind['lifecycle-tick-lost']).toBe(1);

  await lifecycleTick(rt);
  expect((await status()).attentionByKind['lifecycle-tick-lost']).toBe(0);
  expect(await ledger.lostTicks.unsettled()).toEqual([]);
}, 90_000);

it('a tick that failed its last attempt is lost too, until a whole tick finishes after it', async () => {
  const connection = queueConnection(config.queue.redis);
  // A ledger that fails the tick's first read: the job's one attempt fails, not stalls.
  const failing = new Runtime(config, quiet);
  const ledger = await failing.ledger();
  ledger.lifecycleWatermark = async () => {
    throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: lifecycleWatermark: connection reset');
  };
  await queues.lifecycle.add('lifecycle', {}, { jobId: 'tick-2', attempts: 1 });
  workers = startWorkers(failing, { connection, prefix: ws.prefix, queues, stages: ['lifecycle'] });
  try {
    await until(async () => (await ledger.lostTicks.unsettled()).some((t) => t.jobId === 'tick-2'));
  } finally {
    await workers.close();
    workers = undefined;
    await failing.close();
  }
  const line = (await status()).attention.find((a) => a.includes('job tick-2'));
  expect(line).toContain('lifecycle: job tick-2 failed its last attempt (1 made;');
  expect(line).not.toContain('connection reset');

  await lifecycleTick(rt);
  expect(await (await rt.ledger()).lostTicks.unsettled()).toEqual([]);
}, 90_000);

it('a lost tick is of the day its last attempt was taken up, in lifecycle.timeZone', async () => {
  const zone = lifecycleSettings(config).timeZone;
  const today = localDate(zone);
  // Taken up three days ago (23:59 UTC), noticed lost today.
  const at = new Date(`${addDays(today, -3)}T23:59:00Z`);
  const day = localDate(zone, at);
  expect(day).not.toBe(today);
  await recordLostTick(rt, { id: 'tick-3', processedOn: at.getTime() }, 'lifecycle: job tick-3 stalled out');
  const ledger = await rt.ledger();
  expect((await ledger.lostTicks.unsettled()).map((t) => [t.jobId, t.day])).toEqual([['tick-3', day]]);
  // A tick started within the millisecond of the loss is not one started after it.
  await sleep(5);
  await lifecycleTick(rt);
  expect(await ledger.lostTicks.unsettled()).toEqual([]);
});
