/**
 * Leases on pending reminders being sent (migration 032), as ledger/delivery-claims.ts leases
 * deliveries. Two lifecycle ticks can run at once on one day (BullMQ hands a stalled tick to
 * another worker; a stalled-out tick is queued again once), and both read the same pending rows:
 * without a lease both send a reminder at the same moment under the same key, and whether the
 * holder gets one message or two depends on the gateway deduplicating simultaneous repeats.
 *
 * A tick claims a reminder right before it sends it, with a lease as long as a send can take. The
 * claim is one conditional update: the row must still be `pending` and its lease free, run out, or
 * the claimer's own. The lease ends when the outcome is recorded or the failed attempt counted
 * (ledger/reminders.ts `record`, `attempt`), or when it runs out because the tick died: the next
 * tick then sends the reminder again under the same key, and the gateway replays its answer.
 */
import { chunk, type Db, nowIso, toDate } from './db.js';

export interface ReminderClaims {
  /** Keys now leased to the claimer, until the lease asked for. */
  claimed: string[];
  /** Keys still `pending` that another tick holds, with the end of its lease. */
  held: Map<string, Date>;
}

export async function claimReminders(
  db: Db,
  keys: readonly string[],
  owner: string,
  leaseMs: number,
): Promise<ReminderClaims> {
  const out: ReminderClaims = { claimed: [], held: new Map() };
  if (keys.length === 0) return out;
  const now = nowIso();
  const until = new Date(Date.now() + leaseMs).toISOString();
  return db.write('claimReminders', async (trx) => {
    for (const part of chunk([...new Set(keys)], db.maxParams - 5)) {
      // One statement per chunk: of two ticks racing for a row, the database lets one update it;
      // the other's condition no longer holds when its update runs, and it changes nothing.
      const rows: { reminder_key: string }[] = await trx('reminders')
        .whereIn('reminder_key', part)
        .where('state', 'pending')
        .andWhere((q) =>
          q.whereNull('claimed_until').orWhere('claimed_until', '<', now).orWhere('claim_owner', owner),
        )
        .update({ claim_owner: owner, claimed_until: until })
        .returning(['reminder_key']);
      const claimed = new Set(rows.map((r) => r.reminder_key));
      out.claimed.push(...claimed);
      const others: { reminder_key: string; claimed_until: unknown }[] = await trx('reminders')
        .select('reminder_key', 'claimed_until')
        .whereIn('reminder_key', part)
        .where('state', 'pending')
        .whereNotNull('claimed_until');
      for (const r of others)
        if (!claimed.has(r.reminder_key)) out.held.set(r.reminder_key, toDate(r.claimed_until));
    }
    return out;
  });
}
