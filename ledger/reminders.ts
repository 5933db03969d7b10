/**
 * Expiry reminders in the ledger (migration 015): one row per reminder (license, validTo,
 * threshold; written by ledger/reminder-open.ts under the key of its first version), and the
 * reads of the holders' contacts (written with the page that read them, ledger/holder-contacts.ts).
 * The port's types are in ledger/reminder-types.ts.
 *
 * A reminder row's life: `pending` (written before the message goes out) → `sent` (the gateway
 * answered), or `skipped` (nothing could be sent: no contact for the channel, a gateway refusal
 * that will not change), or `dropped` (a pending row whose license is no longer `valid` or whose
 * `validTo` moved, or whose threshold a smaller one due since has superseded: the reminder it was
 * for does not apply any more; a gateway's answer that it took the message still records it `sent`).
 * Every final state appends a
 * `remind` entry to the audit chain in the same transaction. Nothing here holds a contact in an
 * error, a log line or an audit entry.
 */
import type { Knex } from 'knex';
import { storedContentHash } from '../catalog/canonical.js';
import { toHolderContact } from '../catalog/holder-contact.js';
import type { License } from '../catalog/license.js';
import { appendAudit } from './audit-chain.js';
import { readContentHash } from './content-hash-column.js';
import { chunk, type Db, nowIso, parseJson, toDate, toDateOrNull, toInt, truncate } from './db.js';
import { purgeHolderContacts } from './holder-contacts.js';
import { END_OWN_LEASE_PARAMS, endOwnLease, releaseLeases } from './leases.js';
import { continuedLicenses } from './predecessors.js';
import { claimReminders, releaseReminders } from './reminder-claims.js';
import { openReminders } from './reminder-open.js';
import type {
  ReminderOutcome,
  ReminderState,
  ReminderStore,
  StoredContact,
  StoredReminder,
  VersionFacts,
} from './reminder-types.js';
import { UNREADABLE_CONTACT } from './reminder-types.js';
import { joinPayload, withVersionContext } from './version-context.js';

export { type ContactCandidate, writeHolderContacts } from './holder-contacts.js';
// The port's types live beside it; importers of this module keep finding them here.
export type {
  NewReminder,
  ReminderCandidate,
  ReminderOutcome,
  ReminderQuery,
  ReminderState,
  ReminderStore,
  StalePending,
  StoredContact,
  StoredReminder,
  UnreadableContact,
  VersionFacts,
} from './reminder-types.js';
export { remindedNobody, SKIPPED_STORED_TEXT } from './reminder-types.js';

/** The facts of a version whose stored text does not read or was altered: none. */
const UNREADABLE: VersionFacts = {
  number: '',
  typeName: '',
  issuerName: '',
  validTo: null,
  unreadable: true,
};

interface ReminderRow {
  reminder_key: string;
  license_id: string;
  version: unknown;
  pipeline: string;
  target: string;
  key_target: string | null;
  threshold: unknown;
  valid_to: string;
  days_left: unknown;
  due_day: string;
  state: string;
  attempts: unknown;
  message_id: string | null;
  reason: string | null;
  created_at: unknown;
  updated_at: unknown;
  sent_at: unknown;
  last_attempt_day?: string | null;
}

function toReminder(r: ReminderRow): StoredReminder {
  return {
    key: r.reminder_key,
    licenseId: r.license_id,
    version: toInt(r.version),
    pipeline: r.pipeline,
    target: r.target,
    keyTarget: r.key_target ?? r.target,
    threshold: toInt(r.threshold),
    validTo: r.valid_to,
    daysLeft: toInt(r.days_left),
    dueDay: r.due_day,
    state: r.state as ReminderState,
    attempts: toInt(r.attempts),
    messageId: r.message_id,
    reason: r.reason,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    sentAt: toDateOrNull(r.sent_at),
    lastAttemptDay: r.last_attempt_day ?? null,
  };
}

