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
import type { Walked } from './read-order.js';

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

/** What the listing and a look-up asked again showed of one license (shownTwice, notListed). */
export interface ShownTwice {
  /** The listing's entry compared, none when it lacked the license. */
  listed: PlatformRecord | undefined;
  /** The listing's entries named by content beside it, each reported as listed. */
  named: readonly PlatformRecord[];
  /** The look-up's record compared in place of `listed`, none when the pair stands as listed. */
  answered: PlatformRecord | undefined;
}

/**
 * For each license of `again`, what `walked` (the pairs as listed), `asked` (the same pairs once
 * askedAgain answered them, in the same order) and the listing's entries named by content showed.
 * Taken before the pairs are compared: a license the platform lacks takes its named entries.
 */
export function shownTwice(
  again: readonly PlatformRecord[],
  walked: readonly Walked[],
  asked: readonly Walked[],
  named: ReadonlyMap<string, readonly PlatformRecord[]>,
): Map<string, ShownTwice> {
  const licenseIds = new Set(again.map((r) => r.licenseId));
  const shown = new Map<string, ShownTwice>();
  walked.forEach(([l, listed], at) => {
    if (!licenseIds.has(l.licenseId)) return;
    const answered = asked[at]?.[1];
    shown.set(l.licenseId, {
      listed,
      named: [...(named.get(l.licenseId) ?? [])],
      answered: answered === listed ? undefined : answered,
    });
  });
  return shown;
}

/**
 * The records a look-up answered again that the listing already reported beside their license, left
 * out. A license listed in two records is asked again (read-order.ts) when its first record is
 * behind the ledger: the look-up answers the second record too, which the listing had named, and
 * both were reported, one record counted twice. A listed one is reported as listed, with its place.
 *
 * The look-up's whole answer (the record compared and those answered again) is matched with what
 * the listing showed (its entry compared and those named beside it), each record with one, by the
 * same platform id and reason: the platform may answer the two in the other order, the listing's
 * named one compared and its compared one answered again. One answered again and matched is left
 * out only as long as the listing reported as many, with a platform id, beside the license: never
 * more records are left out than the listing reported. A record without a platform id is never
 * matched: nothing tells it from another, and a person looks at each (one unreadable, taken for a
 * listed entry without an id, was not reported at all).
 * An entry named by content listed after the page of its license was compared is not named yet
 * when the look-up answers: a record answered again is reported then as well as that entry.
 */
export function notListed(
  again: readonly PlatformRecord[],
  shown: ReadonlyMap<string, ShownTwice>,
): PlatformRecord[] {
  const left = new Map<string, { records: string[]; reported: number }>();
  for (const [licenseId, s] of shown) {
    const records = [s.listed, ...s.named].flatMap((r) => sameAs(r) ?? []);
    take(records, s.answered);
    left.set(licenseId, { records, reported: s.named.filter((n) => n.platformId !== null).length });
  }
  return again.filter((r) => {
    const listed = left.get(r.licenseId);
    if (!listed || listed.reported === 0 || !take(listed.records, r)) return true;
    listed.reported -= 1;
    return false;
  });
}

/**
 * A record's platform id and why it is reported (a readable one as a second record of its
 * license), none for a record without a platform id.
 */
function sameAs(r: PlatformRecord | undefined): string | undefined {
  if (r === undefined || r.platformId === null) return undefined;
  return `${r.platformId}\n${r.unreadable?.reason ?? UNREADABLE_REASONS.listedTwice}`;
}

/** Whether `records` holds one `r` is the same as, taking it out if so. */
function take(records: string[], r: PlatformRecord | undefined): boolean {
  const same = sameAs(r);
  const at = same === undefined ? -1 : records.indexOf(same);
  if (at >= 0) records.splice(at, 1);
  return at >= 0;
}
