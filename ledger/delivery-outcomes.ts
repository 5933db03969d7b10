/**
 * A platform's answers written on deliveries (deliveries.ts holds the rows, their reads and failed
 * attempts): each outcome only over the state, revision and lease its writer read, an accepted row
 * never moved, and every row changed audited in the same transaction.
 */
import type { Knex } from 'knex';
import { batchEntries } from './audit-batch.js';
import { type AuditInput, appendAudit } from './audit-chain.js';
import { type Db, inLists, nowIso, paddedRowChunks, rawRows, toInt } from './db.js';
import { clockNowSql } from './db-clock.js';
import { REPLAYED_UNANSWERED } from './dead-letters.js';
import { type DeliveryRef, keyOfRef, resolveDeliveryKeys } from './delivery-keys.js';
import { type StoredReceipt, storeReceipts } from './delivery-receipts.js';
import { revisionOf } from './delivery-revision.js';
import { keyedState } from './leases.js';
import type { DeliveryRowState } from './ledger.js';
import { closeUnsendableStoredText } from './quarantine-unsendable-stored-text.js';
import { anyOpenStoredText, MAY_HOLD_STORED_TEXT } from './repair-quarantine.js';
import { runOnSqliteTransaction } from './sqlite-connection.js';

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
    const recorded = await answeredWithStoredText(db, trx, outcomes, refs);
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
    // A send answered: the deliver stage read the version's text and matched it to its content
    // hash before it sent it (stages/deliver-items.ts), so what a deliver job said of that text
    // (LB_STORED_TEXT: a dead letter to replay once it is restored) may be settled. A version
    // accepted: a dead letter of an older version of its license at that target is left dead by
    // every replay (older data would follow it). Either closes it only once no delivery of that
    // version is left to send, as a discard does (quarantine-unsendable-stored-text.ts): its dead
    // letter at another target still waits for a replay, and the worklist would drop it.
    const answered = outcomes.filter(
      (o, i) =>
        changed.has(i) &&
        (o.state === 'submitted' || o.state === 'accepted') &&
        recorded.has((refs.get(o.key) as DeliveryRef).versionId),
    );
    if (answered.length > 0)
      await closeUnsendableStoredText(
        trx,
        db,
        answered.map((o) => (refs.get(o.key) as DeliveryRef).versionId),
        now,
      );
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
 * Of the versions a send's or a status request's answer (`submitted`, `accepted`) is given for,
 * those whose key has an open record that may hold a stored-text reason (version ids). Most calls
 * find no such record, and most find none open at all: asked first, as recordSignatures
 * asks (repair-quarantine.ts anyOpenStoredText, one look into an index of those records alone),
 * the join of every answered version to its license and the quarantine is left out then. It was
 * ~4 µs of SQLite a delivery, and its `IN` list built anew each batch (bench/pipeline.ts).
 */
async function answeredWithStoredText(
  db: Db,
  trx: Knex.Transaction,
  outcomes: readonly DeliveryOutcome[],
  refs: ReadonlyMap<string, DeliveryRef>,
): Promise<Set<number>> {
  const answered = outcomes
    .filter((o) => o.state === 'submitted' || o.state === 'accepted')
    .flatMap((o) => refs.get(o.key)?.versionId ?? []);
  const recorded = new Set<number>();
  if (answered.length === 0 || !(await anyOpenStoredText(trx))) return recorded;
  for (const part of inLists(db, [...new Set(answered)], 1)) {
    const rows: { version_id: unknown }[] = await trx('license_versions as v')
      .join('licenses as l', 'l.license_id', 'v.license_id')
      .join('quarantine as q', function onKey() {
        this.on('q.pipeline', '=', 'l.pipeline').andOn('q.source_key', '=', 'l.source_key');
      })
      .whereIn('v.version_id', part)
      .whereNull('q.resolved_at')
      .where('q.reasons', 'like', MAY_HOLD_STORED_TEXT)
      .distinct('v.version_id');
    for (const r of rows) recorded.add(toInt(r.version_id));
  }
  return recorded;
}

/**
 * Outcomes that end a delivery's lease (delivery-claims.ts) in the same statement: no sender may
 * claim these states again, so a lease left on them would only take room in every row.
 */
const LEASE_ENDING = "('accepted', 'submitted', 'dead')";

/** Answers newer than any failure `last_error` holds: the row no longer fails (see recordDeliveryOutcomes). */
const ERROR_CLEARING = "('accepted', 'submitted')";

/**
 * A dead letter written over the lease of a sender that died (run out, `claim_owner` still set:
 * delivery-lease-state.ts) counts that sender's send as an attempt beside its own. Killed after
 * the platform stored it and before it wrote the answer (or its ledger write failed), the sender
 * counted nothing; the job that took the delivery over and could not ask the platform about it
 * (its status request failed, or asked to wait, through its last attempt) dead-lettered it with
 * one attempt, as a delivery never sent, and `licbridge dlq replay` put it back unasked: the
 * platform received the license twice. Counted, the dead letter reads as tried before it died,
 * which the replay has asked about first (dead-letters.ts `unsureLease`). Not the replay's own
 * mark (`REPLAYED_UNANSWERED`): the send it stands for was counted in its round, carried. Binds
 * the owner; `clock` is the ledger's clock as SQL (db-clock.ts clockNowSql).
 */
