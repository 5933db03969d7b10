/**
 * A platform entry whose licenseId has white space around it (` 1.2.156.…`, `1.2.156.… `, a tab,
 * U+3000). Before it, the id starts with no pipeline's license-id prefix: the platform check took
 * the entry for another issuer's and left it out, so an entry only the platform held so was never
 * reported, and the license it names showed `missing-at-platform`, re-sent by a repair. After it,
 * the id starts with the prefix and was walked as it stands, an id no license has: the entry showed
 * `unknown-at-platform` (adopted and revoked by a repair under `unknownAtPlatform: revoke`, a
 * license that does not exist), and the license it names `missing-at-platform`, re-sent.
 * So was one written in lower case (a platform keeping ids case-insensitively) or in full-width
 * characters (typed in a Chinese input method): it starts with no prefix either, and is read the same way.
 */
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import { UNREADABLE_REASONS } from '../../adapters/platforms/unreadable-reasons.js';

/**
 * `p` as an unreadable entry of the license it names, when its licenseId has white space before or
 * after a license id of `prefix`; undefined for any other entry. Its place in the listing says
 * nothing of that license's order, so it is matched with the license after the merge, as an entry
 * named by content is (platform-side.ts). The reason an adapter gave, when the entry was unreadable
 * already, is kept.
 */
export function ownPadded(p: PlatformRecord, prefix: string): PlatformRecord | undefined {
  // The ids licbridge issues are digits, upper-case letters and dots: most entries end here.
  if (ISSUED.test(p.licenseId)) return undefined;
  // trim() takes what ECMAScript counts as white space: a tab, U+3000 and the other Zs spaces too.
  const trimmed = p.licenseId.trim();
  // NFKC reads full-width digits, letters and dots (U+FF10…, U+FF21…, U+FF0E) as half-width ones.
  const named = trimmed.normalize('NFKC').toUpperCase();
  if (named === p.licenseId || !named.startsWith(prefix)) return undefined;
  const before = p.licenseId.trimStart() !== p.licenseId;
  const after = p.licenseId.trimEnd() !== p.licenseId;
  const reason =
    named !== trimmed
      ? UNREADABLE_REASONS.licenseIdOtherForm
      : before && after
        ? UNREADABLE_REASONS.licenseIdPaddedAround
        : before
          ? UNREADABLE_REASONS.licenseIdPaddedBefore
          : UNREADABLE_REASONS.licenseIdPaddedAfter;
  return { ...p, licenseId: named, unreadable: { reason, ...p.unreadable, namedByContent: true } };
}

/** A license id as licbridge writes it (catalog/identifier.ts): nothing to read otherwise. */
const ISSUED = /^[0-9A-Z.]*$/;
