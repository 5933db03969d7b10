/**
 * Deliveries: one row per (version, target), named by a key (delivery-keys.ts) so that a platform
 * sees the same idempotency key however often a job is replayed. An `accepted` row is final: late or replayed
 * outcomes never move it back.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { attemptEntries } from './audit-attempts.js';
import { batchEntries } from './audit-batch.js';
import { type AuditInput, appendAudit } from './audit-chain.js';
import { chunk, type Db, nowIso, rawRows, toInt, truncate } from './db.js';
import { clockAfter, clockNow } from './db-clock.js';
import { newRowLeaseMs } from './delivery-claims.js';
import { type DeliveryRef, keyOfRef, refsByTarget, resolveDeliveryKeys, whereRefs } from './delivery-keys.js';
import { leaseColumn, withLease } from './delivery-lease-state.js';
import { type StoredReceipt, storeReceipts } from './delivery-receipts.js';
import { nextRevision, revisionOf } from './delivery-revision.js';
import { keyedState, planByKey, whereRefsByKey } from './leases.js';
import type { DeliveryRowState, StoredDelivery } from './ledger.js';
import { insertDeliveriesPg } from './pg-ensure-deliveries.js';
import { type DeliveryRow, deliveryColumns } from './rows.js';

export interface DeliveryOutcome {
  key: string;
  state: DeliveryRowState;
  platformId?: string;
  reasons?: string[];
  receipt?: Record<string, unknown>;
  /**
   * Written only while the row is in this state, the one the outcome was decided from: a send's
   * answer over the open state its sender read, a status request's over `submitted`. What another
   * job wrote meanwhile (a check's verdict, another sender's answer, a replay) is left as it wrote it.
   */
  from?: DeliveryRowState;
  /**
   * Written only while the row's `revision` is this, as the caller read it (`StoredDelivery.revision`):
   * every outcome, attempt, reopening and replay counts one, so an answer recorded after that read (a
   * plain `submitted` of a review still pending, another sender's) is not overwritten by a verdict
   * drawn from the read. Not `attempts`: a reopening or a replay puts that back to 0, and a verdict
   * drawn before either would find the count it read again (migration 041).
   */
  revision?: number;
  /**
   * Written only while no other sender holds a live lease on the row (delivery-claims.ts): one
   * leased is being sent, and its sender's answer is the platform's word on it. A claim moves no
   * `revision`, so a verdict drawn from a read made before another job claimed the row would
   * otherwise find it as read and dead-letter a send the platform is reviewing. `owner`'s own lease
   * does not count; a lease run out (its sender died) neither.
   */
  unleased?: { owner?: string };
}

/** A lease the rows `ensureDeliveries` creates are written with (delivery-claims.ts). */
export interface NewDeliveryLease {
  owner: string;
  leaseMs: number;
}

