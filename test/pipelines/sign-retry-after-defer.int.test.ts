/**
 * A signing server in maintenance answers sign requests with 503 and `Retry-After: 2`, longer
 * than this remote signer waits itself (its maxBackoffMs, 1 s here; 30 s unless set): the request
 * ends at once, retryable, carrying the
 * wait. The sign job waits those 2 s without spending an attempt and then signs. Before, the
 * worker spent its attempts on the refusals (the queue's eight, about a minute of backoff) and the
 * job failed for good, its versions left for the next run. The job here has three attempts 100 ms
 * apart, so the old failure shows in well under a second of the server's busy spell.
 *
 * The first test's server stays busy for the whole test (a minute): each of its job's attempts must
 * be refused however far apart a loaded machine spreads them (a 1.5 s spell let the third attempt,
 * taken up late, sign). The second test's spell is 1.5 s, shorter than the 2 s asked.
 */

import type { Job } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_DEFERRAL_MS } from '../../pipelines/delivery-policy.js';
import type { SignJobData } from '../../pipelines/queues.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { PIPELINE, SEAL, type SignJobsWaiting, signJobsWaiting } from './sign-jobs-waiting.js';

const RUN = 'maintenance-run';
const BUSY_MS = 1500;
/** As long as the first test may take (its 60 s timeout): busy for the whole of it. */
const BUSY_ALL_TEST_MS = 60_000;

let fx: SignJobsWaiting;
let workers: WorkerSet | undefined;

beforeAll(async () => {
  fx = await signJobsWaiting({ runId: RUN, busy: { busyMs: BUSY_ALL_TEST_MS, retryAfterSeconds: 2 } });
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

let versionIds: number[] = [];

/** One sign job of the run's versions, of three attempts 100 ms apart, run to its end. */
async function signOnce(deferredMs?: number): Promise<Job<SignJobData>> {
  const job = await fx.queues.sign.add(
    'sign',
    { pipeline: PIPELINE, runId: RUN, versionIds, ...(deferredMs === undefined ? {} : { deferredMs }) },
    { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
  );
  workers ??= fx.start(['sign']);
  await until(async () => ['completed', 'failed'].includes(await job.getState()), 70_000);
  return (await fx.queues.sign.getJob(job.id as string)) as Job<SignJobData>;
}

it('a sign job that has waited out Retry-After for an hour in all spends its attempts again', async () => {
  // The run's sign jobs, taken off the queue: the tests add their own.
  versionIds = await fx.takeQueued();
  const done = await signOnce(MAX_RETRY_AFTER_DEFERRAL_MS - 1_000);
  expect(await done.getState()).toBe('failed');
  expect(done.attemptsMade).toBe(3);
  expect(done.failedReason).toMatch(/the server asks to wait 2 s \(Retry-After\)/);
  expect(done.data.deferredMs).toBe(MAX_RETRY_AFTER_DEFERRAL_MS - 1_000);
  const past = fx.lines.filter((l) => String(l.msg).includes('past the longest a sign job waits'));
  expect(past).toHaveLength(3);
  expect(past[0]).toMatchObject({
    signer: 'district-seal',
    waitMs: 2_000,
    maxDeferralMs: MAX_RETRY_AFTER_DEFERRAL_MS,
  });
  expect(await fx.ledger.getSignatures(versionIds)).toEqual([]);
  fx.lines.length = 0;
  fx.busy.reset(BUSY_MS);
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
  expect(fx.busy.refused).toHaveLength(1);
  const signed = await fx.ledger.getSignatures(versionIds);
  expect(
    signed
      .filter((s) => s.sealId === SEAL)
      .map((s) => s.versionId)
      .sort(),
  ).toEqual([...versionIds].sort());
  const waits = fx.lines.filter((l) => String(l.msg).includes('without spending an attempt'));
  expect(waits).toHaveLength(1);
  expect(waits[0]).toMatchObject({ signer: 'district-seal', waitMs: 2_000, deferredMs: 2_000, runId: RUN });
}, 90_000);
