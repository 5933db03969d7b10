/**
 * A renewal, change or transfer-in goes to a target only once the license it continues (named as
 * `previousIdentifier`) is accepted there (ledger/delivery-order.ts `continuedVersions`), so while
 * the platform still reviews that license the renewal waits on the same review. A run's progress
 * counted in `inReview` only the versions behind an earlier version of their own license: a run
 * whose work was done but for such a review was not one of "only reviews left", and `licbridge
 * status` showed it `delivering`. Its later versions, behind its first, wait on that review too.
 * One behind a dead letter, or one whose predecessor was accepted, is not counted. Both ledgers.
 */
import { describe, expect, it } from 'vitest';
import { onlyReviewsLeft } from '../../pipelines/run-review.js';
import { BACKENDS } from './backends.js';
import { continuedReviewLedger, licenseAndRenewal } from './continued-review-fixture.js';

const SEAL = 'seal-c';
const TARGETS = ['province'];

describe.each(BACKENDS)('versions held behind the review of the license they continue ($name)', (backend) => {
  const l = continuedReviewLedger(backend, SEAL);
  const { signedRun } = l;
  const progressOf = (runId: string) => l.ledger.runProgress(runId, SEAL, TARGETS);

  it('counts a renewal waiting on the review of the license it continues', async () => {
    const { pipeline, before, renewal } = licenseAndRenewal();
    const { runId, keys } = await signedRun(pipeline, [before, renewal]);
    await l.ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
    ]);

    const progress = await progressOf(runId);
    expect(progress.inReview).toEqual({ province: 2 });
    expect(onlyReviewsLeft(progress, TARGETS)).toBe(true);

    // The review ends accepted: the renewal waits on nothing, and is no longer counted.
    await l.ledger.recordDeliveryOutcomes([{ key: keys[0] as string, state: 'accepted', platformId: 'P-1' }]);
    expect((await progressOf(runId)).inReview).toBeUndefined();
  });

  it("counts the renewal's later version, held behind its first", async () => {
    const { pipeline, before, renewal } = licenseAndRenewal();
    const first = await signedRun(pipeline, [before, renewal]);
    await l.ledger.recordDeliveryOutcomes([
      { key: first.keys[0] as string, state: 'submitted', platformId: 'P-1' },
    ]);
    const second = await signedRun(pipeline, [{ ...renewal, contentHash: 'hash:changed:valid' }]);
    const progress = await progressOf(second.runId);
    expect(progress.inReview).toEqual({ province: 1 });
    expect(onlyReviewsLeft(progress, TARGETS)).toBe(true);
  });

  it('does not count a renewal behind a dead letter', async () => {
    const { pipeline, before, renewal } = licenseAndRenewal();
    const { runId, keys } = await signedRun(pipeline, [before, renewal]);
    await l.ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
    ]);
    await l.ledger.recordDeliveryOutcomes([{ key: keys[0] as string, state: 'rejected', reasons: ['bad'] }]);
    expect((await progressOf(runId)).inReview).toBeUndefined();
  });

  it('reads a first version whose text names no identifier as continuing nothing', async () => {
    const { pipeline, before, renewal } = licenseAndRenewal();
    const { runId, keys } = await signedRun(pipeline, [before, renewal]);
    await l.ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
    ]);
    // Texts edited by hand: a name too short to hold a version, and one whose version is no number.
    await l.renamedEach(renewal.licenseId, ['', 'X', `${before.licenseId}.0A1.F`], async (named) => {
      expect((await progressOf(runId)).inReview, named).toEqual({ province: 1 });
    });
  });
});