export function reminderStore(db: Db): ReminderStore {
  return {
    candidates: (q) =>
      db.read('reminderCandidates', async (k) => {
        if (q.pipelines.length === 0) return [];
        // The range runs on licenses' (pipeline, status, valid_to) index (migration 012); the
        // contact join keeps only holders who can be reached.
        const query = k('licenses as l')
          .join('holder_contacts as c', 'c.license_id', 'l.license_id')
          .select('l.license_id', 'l.pipeline', 'l.latest_version', 'l.valid_to')
          .whereIn('l.pipeline', [...q.pipelines])
          .where('l.status', 'valid')
          .where('l.valid_to', '>=', q.from)
          .where('l.valid_to', '<=', q.to)
          .orderBy('l.license_id')
          .limit(q.limit);
        if (q.after !== undefined) query.where('l.license_id', '>', q.after);
        const rows: { license_id: string; pipeline: string; latest_version: unknown; valid_to: string }[] =
          await query;
        return rows.map((r) => ({
          licenseId: r.license_id,
          pipeline: r.pipeline,
          version: toInt(r.latest_version),
          validTo: r.valid_to,
        }));
      }),

    forLicenses: (licenseIds) =>
      db.read('remindersForLicenses', async (k) => {
        const out: StoredReminder[] = [];
        for (const ids of chunk([...new Set(licenseIds)], db.maxParams)) {
          const rows: ReminderRow[] = await k('reminders').select('*').whereIn('license_id', ids);
          out.push(...rows.map(toReminder));
        }
        return out;
      }),

    open: async (reminders) => (await openReminders<ReminderRow>(db, reminders)).map(toReminder),

    pending: (limit, triedLast, triedUntil, pipelines) =>
      db.read('pendingReminders', async (k) => {
        // Cut at `limit` in the query, not after it: read over every pipeline and filtered after,
        // another pipeline's backlog past the limit left none of these pipelines' rows.
        if (pipelines !== undefined && pipelines.length === 0) return [];
        const scoped = (q: Knex.QueryBuilder) =>
          pipelines === undefined ? q : q.whereIn('pipeline', [...pipelines]);
        const days = triedLast ? [triedLast, triedUntil ?? triedLast] : [];
        // The limit shared out among the targets in turns (each one's first, then each one's
        // second…): a target whose gateway is down leaves most of its rows untried
        // (reminder-sender.ts DOWN_AFTER), which keep their place, and with more of them than the
        // limit another target's pending reminders behind them waited a day for every five of them.
        // A target's turns numbered in the query (window functions: PostgreSQL, SQLite 3.25+) and
        // the limit cut there: read per target and cut after, T targets held T times the limit
        // of full rows in memory.
        const deferredLast = triedLast
          ? [{ sql: 'case when last_attempt_day between ? and ? then 1 else 0 end', bindings: days }]
          : [];
        // Then the least lately tried first (never tried first of all): oldest first alone, the
        // same rows failing every day filled the limit of every day's tick, and a reminder past
        // them was never tried before its license expired. NULL sorts first on SQLite and last
        // on PostgreSQL: said in the query. A deferred one last, in its target's turns and among
        // all: a backlog of them would otherwise take the whole limit of every later tick of the
        // day (migration 039). Days `YYYY-MM-DD` order as text.
        const lately = [
          { sql: 'case when last_attempt_day is null then 0 else 1 end', bindings: [] },
          { sql: 'last_attempt_day', bindings: [] },
          { sql: 'created_at', bindings: [] },
          { sql: 'reminder_key', bindings: [] },
        ];
        const within = [...deferredLast, ...lately];
        const turns = scoped(k('reminders').where('state', 'pending')).select(
          '*',
          k.raw(
            `row_number() over (partition by target order by ${within.map((o) => o.sql).join(', ')}) as pending_turn`,
            within.flatMap((o) => o.bindings),
          ),
        );
        const order = [...deferredLast, { sql: 'pending_turn', bindings: [] }, ...lately];
        const rows: ReminderRow[] = await k
          .select('*')
          .from(turns.as('t'))
          .orderByRaw(
            order.map((o) => o.sql).join(', '),
            order.flatMap((o) => o.bindings),
          )
          .limit(limit);
        return rows.map(toReminder);
      }),

    claim: (keys, owner, leaseMs, seen) => claimReminders(db, keys, owner, leaseMs, seen),

    release: (keys, owner) => releaseReminders(db, keys, owner),

    licenseStates: (licenseIds) =>
      db.read('reminderLicenseStates', async (k) => {
        const out = new Map<string, { status: string; validTo: string | null }>();
        for (const ids of chunk([...new Set(licenseIds)], db.maxParams)) {
          const rows: { license_id: string; status: string; valid_to: string | null }[] = await k('licenses')
            .select('license_id', 'status', 'valid_to')
            .whereIn('license_id', ids);
          for (const r of rows) out.set(r.license_id, { status: r.status, validTo: r.valid_to });
        }
        return out;
      }),

    continued: (licenseIds) => continuedLicenses(db, licenseIds),

    versionFacts: (versions) =>
      db.read('reminderVersionFacts', async (k) => {
        const out = new Map<string, VersionFacts>();
        const wanted = new Map(versions.map((v) => [`${v.licenseId}:${v.version}`, v]));
        // The (license, version) pairs asked for, two parameters each: by license alone, every
        // version's payload of each license was read, only to keep one.
        for (const pairs of chunk([...wanted.values()], Math.floor(db.maxParams / 2))) {
          const rows: {
            license_id: string;
            version: unknown;
            content_hash: string;
            content_hash_bytes: unknown;
            payload: string;
            context_payload: string | null;
          }[] = await withVersionContext(
            k('license_versions as v').select(
              'v.license_id',
              'v.version',
              'v.content_hash',
              'v.content_hash_bytes',
              'v.payload',
            ),
            'v',
          ).whereIn(
            ['v.license_id', 'v.version'],
            pairs.map((v) => [v.licenseId, v.version]),
          );
          for (const r of rows) {
            const key = `${r.license_id}:${toInt(r.version)}`;
            // The payload holds the holder too; only these four fields leave this function.
            let p: {
              number?: string;
              type?: { name?: string };
              issuer?: { name?: string };
              validTo?: string | null;
            };
            try {
              p = parseJson(joinPayload(r.payload, r.context_payload));
            } catch {
              // A text that does not read threw out of the send, and no holder of the tick was
              // reminded: this version is marked, its reminder skipped (reminder-sender.ts).
              out.set(key, UNREADABLE);
              continue;
            }
            // Read, yet another license than its version records (edited since it was written): its
            // number would reach the holder as the issuer's. Skipped as one that does not read, as
            // the tick, the sign and deliver stages and reconcile repairs refuse it.
            const hashed = storedContentHash(p as License);
            if ('cannot' in hashed || hashed.hash !== readContentHash(r.content_hash, r.content_hash_bytes)) {
              out.set(key, UNREADABLE);
              continue;
            }
            out.set(key, {
              number: p.number ?? '',
              typeName: p.type?.name ?? '',
              issuerName: p.issuer?.name ?? '',
              validTo: p.validTo ?? null,
            });
          }
        }
        return out;
      }),

    contacts: (licenseIds) =>
      db.read('holderContacts', async (k) => {
        const out = new Map<string, StoredContact>();
        for (const ids of chunk([...new Set(licenseIds)], db.maxParams)) {
          const rows: { license_id: string; contact: string }[] = await k('holder_contacts')
            .select('license_id', 'contact')
            .whereIn('license_id', ids);
          for (const r of rows) {
            let stored: unknown;
            try {
              stored = parseJson(r.contact);
            } catch {
              // One contact that does not read threw out of the send, and no holder of the tick was
              // reminded, at every tick after: marked, its reminder is skipped (reminder-sender.ts).
              out.set(r.license_id, UNREADABLE_CONTACT);
              continue;
            }
            const contact = toHolderContact(stored);
            if (contact) out.set(r.license_id, contact);
          }
        }
        return out;
      }),

    record: (outcomes, owner) =>
      db.write('recordReminders', async (trx) => {
        if (outcomes.length === 0) return 0;
        const now = nowIso();
        const done: { o: ReminderOutcome; row: ReminderRow }[] = [];
        for (const o of outcomes) {
          // Only a pending row moves: a second tick that raced this one keeps the first outcome. A
          // message the gateway took is sent whatever happened to its row meanwhile (the claim ran
          // out and another tick holds it, or closed it `dropped`: made pending again when due
          // again by `open`, it would be sent a second time). Any other outcome is the claim
          // holder's: a tick whose claim another took since leaves the row to it (its send in
          // flight may still be taken), as does a drop (pipelines/lifecycle/reminders.ts).
          const row = trx('reminders').where({ reminder_key: o.key });
          if (o.state === 'sent') row.whereIn('state', ['pending', 'dropped']);
          else
            row
              .where('state', 'pending')
              .andWhere((q) => q.whereNull('claim_owner').orWhere('claim_owner', owner));
          const changed = await row.update({
            state: o.state,
            message_id: o.messageId ?? null,
            reason: o.reason === undefined ? null : truncate(o.reason, 200),
            updated_at: now,
            // A final state ends the lease of the tick that recorded it (ledger/reminder-claims.ts),
            // not the lease of a tick that claimed the row since.
            ...endOwnLease(trx, owner),
            ...(o.state === 'sent' ? { sent_at: now } : {}),
            ...(o.daysLeft === undefined ? {} : { days_left: o.daysLeft }),
          });
          if (changed === 0) {
            // Closed by another tick's outcome: this tick's lease on it, if any, ends all the same.
            await releaseLeases(
              trx,
              { table: 'reminders', scope: (q) => q.where('reminder_key', o.key) },
              owner,
            );
            continue;
          }
          const stored: ReminderRow | undefined = await trx('reminders')
            .where({ reminder_key: o.key })
            .first();
          if (stored) done.push({ o, row: stored });
        }
        // Audit chain (ledger/audit-chain.ts): same transaction, taken last. Ids and counts only.
        await appendAudit(
          db,
          trx,
          done.map(({ o, row }) => ({
            action: 'remind' as const,
            actor: o.actor,
            licenseId: row.license_id,
            version: toInt(row.version),
            digest: o.digest,
            detail: {
              state: o.state,
              threshold: toInt(row.threshold),
              validTo: row.valid_to,
              daysLeft: toInt(row.days_left),
              ...(o.messageId === undefined ? {} : { messageId: o.messageId }),
              ...(o.reason === undefined ? {} : { reason: truncate(o.reason, 200) }),
            },
          })),
        );
        return done.length;
      }),

    attempt: (keys, error, owner, day) =>
      db.write('reminderAttempt', async (trx) => {
        let counted = 0;
        // Binds besides the keys: the state, the reason, the time, the day and the owner's lease ends.
        for (const part of chunk([...keys], db.maxParams - 4 - END_OWN_LEASE_PARAMS)) {
          counted += await trx('reminders')
            .whereIn('reminder_key', part)
            .where('state', 'pending')
            .update({
              attempts: trx.raw('attempts + 1'),
              reason: truncate(error, 200),
              updated_at: nowIso(),
              // The tick's day (migration 039): no other tick of that day sends it again.
              ...(day === undefined ? {} : { last_attempt_day: day }),
              // Counted, the attempt is over: the next tick may claim the reminder at once. A tick
              // whose claim ran out mid-send counts its attempt, and the claim another tick took
              // since stays that tick's: cleared, a third could send the reminder beside it.
              ...endOwnLease(trx, owner),
            });
        }
        return counted;
      }),

    purgeContacts: (unread = []) => db.write('purgeContacts', (trx) => purgeHolderContacts(db, trx, unread)),

    stalePending: (before) =>
      db.read('staleReminders', async (k) => {
        const rows = (await k('reminders')
          .select('target')
          .count({ n: '*' })
          .min({ oldest: 'created_at' })
          .where('state', 'pending')
          .where('created_at', '<', before.toISOString())
          .groupBy('target')
          .orderBy('target')) as unknown as { target: string; n: unknown; oldest: unknown }[];
        return rows.map((r) => ({ target: r.target, count: toInt(r.n), oldest: toDate(r.oldest) }));
      }),

    countByState: (q = {}) =>
      db.read('countRemindersByState', async (k) => {
        const query = k('reminders').select('state').count({ n: '*' }).groupBy('state');
        if (q.pipeline) query.where('pipeline', q.pipeline);
        const rows = (await query) as unknown as { state: string; n: unknown }[];
        const counts: Record<ReminderState, number> = { pending: 0, sent: 0, skipped: 0, dropped: 0 };
        for (const r of rows) if (r.state in counts) counts[r.state as ReminderState] = toInt(r.n);
        return counts;
      }),

    list: (q = {}) =>
      db.read('listReminders', async (k) => {
        const query = k('reminders')
          .select('*')
          .orderBy('updated_at', 'desc')
          .orderBy('reminder_key')
          .limit(q.limit ?? 1000);
        if (q.state) query.where('state', q.state);
        if (q.pipeline) query.where('pipeline', q.pipeline);
        const rows: ReminderRow[] = await query;
        return rows.map(toReminder);
      }),
  };
}
