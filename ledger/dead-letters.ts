/**
 * The dead-letter list. A delivery the platform rejected, one that failed past its attempts, or
 * one whose deliver job killed its worker every time it was taken (pipelines/workers/stalled-out.ts)
 * stays in `deliveries` as `dead` with its reasons; this module lists them and records what an
 * operator does about them: `replay` puts the delivery back to `pending` (the caller enqueues it),
 * one the platform may hold marked for its sender to ask about first (`unsureLease`); `discard`
 * closes it as `discarded` without sending. Both are logged in `dead_letter_actions`.
 */
import type { Knex } from 'knex';
import { appendAudit, operatorActor } from './audit-chain.js';
import { carryAttempts } from './carried-attempts.js';
import { type Db, nowIso, toInt, truncate } from './db.js';
import { clockAfter } from './db-clock.js';
import { refsByTarget, resolveDeliveryKeys } from './delivery-keys.js';
import { nextRevision, revisionOf } from './delivery-revision.js';
import { whereHashedKey } from './hashed-keys.js';
import { keyedState, whereRefsByKey } from './leases.js';
import type { DeadLetter, DeadLetterQuery } from './ledger.js';
import { closeUnsendableStoredText } from './quarantine-unsendable-stored-text.js';
import { type DeliveryRow, deliveryColumns, toDelivery } from './rows.js';

type DeadRow = DeliveryRow & {
  pipeline: string;
  run_id: string;
  operation: string;
  last_error: string | null;
};

function toDeadLetter(r: DeadRow): DeadLetter {
  return {
    ...toDelivery(r),
    pipeline: r.pipeline,
    runId: r.run_id,
    operation: r.operation as DeadLetter['operation'],
    lastError: r.last_error,
  };
}

export async function listDeadLetters(db: Db, query: DeadLetterQuery = {}): Promise<DeadLetter[]> {
  const refs = query.keys ? await resolveDeliveryKeys(db, query.keys) : undefined;
  return db.read('listDeadLetters', async (k) => {
    const state = query.state ?? 'dead';
    const base = (byKey: boolean) => {
      const q = k('deliveries as d')
        .join('license_versions as v', 'v.version_id', 'd.version_id')
        .select(...deliveryColumns(k), 'v.pipeline', 'v.run_id', 'v.operation');
      // Named by key (a replay's, a discard's), the rows are read by the key: compared plainly, the
      // state took PostgreSQL to deliveries_open_idx, every dead letter of the target (10,050 of
      // them for 500 named on a ledger of 100,500 deliveries; leases.ts keyedState).
      if (byKey) q.whereRaw(`${keyedState(db, 'd.state')} = ?`, [state]);
      else q.where('d.state', state);
      if (query.target) q.andWhere('d.target', query.target);
      if (query.pipeline) whereHashedKey(k, q, 'v.pipeline', query.pipeline);
      const after = query.after;
      if (after)
        q.andWhere((w) =>
          w
            .where('d.target', '>', after.target)
            .orWhere((x) => x.where('d.target', after.target).andWhere('v.license_id', '>', after.licenseId))
            .orWhere((x) =>
              x
                .where('d.target', after.target)
                .andWhere('v.license_id', after.licenseId)
                .andWhere('v.version', '>', after.version),
            ),
        );
      // Oldest version first per license, so a replay sends an issue before the revocation after it.
      return q.orderBy([{ column: 'd.target' }, { column: 'v.license_id' }, { column: 'v.version' }]);
    };
    if (refs) {
      const out: DeadLetter[] = [];
      // Targets in turn, each in the statement's order (license, then version).
      const groups = refsByTarget(refs, db.maxParams - 4).sort((a, b) => compareText(a.target, b.target));
      for (const group of groups) {
        const rows: DeadRow[] = await whereRefsByKey(db, base(true), group, 'd');
        out.push(...rows.map(toDeadLetter));
      }
      return out;
    }
    const rows: DeadRow[] = await base(false).limit(query.limit ?? 1000);
    return rows.map(toDeadLetter);
  });
}

