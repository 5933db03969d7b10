/**
 * Writes the reminders a tick found due as `pending` rows (ledger/reminders.ts `open`), each under
 * the key of the reminder it is to its holder.
 *
 * A reminder is, to its holder, a license, a `validTo` and a threshold (at a target: the gateway's
 * idempotency key also holds the target the row was first written for, `key_target`). Its key
 * `<licenseId>:<version>:<threshold>` names the version it was first written for, and a license
 * gets new versions that change none of that: suspended and resumed, or a version that changes
 * the premises. So a reminder due again is written under the key of the row already kept for its
 * (license, validTo, threshold), whatever its version: a reminder closed `dropped` unsent during a
 * suspension (the gateway may have taken it, its answer lost) is made `pending` again under its
 * first key once the license is resumed, and the gateway replays its answer instead of reaching
 * the holder a second time. A row of another `validTo` (a renewal, an extension) is another
 * reminder. Ledgers written before this keep their keys: nothing is rewritten.
 */
import type { Knex } from 'knex';
import { chunk, type Db, nowIso, rowChunks } from './db.js';
import { type NewReminder, remindedNobody, SKIPPED_STORED_TEXT } from './reminder-types.js';

/** The key of a reminder first written for `version`. */
export function reminderKey(licenseId: string, version: number, threshold: number): string {
  return `${licenseId}:${version}:${threshold}`;
}

/** What makes two reminders the same one to a holder (the target aside: `key_target`). */
function sameReminder(licenseId: string, validTo: string, threshold: unknown): string {
  return `${licenseId}\u0000${validTo}\u0000${Number(threshold)}`;
}

/**
 * The key already kept for each (license, validTo, threshold) of `reminders`: a row that is not
 * `dropped` first (the reminder was sent, skipped or is pending), else the first version's.
 */
async function keptKeys(trx: Knex.Transaction, db: Db, reminders: readonly NewReminder[]) {
  const kept = new Map<string, { key: string; dropped: boolean }>();
  for (const ids of chunk([...new Set(reminders.map((r) => r.licenseId))], db.maxParams)) {
    // Through the reminders' (license_id, valid_to) index (migration 015).
    const rows: {
      reminder_key: string;
      license_id: string;
      valid_to: string;
      threshold: unknown;
      state: string;
      reason: string | null;
    }[] = await trx('reminders')
      .select('reminder_key', 'license_id', 'valid_to', 'threshold', 'state', 'reason')
      .whereIn('license_id', ids)
      .orderBy('version')
      .orderBy('reminder_key');
    for (const r of rows) {
      const same = sameReminder(r.license_id, r.valid_to, r.threshold);
      const dropped = remindedNobody(r);
      const first = kept.get(same);
      if (!first || (first.dropped && !dropped)) kept.set(same, { key: r.reminder_key, dropped });
    }
  }
  return kept;
}

/**
 * Taken first, so that the keys kept are read with no other open between the read and the writes.
 * Two ticks opening one reminder at once (two `lifecycle run`s, a tick beside a run by hand) read
 * the license at two versions when a version was committed between their reads: each found no key
 * kept, wrote its own (`L:3:30`, `L:4:30`), and the holder was reminded twice, under two
 * idempotency keys. On PostgreSQL a transaction-scoped advisory lock on the `reminders` table's
 * oid (this ledger's schema, whatever else shares the database): the other opens wait, and read
 * what it wrote once it commits; nothing else takes it, and it is the open's first lock, so no
 * deadlock. On SQLite a write first takes the database's write lock before anything is read
 * (db.ts): the open of another process waits for it.
 */
async function openOneAtATime(trx: Knex.Transaction, db: Db): Promise<void> {
  if (db.dialect === 'postgres')
    await trx.raw(`select pg_advisory_xact_lock(${REMINDERS_OPEN_LOCK}, 'reminders'::regclass::oid::int4)`);
  else
    await trx('reminders')
      .where(trx.raw('1 = 0'))
      .update({ state: trx.ref('state') });
}
/** The first key of the open's advisory lock: `lbro`, licbridge's reminders open. */
const REMINDERS_OPEN_LOCK = 0x6c62726f;

/** Writes `reminders` pending (or pending again), and answers the stored row of each, as read. */
export function openReminders<Row>(db: Db, reminders: readonly NewReminder[]): Promise<Row[]> {
  return db.write('openReminders', async (trx) => {
    if (reminders.length === 0) return [];
    await openOneAtATime(trx, db);
    const now = nowIso();
    const kept = await keptKeys(trx, db, reminders);
    const rows = reminders.map((r) => ({
      reminder_key:
        kept.get(sameReminder(r.licenseId, r.validTo, r.threshold))?.key ??
        reminderKey(r.licenseId, r.version, r.threshold),
      license_id: r.licenseId,
      version: r.version,
      pipeline: r.pipeline,
      target: r.target,
      key_target: r.target,
      threshold: r.threshold,
      valid_to: r.validTo,
      days_left: r.daysLeft,
      due_day: r.dueDay,
      state: 'pending',
      attempts: 0,
      created_at: now,
      updated_at: now,
    }));
    // A row that exists keeps its first values (its key is the gateway's idempotency key); a
    // re-send says today's days left, and recording it sent stores those.
    for (const part of rowChunks(db, rows, 14))
      await trx('reminders').insert(part).onConflict('reminder_key').ignore();
    // A row of the same key closed `dropped` was never recorded sent: due again, it is pending
    // again under its key (a gateway that took it before the drop replays its first answer),
    // its attempts and last_attempt_day kept: failed today, it waits for tomorrow all the same.
    // So is one skipped as its stored text did not read (`remindedNobody`): nothing went out.
    const byKey = new Map(rows.map((r) => [r.reminder_key, r]));
    for (const keys of chunk([...byKey.keys()], db.maxParams - 3)) {
      const dropped: { reminder_key: string; state: string }[] = await trx('reminders')
        .select('reminder_key', 'state')
        .whereIn('reminder_key', keys)
        .where((q) => q.where('state', 'dropped').orWhere({ state: 'skipped', reason: SKIPPED_STORED_TEXT }));
      for (const { reminder_key, state } of dropped) {
        const r = byKey.get(reminder_key);
        if (!r) continue;
        await trx('reminders').where({ reminder_key, state }).update({
          state: 'pending',
          reason: null,
          message_id: null,
          // The version in force now (a resumed license's): the message names the license as it
          // stands. The key keeps the version it was first written for.
          version: r.version,
          // The target the config names now: the one it was dropped under may be gone. Its
          // `key_target` stays: a gateway that took it under the old name replays its answer.
          target: r.target,
          days_left: r.days_left,
          due_day: r.due_day,
          // Pending from now: `status` counts a reminder stale a day after it was written.
          created_at: now,
          updated_at: now,
        });
      }
    }
    const out: Row[] = [];
    for (const keys of chunk([...byKey.keys()], db.maxParams))
      out.push(...(await trx('reminders').select('*').whereIn('reminder_key', keys)));
    return out;
  });
}
