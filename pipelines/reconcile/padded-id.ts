/**
 * A platform entry whose licenseId has white space before it (` 1.2.156.…`, a tab, U+3000). Such
 * an id sorts before every license id and starts with no pipeline's license-id prefix: the platform
 * check took the entry for another issuer's and left it out, so an entry only the platform held so
 * was never reported, and the license it names showed `missing-at-platform`, re-sent by a repair.
 */
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import type { UnreadableReason } from '../../adapters/platforms/unreadable-reasons.js';

/**
 * Why such an entry is `unreadable-at-platform`: the platform check's own reason, beside those the
 * adapters give (adapters/platforms/unreadable-reasons.ts); the Chinese reports have words for it
 * too (report-view.ts).
 */
export const PADDED_LICENSE_ID = 'its licenseId has white space before it';

/**
 * `p` as an unreadable entry of the license it names, when its licenseId has white space before a
 * license id of `prefix`; undefined for any other entry. Its place in the listing says nothing of
 * that license's order, so it is matched with the license after the merge, as an entry named by
 * content is (platform-side.ts). The reason an adapter gave, when the entry was unreadable already,
 * is kept.
 */
export function ownPadded(p: PlatformRecord, prefix: string): PlatformRecord | undefined {
  const named = p.licenseId.trimStart();
  if (named === p.licenseId || !named.startsWith(prefix)) return undefined;
  // Not among the adapters' reasons, whose type lists theirs alone: no adapter reads an id so.
  const reason = PADDED_LICENSE_ID as UnreadableReason;
  return { ...p, licenseId: named, unreadable: { reason, ...p.unreadable, namedByContent: true } };
}