export async function ensureDeliveries(
  db: Db,
  versionIds: readonly number[],
  target: string,
  lease?: NewDeliveryLease,
): Promise<StoredDelivery[]> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return [];
  const missing = (found: number) =>
    new LicbridgeError(
      ErrorCodes.LEDGER,
      `ledger: ensureDeliveries failed: ${ids.length - found} of ${ids.length} version ids are not in the ledger`,
      { context: { target } },
    );
  // Versions never change once written, so they are read before the write transaction: on SQLite
  // that transaction must begin with a write (see db.ts). PostgreSQL checks in the insert itself.
  if (db.dialect === 'sqlite') {
    const versions = await db.read('ensureDeliveries', async (k) => {
      const out: { version_id: unknown }[] = [];
      for (const part of chunk(ids, db.maxParams)) {
        out.push(...(await k('license_versions').select('version_id').whereIn('version_id', part)));
      }
      return out;
    });
    if (versions.length !== ids.length) throw missing(versions.length);
  }
  const now = nowIso();
  // Keyed by (version, target) (migration 018): the delivery key is the version's license and
  // number with the target, computed when read, never stored.
  // A sender that creates a row is the one about to send it: the row is written leased to it, so
  // its claim (delivery-claims.ts) finds the lease and need not write the row a second time. On
  // PostgreSQL each update leaves the old row version behind until vacuum, and on a full page the
  // new one lands on another, with an entry in every index. The lease ends by the ledger's clock
  // (db-clock.ts), as the claims judge it, not by this host's: the statement reads it.
  const rows = ids.map((id) => ({
    version_id: id,
    target,
    state: 'pending',
    attempts: 0,
    reasons: '[]',
    created_at: now,
    updated_at: now,
    ...(lease ? { claim_owner: lease.owner } : {}),
  }));
  // One statement, the rows as one JSON parameter; a delivery already there is left as it is.
  const given = Object.keys(rows[0] ?? {});
  const columns = lease ? [...given, 'claimed_until'] : given;
  const until = lease ? ', ? as claimed_until' : '';
  const source =
    db.dialect === 'postgres'
      ? `select ${given.join(', ')}${until} from jsonb_to_recordset(?::jsonb) as r(version_id bigint, target text,
           state text, attempts integer, reasons text, created_at timestamptz, updated_at timestamptz${lease ? ', claim_owner text' : ''})`
      : // SQLite reads `ON CONFLICT` after a bare SELECT as a join constraint: the WHERE keeps them apart.
        `select ${given.map((c) => `json_extract(value, '$.${c}')`).join(', ')}${until} from json_each(?) where true`;
  const bindings = (k: Knex) => [
    ...(lease ? [clockAfter(db, k, newRowLeaseMs(lease.leaseMs))] : []),
    JSON.stringify(rows),
  ];
  if (db.dialect === 'postgres') {
    const found = await db.read('ensureDeliveries', (k) =>
      insertDeliveriesPg(k, columns, source, bindings(k), ids.length),
    );
    if (found !== ids.length) throw missing(found);
    return readDeliveries(db, [{ target, versionIds: ids }], lease?.owner);
  }
  await db.write('ensureDeliveries', async (trx) => {
    await trx.raw(
      `insert into deliveries (${columns.join(', ')}) ${source} on conflict (version_id, target) do nothing`,
      bindings(trx),
    );
  });
  return readDeliveries(db, [{ target, versionIds: ids }], lease?.owner);
}

export async function getDeliveries(db: Db, keys: readonly string[]): Promise<StoredDelivery[]> {
  const refs = await resolveDeliveryKeys(db, keys);
  return readDeliveries(db, refsByTarget(refs, db.maxParams - 1));
}

/**
 * The deliveries of each group's versions at its target, by version id then target: a sender's every
 * wave (ensureDeliveries). PostgreSQL costed an `IN` list of a wave's ids as it did a release's
 * (leases.ts `planByKey`), and read all 50,500 deliveries for 500; its ids travel as one JSON
 * parameter instead (leases.ts `whereRefsByKey`), which it plans as a hundred rows, each probed on
 * the key (as resolveDeliveryKeys does), in one statement and no transaction (pg-ensure-deliveries.ts).
 */
async function readDeliveries(
  db: Db,
  groups: readonly { target: string; versionIds: readonly number[] }[],
  owner?: string,
): Promise<StoredDelivery[]> {
  return db.read('getDeliveries', async (k) => {
    const out: StoredDelivery[] = [];
    for (const group of groups) {
      // Room beside the ids for the lease's owner.
      for (const versionIds of chunk([...group.versionIds], db.maxParams - 2)) {
        const q = k('deliveries as d')
          .join('license_versions as v', 'v.version_id', 'd.version_id')
          .select(...deliveryColumns(k), leaseColumn(db, k, owner));
        const rows: (DeliveryRow & { lease: unknown })[] = await whereRefsByKey(
          db,
          q,
          { target: group.target, versionIds },
          'd',
        );
        out.push(...rows.map(withLease));
      }
    }
    return out.sort((a, b) => a.versionId - b.versionId || a.target.localeCompare(b.target));
  });
}

