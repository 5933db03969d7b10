/**
 * A signing server in maintenance answers sign requests with 503 and `Retry-After: 2`, longer
 * than this remote signer waits itself (its maxBackoffMs, 1 s here; 30 s unless set): the request
 * ends at once, retryable, carrying the
 * wait. The sign job waits those 2 s without spending an attempt and then signs. Before, the
 * worker spent its attempts on the refusals (the queue's eight, about a minute of backoff) and the
 * job failed for good, its versions left for the next run. The job here has three attempts 100 ms
 * apart, so the old failure shows in well under a second of the server's busy spell.
 */

import type { Job } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { MAX_RETRY_AFTER_DEFERRAL_MS } from '../../pipelines/delivery-policy.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, type QueueSet, type SignJobData } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { type BusySigningServer, startBusySigningServer } from '../support/busy-signing-server.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const RUN = 'maintenance-run';
const SEAL = '3702110000001';
const BUSY_MS = 1500;

let ws: DemoWorkspace;
let busy: BusySigningServer;
let config: Readonly<Config>;
let rt: Runtime;
let ledger: Ledger;
let queues: QueueSet;
let workers: WorkerSet | undefined;
const lines: Record<string, unknown>[] = [];

const start = (stages: ('extract' | 'sign')[]) =>
  startWorkers(rt, {
    connection: queueConnection(config.queue.redis),
    prefix: config.queue.prefix,
    queues,
    stages,
  });

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
  busy = await startBusySigningServer(ws.configFile, SEAL, { busyMs: BUSY_MS, retryAfterSeconds: 2 });
  config = await loadConfig({ file: ws.configFile });
  const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  rt = new Runtime(config, logger);
  ledger = await rt.ledger();
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
  workers = start(['extract']);
  await enqueueExtract(queues, { pipeline: PIPELINE, runId: RUN, full: true });
  await until(async () => Boolean((await ledger.getRun(RUN))?.extractedAt), 30_000);
  await workers.close();
  workers = undefined;
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await rt?.close();
  await busy?.close();
  await obliterate(ws.prefix);
  await ws.cleanup();
});

let versionIds: number[] = [];

/** One sign job of the run's versions, of three attempts 100 ms apart, run to its end. */
async function signOnce(deferredMs?: number): Promise<Job<SignJobData>> {
  const job = await queues.sign.add(
    'sign',
    { pipeline: PIPELINE, runId: RUN, versionIds, ...(deferredMs === undefined ? {} : { deferredMs }) },
    { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
  );
  workers ??= start(['sign']);
  await until(async () => ['completed', 'failed'].includes(await job.getState()), 70_000);
  return (await queues.sign.getJob(job.id as string)) as Job<SignJobData>;
}

it('a sign job that has waited out Retry-After for an hour in all spends its attempts again', async () => {
  // The run's sign jobs, taken off the queue: the tests add their own.
  const queued = (await queues.sign.getJobs(['waiting', 'delayed'])) as Job<SignJobData>[];
  versionIds = queued.flatMap((j) => j.data.versionIds);
  expect(versionIds.length).toBeGreaterThan(0);
  for (const j of queued) await j.remove();
  const done = await signOnce(MAX_RETRY_AFTER_DEFERRAL_MS - 1_000);
  expect(await done.getState()).toBe('failed');
  expect(done.attemptsMade).toBe(3);
  expect(done.failedReason).toMatch(/the server asks to wait 2 s \(Retry-After\)/);
  expect(done.data.deferredMs).toBe(MAX_RETRY_AFTER_DEFERRAL_MS - 1_000);
  const past = lines.filter((l) => String(l.msg).includes('past the longest a sign job waits'));
  expect(past).toHaveLength(3);
  expect(past[0]).toMatchObject({
    signer: 'district-seal',
    waitMs: 2_000,
    maxDeferralMs: MAX_RETRY_AFTER_DEFERRAL_MS,
  });
  expect(await ledger.getSignatures(versionIds)).toEqual([]);
  lines.length = 0;
  busy.reset();
});

it('a sign job waits out a Retry-After longer than the signer waits, without spending attempts, and signs', async () => {
  const done = await signOnce();
  expect({ state: await done.getState(), failedReason: done.failedReason }).toEqual({
    state: 'completed',
    failedReason: undefined,
  });
  // Deferred once, by the 2 s asked: its one sign request was refused, and it asked again only once
  // the server's busy spell (1.5 s) was over. Taken up again at once, it is refused again and again.
  expect(done.data.deferredMs).toBe(2_000);
  expect(busy.refused).toHaveLength(1);
  const signed = await ledger.getSignatures(versionIds);
  expect(
    signed
      .filter((s) => s.sealId === SEAL)
      .map((s) => s.versionId)
      .sort(),
  ).toEqual([...versionIds].sort());
  const waits = lines.filter((l) => String(l.msg).includes('without spending an attempt'));
  expect(waits).toHaveLength(1);
  expect(waits[0]).toMatchObject({ signer: 'district-seal', waitMs: 2_000, deferredMs: 2_000, runId: RUN });
}, 90_000);
