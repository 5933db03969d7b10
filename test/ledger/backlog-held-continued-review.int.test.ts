/**
 * A renewal, change or transfer-in goes to a target only once the license it continues is accepted
 * there, so while the platform reviews that license the renewal waits on the same review. The
 * pipeline backlog counted in `inReview` only the versions held behind an earlier version of their
 * own license: a pipeline whose work was done but for such a review was not one of only reviews
 * left, so `licbridge status` showed it delivering and `licbridge run` stopped at its idle timeout
 * ("nothing moved") instead of waiting out the review. Each held version is counted once; one
 * behind a dead letter, or behind a review that ended accepted, is not. Both ledgers.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';
import { continuedReviewLedger, licenseAndRenewal } from './continued-review-fixture.js';

const SEAL = 'seal-c';
const TARGETS = ['province'];

describe.each(BACKENDS)(
  'pipeline backlog held behind the review of the license continued ($name)',
  (backend) => {
    const l = continuedReviewLedger(backend, SEAL);
    const { signedRun } = l;
    const backlogOf = (pipeline: string) => l.ledger.pipelineBacklog(pipeline, SEAL, TARGETS);

    it('counts a renewal waiting on the review of the license it continues as in review', async () => {
      const { pipeline, before, renewal } = licenseAndRenewal();
      const { keys } = await signedRun(pipeline, [before, renewal]);
      await l.ledger.recordDeliveryOutcomes([
        { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
      ]);
      expect(await backlogOf(pipeline)).toEqual({
        unsigned: 0,
        undelivered: { province: 2 },
        inReview: { province: 2 },
      });

      // The review ends accepted: the renewal waits on nothing.
      await l.ledger.recordDeliveryOutcomes([
        { key: keys[0] as string, state: 'accepted', platformId: 'P-1' },
      ]);
      expect((await backlogOf(pipeline)).inReview).toBeUndefined();
    });

    it("counts the renewal's later version, held behind its first", async () => {
      const { pipeline, before, renewal } = licenseAndRenewal();
      const { keys } = await signedRun(pipeline, [before, renewal]);
      await l.ledger.recordDeliveryOutcomes([
        { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
      ]);
      await signedRun(pipeline, [{ ...renewal, contentHash: 'hash:changed:valid' }]);
      expect((await backlogOf(pipeline)).inReview).toEqual({ province: 3 });
    });

    it('counts once a version held both behind its own first version and the license continued', async () => {
      const { pipeline, before, renewal } = licenseAndRenewal();
      const { keys } = await signedRun(pipeline, [before, renewal]);
      // Both in review (the continued one reopened by a replay, say): the renewal's second version
      // is held behind the two reviews, and is one version.
      await l.ledger.recordDeliveryOutcomes([
        { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
        { key: keys[1] as string, state: 'submitted', platformId: 'P-2' },
      ]);
      await signedRun(pipeline, [{ ...renewal, contentHash: 'hash:changed:valid' }]);
      expect((await backlogOf(pipeline)).inReview).toEqual({ province: 3 });
    });

    it('does not count a renewal behind a dead letter', async () => {
      const { pipeline, before, renewal } = licenseAndRenewal();
      const { keys } = await signedRun(pipeline, [before, renewal]);
      await l.ledger.recordDeliveryOutcomes([
        { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
      ]);
      await l.ledger.recordDeliveryOutcomes([
        { key: keys[0] as string, state: 'rejected', reasons: ['bad'] },
      ]);
      expect((await backlogOf(pipeline)).inReview).toBeUndefined();
    });

    it('reads a first version whose text names no identifier as continuing nothing', async () => {
      const { pipeline, before, renewal } = licenseAndRenewal();
      const { keys } = await signedRun(pipeline, [before, renewal]);
      await l.ledger.recordDeliveryOutcomes([
        { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
      ]);
      // Texts edited by hand: a name too short to hold a version, and one whose version is no number.
      await l.renamedEach(renewal.licenseId, ['', 'X', `${before.licenseId}.0A1.F`], async (named) => {
        expect((await backlogOf(pipeline)).inReview, named).toEqual({ province: 1 });
      });
    });
  },
);