/**
 * Records platform outcomes: one `UPDATE … FROM` per batch (the outcomes travel as one JSON
 * parameter), not one statement per delivery. An accepted row is never moved; a discarded one
 * only by `accepted` (the platform holds it after all), a dead one not by a plain `submitted` (an
 * answer older than the verdict or the giving up that wrote it); a platform id or
 * receipt once received is kept when a later outcome carries none. A duplicate answer (the
 * receipt's `duplicate`) is kept in `duplicate_at` through later answers, which may replace the
 * receipt: a `submitted` one polled later says nothing of it (ledger/reconcile-duplicates.ts).
 * A `submitted` or `accepted` answer clears `last_error`: the failure it names (a send's, a status
 * request's) is older than the answer, and an operator reading it would take the delivery for failing.
 * Each row actually changed gets its audit entry, in the order of `outcomes`, in the same
 * transaction; returns the keys of those rows, once each, in the order of `outcomes` (a row that
 * is accepted already, or fails the outcome's `from`, `revision` or `unleased`, is left and not named).
 */
export async function recordDeliveryOutcomes(
  db: Db,
  outcomes: readonly DeliveryOutcome[],
): Promise<string[]> {
  if (outcomes.length === 0) return [];
  const refs = new Map(
    (
      await resolveDeliveryKeys(
        db,
        outcomes.map((o) => o.key),
      )
    ).map((r) => [r.key, r]),
  );
  const now = nowIso();
  const texts = outcomes.map((o) => (o.receipt === undefined ? null : JSON.stringify(o.receipt)));
  const changed = new Set<number>();
  await db.write('recordDeliveryOutcomes', async (trx) => {
    // A try the database rolled back is run again from the start (ledger/db.ts).
    changed.clear();
    // Receipts are kept once per text (delivery-receipts.ts), all of the call's made in one
    // statement in one order before any row is written: made per statement below, a key given
    // twice or a call past one statement's outcomes made them in two orders, and a writer making
    // the same texts at once could wait on this one while it waited on that one (a deadlock).
    const receipts = await storeReceipts(
      db,
      trx,
      texts.filter((_, i) => refs.has((outcomes[i] as DeliveryOutcome).key)),
    );
    // A key given twice is applied twice, in order, as separate updates would: the second
    // statement sees what the first wrote (and an `accepted` stops it). A key that names no
    // delivery changes nothing.
    for (const round of rounds(outcomes)) {
      const known = round.filter((i) => refs.has((outcomes[i] as DeliveryOutcome).key));
      for (const part of slicesOf(known, OUTCOMES_PER_STATEMENT)) {
        const updated = await updateOutcomes(
          db,
          trx,
          part.map((i) => {
            const o = outcomes[i] as DeliveryOutcome;
            return { outcome: o, ref: refs.get(o.key) as DeliveryRef, text: texts[i] ?? null };
          }),
          receipts,
          now,
        );
        for (const i of part) if (updated.has((outcomes[i] as DeliveryOutcome).key)) changed.add(i);
      }
    }
    // One entry per target, action and state binding its outcomes (audit-batch.ts).
    await appendAudit(
      db,
      trx,
      batchEntries(
        outcomes
          .filter((_, i) => changed.has(i))
          .map((o) => ({
            versionId: (refs.get(o.key) as DeliveryRef).versionId,
            tuple: [o.platformId ?? null],
            single: deliveryAudit(o),
          })),
        (act) => ({ state: act.single.detail?.state ?? null }),
      ),
    );
  });
  return [...new Set(outcomes.filter((_, i) => changed.has(i)).map((o) => o.key))];
}

/**
 * Outcomes that end a delivery's lease (delivery-claims.ts) in the same statement: no sender may
 * claim these states again, so a lease left on them would only take room in every row.
 */
const LEASE_ENDING = "('accepted', 'submitted', 'dead')";

