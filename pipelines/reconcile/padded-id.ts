/**
 * A platform entry whose licenseId has white space around it (` 1.2.156.…`, `1.2.156.… `, a tab,
 * U+3000). Before it, the id starts with no pipeline's license-id prefix: the platform check took
 * the entry for another issuer's and left it out, so an entry only the platform held so was never
 * reported, and the license it names showed `missing-at-platform`, re-sent by a repair. After it,
 * the id starts with the prefix and was walked as it stands, an id no license has: the entry showed
 * `unknown-at-platform` (adopted and revoked by a repair under `unknownAtPlatform: revoke`, a
 * license that does not exist), and the license it names `missing-at-platform`, re-sent.
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
  // trim() takes what ECMAScript counts as white space: a tab, U+3000 and the other Zs spaces too.
  const named = p.licenseId.trim();
  if (named === p.licenseId || !named.startsWith(prefix)) return undefined;
  const before = p.licenseId.trimStart() !== p.licenseId;
  const after = p.licenseId.trimEnd() !== p.licenseId;
  const reason =
    before && after
      ? UNREADABLE_REASONS.licenseIdPaddedAround
      : before
        ? UNREADABLE_REASONS.licenseIdPaddedBefore
        : UNREADABLE_REASONS.licenseIdPaddedAfter;
  return { ...p, licenseId: named, unreadable: { reason, ...p.unreadable, namedByContent: true } };
}
