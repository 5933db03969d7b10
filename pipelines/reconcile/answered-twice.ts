/**
 * A platform's answer to a lookup by license id, one record per license. A platform holding one
 * license in two records (a re-send it took for a new license, a record copied by hand) may answer
 * both. Put in a map by license id, the last was kept and the others dropped without a word: a
 * second record the platform holds was never reported, and whichever came last was compared. A
 * listing reports such a record as `unreadable-at-platform` (listing-order.ts); a lookup does so too.
 *
 * A lookup has no pages to repeat, so unlike a listing's, a record answered again under the same
 * platform id (or none on either) is not taken for the same one given twice: only the platform can
 * tell, and a person looks at it (a repair flags it), rather than the check failing on it.
 */
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import { UNREADABLE_REASONS } from '../../adapters/platforms/unreadable-reasons.js';

/**
 * `records` as one record per license, the first readable one of each (else its first), and the
 * others, each marked unreadable as listed more than once, or with the reason its adapter gave.
 */
export function onePerLicense(records: readonly PlatformRecord[]): {
  first: PlatformRecord[];
  again: PlatformRecord[];
} {
  const first = new Map<string, PlatformRecord>();
  const again: PlatformRecord[] = [];
  for (const r of records) {
    const kept = first.get(r.licenseId);
    if (kept === undefined) {
      first.set(r.licenseId, r);
      continue;
    }
    // The readable record is the one compared, as in a listing whose second entry is unreadable.
    const [stays, goes] = kept.unreadable && !r.unreadable ? [r, kept] : [kept, r];
    first.set(r.licenseId, stays);
    again.push({ ...goes, unreadable: { reason: UNREADABLE_REASONS.listedTwice, ...goes.unreadable } });
  }
  return { first: [...first.values()], again };
}
