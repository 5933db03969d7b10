/**
 * A renewal whose text names the license it continues with a check char that does not match (a row
 * edited by hand or written before the catalog checked it: catalog/formats.ts refuses one on input)
 * waits on that license as one naming it rightly does. The deliver stage read such a name as naming
 * nothing and sent the renewal at once (ledger/delivery-order.ts), while the review counts
 * (held-in-review.ts) held it behind the license's review: status showed in review a renewal that
 * was not held, and a run waited out the review for it. Both now go by the license id and version
 * named, whatever the check char. Both ledgers.
 */
import { describe, expect, it } from 'vitest';
import { parseIdentifier } from '../../catalog/identifier.js';
import { BACKENDS } from './backends.js';
import { continuedReviewLedger, licenseAndRenewal } from './continued-review-fixture.js';

const SEAL = 'seal-w';

/** `identifier` with a check char that is neither the standard nor the vendor variant's. */
function wrongCheck(identifier: string): string {
  const body = identifier.slice(0, -1);
  const c = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].find((ch) => !parseIdentifier(`${body}${ch}`).ok);
  if (c === undefined) throw new Error('every check char parses');
  return `${body}${c}`;
}

describe.each(BACKENDS)('a renewal naming its predecessor with a wrong check char ($name)', (backend) => {
  const l = continuedReviewLedger(backend, SEAL);

  it('is held by the deliver stage behind the review it is counted in', async () => {
    const { pipeline, before, renewal } = licenseAndRenewal();
    const { runId, ids, keys } = await l.signedRun(pipeline, [before, renewal]);
    await l.ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'submitted', platformId: 'P-1' },
    ]);
    const named = wrongCheck(`${before.licenseId}.001.0`);
    expect(parseIdentifier(named).ok).toBe(false);
    await l.renamedEach(renewal.licenseId, [named], async () => {
      const [predecessor] = await l.ledger.deliveryPredecessors([ids[1] as number], 'province');
      expect(predecessor).toMatchObject({ previousVersionId: ids[0], previousState: 'submitted' });
      expect((await l.ledger.runProgress(runId, SEAL, ['province'])).inReview).toEqual({ province: 2 });
    });
  });
});