function senderDied(clock: string): string {
  return `v.s = 'dead' and deliveries.claim_owner is not null and deliveries.claim_owner <> ?
            and deliveries.claimed_until < ${clock}`;
}

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

/** The columns of an outcome row (outcomeRow), in order: `v.i` … `v.l` in updateOutcomes' text. */
const OUTCOME_COLUMNS = ['i', 't', 's', 'r', 'p', 'h', 'c', 'q', 'u', 'f', 'a', 'l'] as const;

type OutcomeRow = Record<(typeof OUTCOME_COLUMNS)[number], string | number | null>;

function outcomeRow(
  { outcome: o, ref, text }: { outcome: DeliveryOutcome; ref: DeliveryRef; text: string | null },
  receipts: ReadonlyMap<string, StoredReceipt>,
): OutcomeRow {
  // The row names its receipt's shared text, or holds a long one itself. An outcome without one
  // leaves both as they are (`h` = 0).
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
}

/**
 * The `update … from <source>` statement of updateOutcomes, `source` naming its rows `v`. Binds
 * the dead sender's owner, the time written twice, the source's parameters; a lease runs out by
 * the ledger's clock (db-clock.ts), as the claims judge it, not this host's.
 */
function outcomesText(db: Pick<Db, 'dialect'>, source: string): string {
  const clock = clockNowSql(db);
  return `update deliveries set state = v.s, reasons = v.r,
            attempts = deliveries.attempts + case when ${senderDied(clock)} then 2 else 1 end,
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
             or deliveries.claimed_until is null or deliveries.claimed_until < ${clock})
      returning deliveries.version_id, deliveries.target`;
}

const PG_OUTCOMES_SOURCE =
  'jsonb_to_recordset(?::jsonb) as v(i bigint, t text, s text, r text, p text, h integer, c text, q integer, u integer, f text, a integer, l text)';

/** SQLite's texts by row count: a few (paddedRowChunks' lengths). */
const sqliteOutcomeTexts = new Map<number, string>();

function sqliteOutcomesText(count: number): string {
  let text = sqliteOutcomeTexts.get(count);
  if (text === undefined) {
    const names = OUTCOME_COLUMNS.map((c, i) => `column${i + 1} as ${c}`).join(', ');
    const row = `(${OUTCOME_COLUMNS.map(() => '?').join(', ')})`;
    const values = `(select ${names} from (values ${Array(count).fill(row).join(', ')})) as v`;
    text = outcomesText({ dialect: 'sqlite' }, values);
    if (sqliteOutcomeTexts.size < 16) sqliteOutcomeTexts.set(count, text);
  }
  return text;
}

/**
 * One statement for outcomes with distinct keys; returns the keys whose row changed. PostgreSQL
 * takes the outcomes as one JSON parameter. SQLite binds them value by value, in slices of a few
 * fixed lengths (db.ts paddedRowChunks) that stay compiled: read back from one JSON parameter, the
 * twelve `json_extract`s of each row were most of the statement's time (~21 µs an outcome against
 * ~13 bound, a page's 500 in one transaction). A slice is filled with copies of its last row: an
 * `update … from` changes a row once however many of its source rows match it, and the copies
 * are that same outcome.
 */
async function updateOutcomes(
  db: Db,
  trx: Knex.Transaction,
  outcomes: readonly { outcome: DeliveryOutcome; ref: DeliveryRef; text: string | null }[],
  receipts: ReadonlyMap<string, StoredReceipt>,
  now: string,
): Promise<Set<string>> {
  const keyOf = keyOfRef(outcomes.map((o) => o.ref));
  const changed = new Set<string>();
  const rows = outcomes.map((o) => outcomeRow(o, receipts));
  if (db.dialect === 'postgres') {
    const res: unknown = await trx.raw(outcomesText(db, PG_OUTCOMES_SOURCE), [
      REPLAYED_UNANSWERED,
      now,
      now,
      JSON.stringify(rows),
    ]);
    for (const r of rawRows<{ version_id: unknown; target: string }>(res))
      changed.add(keyOf(r.version_id, r.target) ?? '');
    return changed;
  }
  for (const part of paddedRowChunks(db, rows, OUTCOME_COLUMNS.length)) {
    const bindings: unknown[] = [REPLAYED_UNANSWERED, now, now];
    for (const r of part) for (const c of OUTCOME_COLUMNS) bindings.push(r[c]);
    const res = await runOnSqliteTransaction<{ version_id: unknown; target: string }>(
      trx,
      sqliteOutcomesText(part.length),
      bindings,
    );
    for (const r of res) changed.add(keyOf(r.version_id, r.target) ?? '');
  }
  return changed;
}

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
