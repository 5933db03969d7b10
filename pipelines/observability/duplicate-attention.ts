/**
 * Re-deliveries a repair held back as answered duplicates (ledger/reconcile-duplicates.ts): the
 * platform accepted the key once, yet shows an older version, and nothing sends the key again until
 * a person runs `reconcile --repair --yes --resend-duplicates`. Left to the next check's report
 * they are easily forgotten, so `status` names them per pipeline and target, with the age of the
 * oldest duplicate answer, on the clock of `tz` (`lifecycle.timeZone`); the art. 10 clock counts
 * their versions as owed (ledger/deadlines.ts).
 */
import { zonedTime } from '../../core/zoned-time.js';
import type { HeldDuplicates } from '../../ledger/reconcile-duplicates.js';
import type { Attention } from './attention.js';

export function heldDuplicateAttention(held: readonly HeldDuplicates[], now: Date, tz: string): Attention[] {
  return held.map((h) => {
    const since = h.oldest
      ? ` since ${zonedTime(h.oldest.toISOString(), tz)} (${Math.max(0, Math.floor((now.getTime() - h.oldest.getTime()) / 86_400_000))} d)`
      : '';
    return {
      kind: 'duplicates-held',
      message: `pipeline ${h.pipeline}: ${h.count} re-delivery(ies) to ${h.target} held back as answered duplicates${since}: the platform shows an older version than it accepted; ask it to restore that version, then \`licbridge reconcile ${h.pipeline} --target ${h.target} --repair --yes --resend-duplicates\``,
    };
  });
}
