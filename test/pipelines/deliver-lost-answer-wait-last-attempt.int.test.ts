/**
 * A deliver job past its hour of the platform's Retry-After spends its attempts, and its last one
 * dead-letters what is still open with the job's error (deliver-worker.ts). When that error is a
 * status request about a lost answer answered with Retry-After, the job's other open deliveries
 * were held back by the same wait, never sent: the dead letters said '1 of 3 deliveries did not
 * land yet: the platform could not be asked whether it holds them', a reason that was not theirs.
 * They now say those were held back by the wait, and count them.
 */
import { describe, expect, it } from 'vitest';
import type {
  DeliveryItem,
  DeliveryOutcome,
  SubmittedDelivery,
  TargetAdapter,
} from '../../adapters/platforms/target.js';
import { sealIdOf } from '../../config/seal-id.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { DELIVER_BACKOFF, MAX_RETRY_AFTER_DEFERRAL_MS } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { deliveriesWaitingForFile, PIPELINE } from './deliveries-waiting.js';

const RUN = 'lost-answer-wait-last-attempt-run';
const LOST = 'target province: batch upload to http://127.0.0.1:9 failed: timed out after 1000 ms';
const BUSY = 'target province: status request to http://127.0.0.1:9 failed: HTTP 503 (SYSTEM_BUSY)';

/** Batches that reached the platform, each a list of keys. */
const sent: string[][] = [];
/** A platform whose every send loses its answer, and whose status request asks to wait a minute. */
const platform: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
    sent.push(items.map((i) => i.key));
    throw new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, LOST, {
      retryable: true,
      context: { target: 'province' },
    });
  },
  poll: async (asked: readonly SubmittedDelivery[]): Promise<DeliveryOutcome[]> =>
    asked.map((a) => ({
      key: a.key,
      state: 'failed',
      retryable: true,
      unverified: true,
      reasons: [BUSY],
      retryAfterMs: 60_000,
    })),
  close: async () => undefined,
};

const fixture = deliveriesWaitingForFile({ rows: 3, runId: RUN });

describe("a deliver job's last attempt whose status request about a lost answer asked to wait", () => {
  it('dead-letters the deliveries the wait held back saying so', async () => {
    const { fx, ledger } = fixture;
    const versionIds = await fx.takeOver(platform);
    const [lost, ...others] = versionIds;
    if (lost === undefined || others.length === 0) throw new Error('two versions or more expected');
    const sealId = sealIdOf(fx.rt.config, (await fx.rt.pipeline(PIPELINE)).config);
    await expect(deliverVersions(platform, sealId, ledger, [lost])).rejects.toMatchObject({
      retryable: true,
    });
    expect(sent).toHaveLength(1);

    // Its hour of waits spent, and one attempt: the status request's answer comes to the last one.
    const job = await fx.deliver.add(
      'deliver',
      {
        pipeline: PIPELINE,
        runId: RUN,
        target: 'province',
        versionIds,
        deferredMs: MAX_RETRY_AFTER_DEFERRAL_MS,
      },
      { attempts: 1, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    await fx.deliverUntilFinished([job.id], 30_000);

    const done = await fx.deliver.getJob(job.id as string);
    expect(done?.returnvalue).toMatchObject({ dead: versionIds.length });
    // Nothing sent again: the status request alone.
    expect(sent).toHaveLength(1);
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect(rows.map((r) => r.state)).toEqual(rows.map(() => 'dead'));
    // Every one counted, and the ones never sent named as held back by the wait: the count was
    // the unasked one alone ('1 of 3'), the others' why left out.
    const n = versionIds.length;
    for (const r of rows)
      expect(r.reasons?.[0]).toMatch(
        new RegExp(
          `^deliver: target province asked to wait \\(Retry-After\\) again and again, 60 min in all, .*; the last answer: deliver: ${n} of ${n} deliveries to province did not land yet: the platform could not be asked whether it holds them: .*HTTP 503 \\(SYSTEM_BUSY\\); ${n - 1} not sent: the platform asked every caller to wait \\(Retry-After\\)$`,
        ),
      );
  }, 60_000);
});
