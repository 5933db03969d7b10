/**
 * A signing server answers every attempt of the remote signer's request with 503 and
 * `Retry-After: 1`, a wait the signer waits itself (its maxBackoffMs is 1 s): the first attempt
 * waits it, and the last attempt's Retry-After reaches the sign worker, which defers the job that
 * long without spending an attempt, as it does a wait longer than the signer's. Before, the last
 * attempt's wait was dropped: the job spent an attempt and asked again after its own backoff
 * (100 ms here), while the server was still in maintenance.
 */

import type { Job } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, type QueueSet, type SignJobData } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { type BusySigningServer, startBusySigningServer } from '../support/busy-signing-server.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const RUN = 'last-attempt-run';
const SEAL = '3702110000001';
// Longer than the signer's two attempts (one wait of 1 s between them), shorter than those and
// one deferral of 1 s and one more attempt.
const BUSY_MS = 2500;

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
  busy = await startBusySigningServer(ws.configFile, SEAL, { busyMs: BUSY_MS, retryAfterSeconds: 1 });
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

it("a sign job waits out the Retry-After of the signer's last attempt without spending an attempt, and signs", async () => {
  // The run's sign jobs, taken off the queue: one of three attempts 100 ms apart takes their place.
  const queued = (await queues.sign.getJobs(['waiting', 'delayed'])) as Job<SignJobData>[];
  const versionIds = queued.flatMap((j) => j.data.versionIds);
  expect(versionIds.length).toBeGreaterThan(0);
  for (const j of queued) await j.remove();
  const added = await queues.sign.add(
    'sign',
    { pipeline: PIPELINE, runId: RUN, versionIds },
    { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
  );
  workers = start(['sign']);
  await until(async () => ['completed', 'failed'].includes(await added.getState()), 30_000);
  const done = (await queues.sign.getJob(added.id as string)) as Job<SignJobData>;
  expect({
    state: await done.getState(),
    attemptsMade: done.attemptsMade,
    deferredMs: done.data.deferredMs,
  }).toEqual({ state: 'completed', attemptsMade: 1, deferredMs: 1_000 });
  const signed = await ledger.getSignatures(versionIds);
  expect(signed.map((s) => s.versionId).sort()).toEqual([...versionIds].sort());
  const waits = lines.filter((l) => String(l.msg).includes('without spending an attempt'));
  expect(waits).toHaveLength(1);
  expect(waits[0]).toMatchObject({ signer: 'district-seal', waitMs: 1_000, deferredMs: 1_000 });
  expect(waits[0]?.msg).toMatch(/longer than the signer waits, or on its last attempt/);
}, 60_000);
