/**
 * Deliveries: one row per (version, target), named by a key (delivery-keys.ts) so that a platform
 * sees the same idempotency key however often a job is replayed: the rows made, read, and counted
 * a failed attempt. An `accepted` row is final: late or replayed outcomes never move it back
 * (delivery-outcomes.ts writes them).
 */
import { isAttemptReason } from '../core/attempt-reasons.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { type AttemptFailure, attemptEntries } from './audit-attempts.js';
import { appendAudit } from './audit-chain.js';
import { chunk, type Db, inLists, nowIso, toInt, truncate } from './db.js';
import { clockAfter } from './db-clock.js';
import { newRowLeaseMs } from './delivery-claims.js';
import { keyOfRef, refsByTarget, resolveDeliveryKeys, whereRefs } from './delivery-keys.js';
import { type LeaseRead, leaseAsReadColumns, leaseColumn, withLease } from './delivery-lease-state.js';
import { nextRevision } from './delivery-revision.js';
import { keyedState, planByKey, whereRefsByKey } from './leases.js';
import type { StoredDelivery } from './ledger.js';
import { insertDeliveriesPg } from './pg-ensure-deliveries.js';
import { deliveryColumns } from './rows.js';

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
      for (const part of inLists(db, ids, 0)) {
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
  const given = [
    'version_id',
    'target',
    'state',
    'attempts',
    'reasons',
    'created_at',
    'updated_at',
    ...(lease ? ['claim_owner'] : []),
  ];
  // One statement; a delivery already there is left as it is.
  const columns = lease ? [...given, 'claimed_until'] : given;
  const until = lease ? ', ? as claimed_until' : '';
  if (db.dialect === 'postgres') {
    // The rows as one JSON parameter.
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
    const source = `select ${given.join(', ')}${until} from jsonb_to_recordset(?::jsonb) as r(version_id bigint, target text,
           state text, attempts integer, reasons text, created_at timestamptz, updated_at timestamptz${lease ? ', claim_owner text' : ''})`;
    const found = await db.read('ensureDeliveries', (k) =>
      insertDeliveriesPg(
        k,
        columns,
        source,
        [...(lease ? [clockAfter(db, k, newRowLeaseMs(lease.leaseMs))] : []), JSON.stringify(rows)],
        ids.length,
      ),
    );
    if (found !== ids.length) throw missing(found);
    return readDeliveries(db, [{ target, versionIds: ids }], lease?.owner);
  }
  // SQLite: the rows differ by their version id alone, so the ids go as one JSON array and the
  // rest is bound once. Read as a JSON array of objects, each row cost nine json_extract calls,
  // about 7 µs of SQLite CPU a delivery.
  // SQLite reads `ON CONFLICT` after a bare SELECT as a join constraint: the WHERE keeps them apart.
  const constants = `?, 'pending', 0, '[]', ?, ?${lease ? ', ?' : ''}${until}`;
  await db.write('ensureDeliveries', async (trx) => {
    await trx.raw(
      `insert into deliveries (${columns.join(', ')}) select value, ${constants} from json_each(?) where true
         on conflict (version_id, target) do nothing`,
      [
        target,
        now,
        now,
        ...(lease ? [lease.owner, clockAfter(db, trx, newRowLeaseMs(lease.leaseMs))] : []),
        JSON.stringify(ids),
      ],
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
          .select(...deliveryColumns(k), leaseColumn(db, k, owner), ...leaseAsReadColumns(db, k));
        const rows: LeaseRead[] = await whereRefsByKey(db, q, { target: group.target, versionIds }, 'd');
        out.push(...rows.map(withLease));
      }
    }
    return out.sort((a, b) => a.versionId - b.versionId || a.target.localeCompare(b.target));
  });
}

/**
 * States a failed send (an attempt recorded with no `onlyIf`) may apply to: the open ones its
 * sender read and claimed. Another job may have recorded an answer meanwhile (a sender whose
 * lease ran out, a check): `submitted`, `accepted` or a dead letter are left as they are, so the
 * failure neither names a submitted delivery's check as failing nor counts on a decided row.
 */
const OPEN_FOR_ATTEMPTS = ['pending', 'rejected'] as const;

/**
 * Counts a failed send (on the open rows its sender claimed) or, with `onlyIf`, status request (on
 * rows still `submitted`), `failure.error` kept capped as their last error, each row counted
 * audited in the same transaction with the caller's `failure.reason` (audit-attempts.ts: never the
 * text). A row answered meanwhile is left unnamed.
 */
export async function recordDeliveryAttempt(
  db: Db,
  keys: readonly string[],
  failure: AttemptFailure,
  onlyIf?: 'submitted',
): Promise<void> {
  // The chain is kept 20 years: a code outside the list (a caller's slip) is refused, not stored.
  // The value is not repeated: passed the error text by mistake, it may quote a platform's answer.
  if (!isAttemptReason(failure.reason))
    throw new LicbridgeError(
      ErrorCodes.INTERNAL,
      "ledger: expected a delivery attempt's `reason` to be one of the codes of ledger/audit-attempts.ts, got another value",
    );
  if (keys.length === 0) return;
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return;
  // The caller's message is stored capped; it must be the adapter's error text, never a payload.
  const lastError = truncate(failure.error);
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
    await appendAudit(
      db,
      trx,
      attemptEntries(refs, counted, { error: lastError, reason: failure.reason }, onlyIf ? 'status' : 'send'),
    );
  });
}

type AttemptRow = { version_id: unknown; target: string; attempts: unknown };