/**
 * States a failed send (an attempt recorded with no `onlyIf`) may apply to: the open ones its
 * sender read and claimed. Another job may have recorded an answer meanwhile (a sender whose
 * lease ran out, a check): `submitted`, `accepted` or a dead letter are left as they are, so the
 * failure neither names a submitted delivery's check as failing nor counts on a decided row.
 */
const OPEN_FOR_ATTEMPTS = ['pending', 'rejected'] as const;

/** Answers newer than any failure `last_error` holds: the row no longer fails (see recordDeliveryOutcomes). */
const ERROR_CLEARING = "('accepted', 'submitted')";

/** Outcomes per statement: one JSON parameter, so only the statement's size bounds it. */
const OUTCOMES_PER_STATEMENT = 5000;

/** Indexes of `outcomes` split so that no key appears twice in one round, order kept. */
function rounds(outcomes: readonly DeliveryOutcome[]): number[][] {
  const out: number[][] = [];
  const seen = new Map<string, number>();
  outcomes.forEach((o, i) => {
    const n = seen.get(o.key) ?? 0;
    seen.set(o.key, n + 1);
    if (n === out.length) out.push([]);
    out[n]?.push(i);
  });
  return out;
}

function slicesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One statement for outcomes with distinct keys; returns the keys whose row changed. */
async function updateOutcomes(
  db: Db,
  trx: Knex.Transaction,
  outcomes: readonly { outcome: DeliveryOutcome; ref: DeliveryRef; text: string | null }[],
  receipts: ReadonlyMap<string, StoredReceipt>,
  now: string,
): Promise<Set<string>> {
  // The row names its receipt's shared text, or holds a long one itself. An outcome without one
  // leaves both as they are (`h` = 0).
  const values = JSON.stringify(
    outcomes.map(({ outcome: o, ref, text }) => {
      const stored = text === null ? undefined : receipts.get(text);
      return {
        i: ref.versionId,
        t: ref.target,
        s: o.state,
        r: JSON.stringify(o.reasons ?? []),
        p: o.platformId ?? null,
        h: text === null ? 0 : 1,
        c: stored?.text ?? null,
        q: stored?.id ?? null,
        u: o.receipt?.duplicate === true ? 1 : 0,
        f: o.from ?? null,
        a: o.revision ?? null,
        // '' when the writer holds no lease: no sender is named so.
        l: o.unleased === undefined ? null : (o.unleased.owner ?? ''),
      };
    }),
  );
  const source =
    db.dialect === 'postgres'
      ? 'jsonb_to_recordset(?::jsonb) as v(i bigint, t text, s text, r text, p text, h integer, c text, q integer, u integer, f text, a integer, l text)'
      : `(select json_extract(value, '$.i') as i, json_extract(value, '$.t') as t, json_extract(value, '$.s') as s,
                 json_extract(value, '$.r') as r, json_extract(value, '$.p') as p, json_extract(value, '$.h') as h,
                 json_extract(value, '$.c') as c, json_extract(value, '$.q') as q, json_extract(value, '$.u') as u,
                 json_extract(value, '$.f') as f, json_extract(value, '$.a') as a, json_extract(value, '$.l') as l
            from json_each(?)) as v`;
  const res: unknown = await trx.raw(
    `update deliveries set state = v.s, reasons = v.r, attempts = deliveries.attempts + 1,
            revision = ${revisionOf()} + 1, updated_at = ?,
            platform_id = coalesce(v.p, deliveries.platform_id),
            receipt = case when v.h = 1 then v.c else deliveries.receipt end,
            receipt_id = case when v.h = 1 then v.q else deliveries.receipt_id end,
            duplicate_at = case when v.u = 1 and deliveries.duplicate_at is null then ? else deliveries.duplicate_at end,
            last_error = case when v.s in ${ERROR_CLEARING} then null else deliveries.last_error end,
            claim_owner = case when v.s in ${LEASE_ENDING} then null else deliveries.claim_owner end,
            claimed_until = case when v.s in ${LEASE_ENDING} then null else deliveries.claimed_until end
       from ${source}
      where deliveries.version_id = v.i and deliveries.target = v.t and ${keyedState(db, 'deliveries.state')} <> 'accepted'
        and (v.f is null or deliveries.state = v.f) and (v.a is null or ${revisionOf()} = v.a)
        and not (deliveries.state = 'discarded' and v.s <> 'accepted')
        and not (deliveries.state = 'dead' and v.s = 'submitted')
        and (v.l is null or deliveries.claim_owner is null or deliveries.claim_owner = v.l
             or deliveries.claimed_until is null or deliveries.claimed_until < ?)
      returning deliveries.version_id, deliveries.target`,
    // A lease runs out by the ledger's clock (db-clock.ts), as the claims judge it, not this host's.
    [now, now, values, clockNow(db, trx)],
  );
  const rows = rawRows<{
    version_id: unknown;
    target: string;
  }>(res);
  const keyOf = keyOfRef(outcomes.map((o) => o.ref));
  return new Set(rows.map((r) => keyOf(r.version_id, r.target) ?? ''));
}

