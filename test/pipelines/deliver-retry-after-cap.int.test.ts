/**
 * A platform answering Retry-After for ever kept a deliver job for ever: every answer paused the
 * target queue and put the job back without spending an attempt. Like a sign job, a deliver job
 * waits so for an hour in all (MAX_RETRY_AFTER_DEFERRAL_MS, counted in its data); past it, the wait
 * is spent as an attempt, and the last attempt dead-letters its deliveries with a reason naming
 * the platform's repeated Retry-After. The job here starts 300 ms short of the hour against waits
 * of 200 ms: the first is still waited without an attempt, the next two spend its two attempts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { DELIVER_BACKOFF, MAX_RETRY_AFTER_DEFERRAL_MS } from '../../pipelines/delivery-policy.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { askedToWait } from '../support/retry-after-answers.js';
import { until } from '../support/until.js';
import { deliveriesWaitingForFile, PIPELINE } from './deliveries-waiting.js';

const RUN = 'retry-after-cap-run';
const BUSY = 'target province: batch upload to http://127.0.0.1:9 failed: HTTP 503 (SYSTEM_BUSY)';

let workers: WorkerSet | undefined;

/** A platform that asks every caller to wait 200 ms, at every request, for ever. */
let sends = 0;
const waiting: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
    sends += 1;
    return askedToWait(items, BUSY, 200);
  },
  close: async () => undefined,
};

const fixture = deliveriesWaitingForFile({ rows: 2, runId: RUN });

afterAll(async () => {
  await workers?.close();
});

describe("a deliver job past an hour of the platform's Retry-After", () => {
  it('spends its attempts and dead-letters its deliveries naming the repeated Retry-After', async () => {
    const { fx, ledger } = fixture;
    const { deliver } = fx;
    const versionIds = await fx.takeOver(waiting);

    const job = await deliver.add(
      'deliver',
      {
        pipeline: PIPELINE,
        runId: RUN,
        target: 'province',
        versionIds,
        deferredMs: MAX_RETRY_AFTER_DEFERRAL_MS - 300,
      },
      { attempts: 2, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    workers = fx.start(['deliver']);
    // Ended, or still asked after twice the requests it may make: a job kept for ever is the failure.
    await until(
      async () => sends >= 6 || (await deliver.getJob(job.id as string))?.finishedOn !== undefined,
      60_000,
    );
    await workers.close();
    workers = undefined;

    const done = await deliver.getJob(job.id as string);
    expect(done?.finishedOn).toBeDefined();
    expect(sends).toBe(3);
    // The wait within the hour was counted; the two past it were not.
    expect(done?.data.deferredMs).toBe(MAX_RETRY_AFTER_DEFERRAL_MS - 100);
    expect(done?.returnvalue).toMatchObject({ dead: versionIds.length });
    expect(done?.stacktrace?.[0]).toContain('asked to wait (Retry-After) again and again, 60 min in all');
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect(rows.map((r) => r.state)).toEqual(rows.map(() => 'dead'));
    for (const r of rows) {
      expect(r.reasons?.[0]).toMatch(
        /^deliver: target province asked to wait \(Retry-After\) again and again, 60 min in all, past the longest a deliver job waits without spending attempts; the last answer: deliver: \d+ of \d+ deliveries to province did not land yet: target province: batch upload .* HTTP 503 \(SYSTEM_BUSY\)$/,
      );
    }
  }, 90_000);
});
