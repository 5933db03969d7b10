/**
 * Leases on pending reminders being sent (migration 032, ledger/leases.ts). Two lifecycle ticks
 * can run at once on one day (BullMQ hands a stalled tick to another worker; a stalled-out tick is
 * queued again once), and both read the same pending rows: without a lease both send a reminder at
 * the same moment under the same key, and whether the holder gets one message or two depends on
 * the gateway deduplicating simultaneous repeats.
 *
 * A tick claims a reminder right before it sends it (or drops it), with a lease as long as a send
 * can take. The lease ends when the tick records the outcome or counts the failed attempt
 * (ledger/reminders.ts `record`, `attempt`), when the tick lets it go (`release`, after an error),
 * or when it runs out because the tick died: the next tick then sends the reminder again under the
 * same key, and the gateway replays its answer. A tick whose lease ran out mid-send and was taken
 * still records its answer (`sent`) or counts its attempt, and the lease stays the new holder's.
 *
 * A claim may name the attempts the claimer read on each row: a row whose count moved since was
 * tried meanwhile by another tick, whose failure stands for this tick's try too (a gateway that
 * did not answer one tick is not asked again at once by the other, at the cost of a second full
 * timeout). It is not claimed and comes back in `tried`; the next tick sends it again.
 */
import type { Knex } from 'knex';
import { chunk, type Db, toDate, toInt } from './db.js';
import { clockAfter, clockNow, READ_AT, readAtColumn } from './db-clock.js';
import { claimLeases, claimParams, keyedState, planByKey, RELEASE_PARAMS, releaseLeases } from './leases.js';

export interface ReminderClaims {
  /** Keys now leased to the claimer, until the lease asked for. */
  claimed: string[];
  /**
   * Keys still `pending` that another tick holds, with the time its lease had left when read, in
   * ms by the ledger's clock (not an end: this host's clock may be off the ledger's).
   */
  held: Map<string, number>;
  /** Keys still `pending` whose attempts moved from those the claimer read: another tick tried them. */
  tried: string[];
}

const CLAIM = { table: 'reminders', key: ['reminder_key'], open: ['pending'], own: ['pending'] } as const;

export async function claimReminders(
  db: Db,
  keys: readonly string[],
  owner: string,
  leaseMs: number,
  seen?: ReadonlyMap<string, number>,
): Promise<ReminderClaims> {
  const out: ReminderClaims = { claimed: [], held: new Map(), tried: [] };
  if (keys.length === 0) return out;
  // Keys by the attempts read on them (one group, `undefined`, when none were): one statement a group.
  const groups = new Map<number | undefined, string[]>();
  for (const key of new Set(keys)) {
    const n = seen?.get(key);
    const group = groups.get(n);
    if (group) group.push(key);
    else groups.set(n, [key]);
  }
  return db.write('claimReminders', async (trx) => {
    await planByKey(db, trx);
    // The ledger's time, not this host's (db-clock.ts): every tick judges a lease by one clock.
    const now = clockNow(db, trx);
    const until = clockAfter(db, trx, leaseMs);
    for (const [attempts, group] of groups) {
      // Room for the claim's own parameters, and the attempts the scope binds besides the keys.
      for (const part of chunk(group, db.maxParams - claimParams(CLAIM) - 1)) {
        const scope = (q: Knex.QueryBuilder) => {
          const rows = q.whereIn('reminder_key', part);
          return attempts === undefined ? rows : rows.where('attempts', attempts);
        };
        const rows = await claimLeases<{ reminder_key: string }>(
          trx,
          { ...CLAIM, state: keyedState(db), scope },
          owner,
          now,
          until,
        );
        const claimed = new Set(rows.map((r) => r.reminder_key));
        out.claimed.push(...claimed);
        const others: {
          reminder_key: string;
          attempts: unknown;
          claimed_until: unknown;
          [READ_AT]: unknown;
        }[] = await trx('reminders')
          .select('reminder_key', 'attempts', 'claimed_until', readAtColumn(db, trx))
          .whereIn('reminder_key', part)
          .whereRaw(`${keyedState(db)} = ?`, ['pending']);
        for (const r of others) {
          if (claimed.has(r.reminder_key)) continue;
          if (attempts !== undefined && toInt(r.attempts) !== attempts) out.tried.push(r.reminder_key);
          else if (r.claimed_until !== null) {
            const left = toDate(r.claimed_until).getTime() - toDate(r[READ_AT]).getTime();
            out.held.set(r.reminder_key, Math.max(0, left));
          }
        }
      }
    }
    return out;
  });
}

/**
 * Ends the leases `owner` holds on these reminders: another tick may claim them at once. Answers
 * how many of them are still `pending`: one another tick's outcome closed is not.
 */
export async function releaseReminders(db: Db, keys: readonly string[], owner: string): Promise<number> {
  if (keys.length === 0) return 0;
  return db.write('releaseReminders', async (trx) => {
    await planByKey(db, trx);
    let pending = 0;
    for (const part of chunk([...new Set(keys)], db.maxParams - RELEASE_PARAMS)) {
      await releaseLeases(trx, { table: 'reminders', scope: (q) => q.whereIn('reminder_key', part) }, owner);
      const [open] = (await trx('reminders')
        .count({ n: '*' })
        .whereIn('reminder_key', part)
        .whereRaw(`${keyedState(db)} = ?`, ['pending'])) as unknown as { n: unknown }[];
      pending += toInt(open?.n ?? 0);
    }
    return pending;
  });
}
