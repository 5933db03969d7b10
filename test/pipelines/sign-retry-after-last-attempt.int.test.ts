/**
 * A signing server answers every attempt of the remote signer's request with 503 and
 * `Retry-After: 1`, a wait the signer waits itself (its maxBackoffMs is 1 s): the first attempt
 * waits it, and the last attempt's Retry-After reaches the sign worker, which defers the job that
 * long without spending an attempt, as it does a wait longer than the signer's. Before, the last
 * attempt's wait was dropped: the job spent an attempt and asked again after its own backoff
 * (100 ms here), while the server was still in maintenance.
 */

import type { Job } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SignJobData } from '../../pipelines/queues.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { PIPELINE, type SignJobsWaiting, signJobsWaiting } from './sign-jobs-waiting.js';

const RUN = 'last-attempt-run';
// Longer than the signer's two attempts (one wait of 1 s between them), shorter than those and
// one deferral of 1 s and one more attempt.
const BUSY_MS = 2500;

let fx: SignJobsWaiting;
let workers: WorkerSet | undefined;

beforeAll(async () => {
  fx = await signJobsWaiting({ runId: RUN, busy: { busyMs: BUSY_MS, retryAfterSeconds: 1 } });
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

it("a sign job waits out the Retry-After of the signer's last attempt without spending an attempt, and signs", async () => {
  // The run's sign jobs, taken off the queue: one of three attempts 100 ms apart takes their place.
  const versionIds = await fx.takeQueued();
  const added = await fx.queues.sign.add(
    'sign',
    { pipeline: PIPELINE, runId: RUN, versionIds },
    { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
  );
  workers = fx.start(['sign']);
  await until(async () => ['completed', 'failed'].includes(await added.getState()), 30_000);
  const done = (await fx.queues.sign.getJob(added.id as string)) as Job<SignJobData>;
  expect({
    state: await done.getState(),
    attemptsMade: done.attemptsMade,
    deferredMs: done.data.deferredMs,
    // The signer's own wait of 1 s between its two attempts, and the job's of 1 s: a server asking
    // every attempt to wait kept a job `attempts` times the longest deferral, counted 1 s of 2.
  }).toEqual({ state: 'completed', attemptsMade: 1, deferredMs: 2_000 });
  const signed = await fx.ledger.getSignatures(versionIds);
  expect(signed.map((s) => s.versionId).sort()).toEqual([...versionIds].sort());
  const waits = fx.lines.filter((l) => String(l.msg).includes('without spending an attempt'));
  expect(waits).toHaveLength(1);
  expect(waits[0]).toMatchObject({ signer: 'district-seal', waitMs: 1_000, deferredMs: 2_000 });
  expect(waits[0]?.msg).toMatch(/longer than the signer waits, or on its last attempt/);
}, 60_000);
