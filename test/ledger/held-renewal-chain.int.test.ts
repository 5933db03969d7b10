/**
 * A renewal of a renewal waits on the first license's review through the one between: C continues
 * B, B continues A, A is in review. The deliver stage holds B behind A and C behind B
 * (ledger/delivery-order.ts), so all three wait on A's review. A run's progress and the pipeline
 * backlog counted A and B in review and left C out: a run or pipeline done but for that review was
 * not one of "only reviews left", so `licbridge status` showed it delivering and `licbridge run`
 * stopped at its idle timeout. And a renewal in a pipeline of its own continuing a license of
 * another pipeline waits on that review as well; the backlog of its pipeline, which has no review
 * of its own, did not look for it. Both ledgers.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildIdentifier } from '../../catalog/identifier.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { backlogOnlyInReview, onlyReviewsLeft } from '../../pipelines/run-review.js';
import { BACKENDS } from './backends.js';
import { continuedReviewLedger } from './continued-review-fixture.js';
import { candidate, FIXTURE_ISSUER, uniqueName } from './fixtures.js';

const SEAL = 'seal-chain';
const TARGETS = ['province'];

/** Candidate `n` continuing version 1 of `of` (the named identifier with its check char). */
function continuing(of: VersionCandidate, n: number, pipeline: string, prefix: string): VersionCandidate {
  const named = buildIdentifier({
    typeCode: '11370200MB1234567X001',
    issuerCode: FIXTURE_ISSUER,
    serial: of.licenseId.split('.').pop() as string,
    version: 1,
  });
  const plain = candidate({ n, pipeline, prefix });
  return { ...plain, operation: 'renew', build: (v) => ({ ...plain.build(v), previousIdentifier: named }) };
}

/** Licenses a, b (continuing a) and c (continuing b), a of `firstPipeline`, b and c of `pipeline`. */
function chainOfThree(samePipeline = true) {
  const pipeline = uniqueName('chain');
  const firstPipeline = samePipeline ? pipeline : uniqueName('chain-first');
  const prefix = `C${randomUUID().slice(0, 8).toUpperCase()}`;
  const a = candidate({ n: 1, pipeline: firstPipeline, prefix });
  const b = continuing(a, 2, pipeline, prefix);
  const c = continuing(b, 3, pipeline, prefix);
  return { pipeline, firstPipeline, a, b, c };
}

describe.each(BACKENDS)('renewals held behind a review through another renewal ($name)', (backend) => {
  const l = continuedReviewLedger(backend, SEAL);
  const { signedRun } = l;

  it('counts a renewal of a renewal in a run whose first license is in review', async () => {
    const { pipeline, a, b, c } = chainOfThree();
    const { runId, keys } = await signedRun(pipeline, [a, b, c]);
    await l.ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
    ]);

    const progress = await l.ledger.runProgress(runId, SEAL, TARGETS);
    expect(progress.inReview).toEqual({ province: 3 });
    expect(onlyReviewsLeft(progress, TARGETS)).toBe(true);

    // The review ends accepted: b may go, c waits on b, which is in no review.
    await l.ledger.recordDeliveryOutcomes([{ key: keys[0] as string, state: 'accepted', platformId: 'P-1' }]);
    expect((await l.ledger.runProgress(runId, SEAL, TARGETS)).inReview).toBeUndefined();
  });

  it("counts a renewal of a renewal in the pipeline's backlog, once", async () => {
    const { pipeline, a, b, c } = chainOfThree();
    const { keys } = await signedRun(pipeline, [a, b, c]);
    await l.ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
    ]);
    // c's later version waits behind its first.
    await signedRun(pipeline, [{ ...c, contentHash: 'hash:changed:valid' }]);

    const backlog = await l.ledger.pipelineBacklog(pipeline, SEAL, TARGETS);
    expect(backlog).toEqual({ unsigned: 0, undelivered: { province: 4 }, inReview: { province: 4 } });
    expect(backlogOnlyInReview(backlog)).toBe(true);
  });

  it('does not count the renewal of a renewal behind a dead letter in between', async () => {
    const { pipeline, a, b, c } = chainOfThree();
    const { runId, keys } = await signedRun(pipeline, [a, b, c]);
    await l.ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
      { key: keys[1] as string, state: 'dead', reasons: ['gone'] },
    ]);
    expect((await l.ledger.runProgress(runId, SEAL, TARGETS)).inReview).toEqual({ province: 1 });
    expect((await l.ledger.pipelineBacklog(pipeline, SEAL, TARGETS)).inReview).toEqual({ province: 1 });
  });

  it('counts a renewal waiting on the review of a license of another pipeline', async () => {
    const { pipeline, firstPipeline, a, b } = chainOfThree(false);
    const first = await signedRun(firstPipeline, [a]);
    await l.ledger.recordDeliveryOutcomes([
      { key: first.keys[0] as string, state: 'submitted', platformId: 'P-1' },
    ]);
    const { runId, ids } = await signedRun(pipeline, [b]);

    // The deliver stage holds b behind a, whatever a's pipeline.
    const preds = await l.ledger.deliveryPredecessors(ids, 'province');
    expect(preds).toEqual([
      expect.objectContaining({ previousVersionId: first.ids[0], previousState: 'submitted' }),
    ]);
    expect((await l.ledger.runProgress(runId, SEAL, TARGETS)).inReview).toEqual({ province: 1 });
    const backlog = await l.ledger.pipelineBacklog(pipeline, SEAL, TARGETS);
    expect(backlog).toEqual({ unsigned: 0, undelivered: { province: 1 }, inReview: { province: 1 } });
    expect(backlogOnlyInReview(backlog)).toBe(true);
  });
});