/**
 * Counts a failed send (on the open rows its sender claimed) or, with `onlyIf`, status request (on
 * rows still `submitted`), `error` kept capped as their last error, each row counted audited in the
 * same transaction (audit-attempts.ts: never the text). A row answered meanwhile is left unnamed.
 */
export async function recordDeliveryAttempt(
  db: Db,
  keys: readonly string[],
  error: string,
  onlyIf?: 'submitted',
): Promise<void> {
  if (keys.length === 0) return;
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return;
  // The caller's message is stored capped; it must be the adapter's error text, never a payload.
  const lastError = truncate(error);
  const now = nowIso();
  const states: readonly string[] = onlyIf === undefined ? OPEN_FOR_ATTEMPTS : [onlyIf];
  const keyOf = keyOfRef(refs);
  await db.write('recordDeliveryAttempt', async (trx) => {
    // Once a wave: the rows it names by their key, not every open row of the target (leases.ts).
    await planByKey(db, trx);
    const counted = new Map<string, number>();
    // Room beside the refs: target, the states, last_error and updated_at.
    for (const group of refsByTarget(refs, db.maxParams - 5)) {
      const rows = (await whereRefs(trx('deliveries'), group)
        .whereRaw(`${keyedState(db)} in (${states.map(() => '?').join(', ')})`, [...states])
        .update({
          attempts: trx.raw('attempts + 1'),
          revision: nextRevision(trx),
          last_error: lastError,
          updated_at: now,
        })
        .returning(['version_id', 'target', 'attempts'])) as AttemptRow[];
      for (const r of rows) counted.set(keyOf(r.version_id, r.target) ?? '', toInt(r.attempts));
    }
    // A failed attempt is an act the rules require logged: its entry commits with the count
    // (audit-chain.ts, taken last), in the order of `keys`.
    await appendAudit(db, trx, attemptEntries(refs, counted, lastError, onlyIf ? 'status' : 'send'));
  });
}

type AttemptRow = { version_id: unknown; target: string; attempts: unknown };

/** The audit entry of one recorded outcome: `deliver` (with the state) or `dead-letter`. */
function deliveryAudit(o: DeliveryOutcome): AuditInput {
  // The key is `<licenseId>:<version>:<target>` (rows.ts); license ids hold dots, never colons.
  const [licenseId, version, target] = o.key.split(':');
  const v = Number(version);
  return {
    action: o.state === 'dead' ? 'dead-letter' : 'deliver',
    actor: `target:${target ?? 'unknown'}`,
    licenseId: licenseId ?? null,
    version: Number.isSafeInteger(v) ? v : null,
    // The delivery key is not repeated here: it is `<license_id>:<version>:<target>`, all three in
    // the entry already (migration 016; entries written before keep it).
    detail: { state: o.state, platformId: o.platformId ?? null },
  };
}