async function act(
  db: Db,
  op: 'replay' | 'discard',
  keys: readonly string[] | readonly DeadLetter[],
  note: string | undefined,
  actor: () => string,
): Promise<DeadLetter[]> {
  // Letters given as read are written over that read, never a second one: a caller that checked
  // them (held-replay.ts) acts on nothing written since its check.
  const dead = asKeys(keys) ? await listDeadLetters(db, { keys }) : keys;
  if (dead.length === 0) return [];
  const now = nowIso();
  const moved: DeadLetter[] = [];
  await db.write(op === 'replay' ? 'replayDeadLetters' : 'discardDeadLetters', async (trx) => {
    // A try the database rolled back is run again from the start (ledger/db.ts): what it moved
    // was undone with it.
    moved.length = 0;
    for (const d of dead) {
      // Only the dead letter read moves, still dead and written by nobody since (its `revision`):
      // two operators acting at once do not both act, and one another operator replayed and its
      // job dead-lettered again meanwhile (other reasons) is not acted on under the reasons read,
      // which the action logs.
      const n = await trx('deliveries')
        .where({ version_id: d.versionId, target: d.target, state: 'dead' })
        .andWhereRaw(`${revisionOf()} = ?`, [d.revision])
        .update(
          op === 'replay'
            ? {
                state: 'pending',
                reasons: '[]',
                // The round's tries stay counted in /metrics (carried-attempts.ts).
                ...carryAttempts(trx),
                attempts: 0,
                // A new round: open since now, not since the row was written (migration 050).
                opened_at: now,
                // Never back: a write decided before the replay must not match it (migration 041).
                revision: nextRevision(trx),
                last_error: null,
                // The lease of the send that got it rejected may still run: a replay starts clean,
                // but for a letter the platform may hold (`unsureLease`).
                ...unsureLease(db, trx),
                updated_at: now,
              }
            : { state: 'discarded', revision: nextRevision(trx), updated_at: now },
        );
      if (toInt(n) === 0) continue;
      await trx('dead_letter_actions').insert({
        delivery_key: d.key,
        target: d.target,
        action: op,
        reasons: JSON.stringify(d.reasons),
        note: note === undefined ? null : truncate(note),
        created_at: now,
      });
      moved.push(d);
    }
    // Discarded, a dead letter is sent by nothing: what a deliver job said of its version's stored
    // text ("`licbridge dlq replay` sends it") can no longer come true once no other delivery of it
    // is left to send (quarantine-unsendable-stored-text.ts).
    if (op === 'discard' && moved.length > 0)
      await closeUnsendableStoredText(
        trx,
        db,
        moved.map((d) => d.versionId),
        now,
      );
    // Audit chain (ledger/audit-chain.ts): same transaction, taken last.
    await appendAudit(
      db,
      trx,
      moved.map((d) => ({
        action: op === 'replay' ? ('replay' as const) : ('dead-letter' as const),
        actor: actor(),
        licenseId: d.licenseId,
        version: d.version,
        detail: { deliveryKey: d.key, target: d.target, action: op },
      })),
    );
  });
  return moved;
}

/** Who a replayed dead letter the platform may hold reads as leased to, its lease run out. */
export const REPLAYED_UNANSWERED = 'dlq-replay';

/**
 * The lease a replay leaves on a dead letter whose send the platform may hold: one tried before it
 * was dead-lettered (`attempts` past the one its dead letter counts: a send whose answer was lost,
 * a status request that failed, a platform that asked to wait, a sender that died after sending it,
 * counted as its dead letter was written: delivery-outcomes.ts `SENDER_DIED`), or in an earlier
 * round (its tries carried by an earlier replay or a reopening, carried-attempts.ts: that round
 * may have ended without the platform's word). Put back to `pending` with no attempt counted, the
 * deliver stage took it for never sent and sent it again unasked, and the platform received the
 * license twice (a duplicate in its review). Left leased to nobody alive (`REPLAYED_UNANSWERED`, run out by the
 * ledger's clock), it reads as the delivery of a sender that died after it may have sent it
 * (`leaseLapsed`, delivery-lease-state.ts): whichever job takes it — the replay's, a sweep's, a
 * run's — asks the platform before sending it (pipelines/stages/deliver-lost-answers.ts), records
 * what it holds, and sends only the rest. Any other letter (the platform refused its only send, or
 * it was never sent: held behind a dead predecessor, its file refused) starts clean, unleased.
 * Written in the replay's statement from the row as it was: SET reads the old `attempts`.
 */
function unsureLease(db: Db, trx: Knex.Transaction): Record<'claim_owner' | 'claimed_until', Knex.Raw> {
  const unsure = 'attempts > 1 or coalesce(carried_attempts, 0) > 0';
  return {
    claim_owner: trx.raw(`case when ${unsure} then ? else null end`, [REPLAYED_UNANSWERED]),
    claimed_until: trx.raw(`case when ${unsure} then ? else null end`, [clockAfter(db, trx, -1)]),
  };
}

/**
 * Dead → `pending`. Audited as the operator's act (`operatorActor`), or as `actor`'s: licbridge's
 * own replay of a letter held behind an earlier version that has landed since
 * (pipelines/held-replay.ts) names itself, not the account the worker runs under. Given as letters
 * read (with their `revision`), each moves only if still as read.
 */
export function replayDeadLetters(
  db: Db,
  keys: readonly string[] | readonly DeadLetter[],
  note?: string,
  actor?: string,
): Promise<DeadLetter[]> {
  return act(db, 'replay', keys, note, actor === undefined ? operatorActor : () => actor);
}

export function discardDeadLetters(db: Db, keys: readonly string[], note?: string): Promise<DeadLetter[]> {
  return act(db, 'discard', keys, note, operatorActor);
}

function asKeys(keys: readonly string[] | readonly DeadLetter[]): keys is readonly string[] {
  return keys.every((k) => typeof k === 'string');
}

/** Target names (`[a-z][a-z0-9-]*`) in code-unit order. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
