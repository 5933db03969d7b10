/**
 * Leases on deliveries being sent (ledger/leases.ts). BullMQ is at-least-once and a sweep may
 * enqueue a key again, so two jobs can hold the same open delivery; the one that claims it sends
 * it, the other waits. A lease ends when the sender records the outcome, or when it runs out (the
 * sender died), after which the delivery may be claimed and sent again — the platform's
 * idempotency key covers that. The rows a sender creates come leased to it (`newRowLeaseMs`), so
 * its first claim takes them without writing them again.
 */
import type { Knex } from 'knex';
import { type Db, rawRows, toInt } from './db.js';
import { clockAfter, clockNow } from './db-clock.js';
import {
  type DeliveryRef,
  keyOfRef,
  pairedVersions,
  parseDeliveryKey,
  refsByTarget,
  resolveDeliveryKeys,
  whereRefs,
} from './delivery-keys.js';
import { revisionOf } from './delivery-revision.js';
import { reclaimDeliveryRoom } from './delivery-vacuum.js';
import { claimLeases, claimParams, keyedState, planByKey, RELEASE_PARAMS, releaseLeases } from './leases.js';
import type { StoredDelivery } from './ledger.js';
import type { LeaseAsRead } from './types-deliveries.js';

/**
 * The lease a row is written with when its sender creates it (deliveries.ts `ensureDeliveries`):
 * `leaseMs` and a grace of half of it, at most 5 s, for the reads between the insert and the first
 * claim, so that claim finds the whole lease still to run and takes the row without writing it. A
 * claim later than the grace renews the lease. A sender that dies before its claim leaves the rows
 * to the others this much later.
 */
export function newRowLeaseMs(leaseMs: number): number {
  return leaseMs + Math.min(leaseMs / 2, 5_000);
}

/** Deliveries' leases; open ones (pending, rejected) a claim may lease when nobody holds them. */
const CLAIM = { table: 'deliveries', key: ['version_id', 'target'], open: ['pending', 'rejected'] } as const;

/**
 * What a sender read of a delivery before it claims it (pipelines/stages/deliver.ts): its revision,
 * its state, whether its lease had run out under another sender then (`leaseLapsed`), and that
 * lease itself (`leaseAsRead`: whose, and until when).
 */
export type DeliveryAsRead = Pick<
  StoredDelivery,
  'key' | 'revision' | 'state' | 'leaseLapsed' | 'leaseAsRead'
>;

/**
 * Whether a claim may take `row`'s lease should it find it run out under another sender, and still
 * the lease read (`asReadLease`): read so, or read `rejected` (from before migration 049), whose
 * run-out lease a read does not tell (delivery-lease-state.ts) and which is sent again unasked, as
 * it always was: refused, it would be nobody's to take. A row given without its lease as read
 * (`leaseAsRead`) has none the claim could tell is still the one read: not taken.
 */
function mayTakeOver(
  row: DeliveryAsRead | undefined,
): row is DeliveryAsRead & Required<Pick<DeliveryAsRead, 'leaseAsRead'>> {
  return row?.leaseAsRead !== undefined && (row.leaseLapsed === true || row.state !== 'pending');
}

/**
 * The run-out leases `claim` may take: each only while it is still the lease read at its row
 * (`leaseAsRead`). `leaseLapsed` tells that some lease had run out, not whose: a sender that took
 * the row after the read, sent it and died leaves a run-out lease too, and taken by the row alone
 * it was sent again unasked (leases.ts `lapsed`). The leases read go as one JSON parameter, a set
 * the row's version, owner and end are looked up in (as heldWhole's keys are), the end as read
 * (delivery-lease-state.ts `leaseAsReadColumns`). A lease that has an end has an owner (every
 * writer sets both), so a plain comparison is NULL-safe enough here: a lease read as none is never
 * taken by this branch. None read so, a condition no row meets: knex drops a group with nothing in
 * it, which would let every run-out lease be taken.
 */
function asReadLease(
  db: Pick<Db, 'dialect'>,
  q: Knex.QueryBuilder,
  leases: readonly { versionId: number; lease: LeaseAsRead }[],
): Knex.QueryBuilder {
  if (leases.length === 0) return q.whereRaw('1 = 0');
  const read = JSON.stringify(
    leases.map(({ versionId, lease }) => ({ v: versionId, o: lease.owner, u: lease.until })),
  );
  return db.dialect === 'postgres'
    ? q.whereRaw(
        `(version_id, claim_owner, claimed_until) in (
           select j.v, j.o, j.u::timestamptz from jsonb_to_recordset(?::jsonb) as j(v bigint, o text, u text))`,
        [read],
      )
    : q.whereRaw(
        `(version_id, claim_owner, claimed_until) in (
           select json_extract(j.value, '$.v'), json_extract(j.value, '$.o'), json_extract(j.value, '$.u')
             from json_each(?) j)`,
        [read],
      );
}

/**
 * Leases `keys` to `owner` for `leaseMs` and returns those it now holds. With `asRead` (what the
 * sender read of them, before it asked the platform about those that may have landed and chose
 * what to send), one another sender took or wrote since is not leased: a lease of another's that
 * ran out is taken only where the sender read it run out, and a row written since (an attempt, an
 * answer: its revision grew) is let go again in the same transaction. A row read free, or the
 * sender's own, that another job claimed after the read, sent, and then died holding, or let go
 * with its attempt counted (its answer lost), was claimed and sent again unasked: the platform
 * received it twice. Whoever reads it next reads the run-out lease or the attempt, and asks first.
 */
export async function claimDeliveries(
  db: Db,
  keys: readonly string[],
  owner: string,
  leaseMs: number,
  asRead?: readonly DeliveryAsRead[],
): Promise<string[]> {
  if (keys.length === 0) return [];
  // Outside the claim's transaction (a VACUUM runs in none): the room earlier outcomes left.
  await reclaimDeliveryRoom(db);
  const read = asRead === undefined ? undefined : new Map(asRead.map((r) => [r.key, r]));
  if (await heldWhole(db, keys, owner, leaseMs, read)) return [...new Set(keys)];
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return [];
  const keyOf = keyOfRef(refs);
  // The deliveries whose run-out lease the sender read so, each with that lease, given to their
  // target's claim statement. By key, not version: a version read run out at one target is not at
  // another.
  const lapsed = new Map<string, LeaseAsRead>();
  for (const r of refs) {
    const was = read?.get(r.key);
    if (mayTakeOver(was)) lapsed.set(r.key, was.leaseAsRead);
  }
  // Room for the claim's own parameters, the target the scope binds besides the versions, and the
  // leases read run out (asReadLease: one parameter).
  const room = db.maxParams - claimParams(CLAIM) - 2;
  return db.write('claimDeliveries', async (trx) => {
    await planByKey(db, trx);
    const out: string[] = [];
    const stale: DeliveryRef[] = [];
    // The ledger's time, not this host's (db-clock.ts): every sender judges a lease by one clock.
    const now = clockNow(db, trx);
    const until = clockAfter(db, trx, leaseMs);
    for (const group of refsByTarget(refs, room)) {
      const mayLapse = group.versionIds.flatMap((versionId) => {
        const lease = lapsed.get(keyOf(versionId, group.target) ?? '');
        return lease === undefined ? [] : [{ versionId, lease }];
      });
      const rows = await claimLeases<{
        version_id: unknown;
        target: string;
        revision: unknown;
        attempts: unknown;
      }>(
        trx,
        {
          ...CLAIM,
          state: keyedState(db),
          scope: (q) => whereRefs(q, group),
          ...(read === undefined
            ? {}
            : { lapsed: (q) => asReadLease(db, q, mayLapse), returned: ['revision', 'attempts'] }),
        },
        owner,
        now,
        until,
      );
      for (const r of rows) {
        const key = keyOf(r.version_id, r.target);
        if (key === undefined) continue;
        const was = read?.get(key);
        // A row written before migration 041 holds no revision: its attempts are (delivery-revision.ts).
        if (was !== undefined && toInt(r.revision ?? r.attempts) !== was.revision)
          stale.push({ key, versionId: toInt(r.version_id), target: r.target });
        else out.push(key);
      }
    }
    // Written since the sender read them: not its to send. Let go, as the claim found them free.
    for (const group of refsByTarget(stale, db.maxParams - 1 - RELEASE_PARAMS))
      await releaseLeases(trx, { table: 'deliveries', scope: (q) => whereRefs(q, group) }, owner);
    return out;
  });
}

/**
 * Whether `owner` holds every delivery `keys` name with at least `leaseMs` of its lease to run, by
 * the ledger's clock: the claim would keep them all as they are and write nothing (leases.ts
 * `claimLeases`). One read on the reader, the keys resolved in it (as resolveDeliveryKeys does),
 * so such a claim takes no write transaction: a sender's first claim of the rows its
 * ensureDeliveries just created leased to it, and its look just before the send
 * (pipelines/stages/delivery-lease.ts), were each a BEGIN and a COMMIT that wrote nothing, two of a
 * page's ~7 SQLite commits (bench/pipeline.ts), and waited for the writers before them. Nobody
 * else can take a row so held (its lease has not run out) nor lengthen it; a write that ends it
 * (another sender's late answer) and commits after this read is as one committed after the claim's
 * transaction. A key naming no delivery makes it false: the claim leaves that key out. With `read`,
 * so does a row written since the sender read it (its revision grew: a late answer of a sender
 * before it, which leaves this one's lease as it is), which the claim then lets go.
 */
async function heldWhole(
  db: Db,
  keys: readonly string[],
  owner: string,
  leaseMs: number,
  read: ReadonlyMap<string, DeliveryAsRead> | undefined,
): Promise<boolean> {
  const named: { l: string; n: number; t: string; r?: number }[] = [];
  for (const key of new Set(keys)) {
    const parts = parseDeliveryKey(key);
    if (parts === undefined) return false;
    const revision = read?.get(key)?.revision;
    named.push({
      l: parts.licenseId,
      n: parts.version,
      t: parts.target,
      ...(revision === undefined ? {} : { r: revision }),
    });
  }
  const res: unknown = await db.read('claimDeliveries', (k) =>
    k.raw(heldCountSql(db), [JSON.stringify(named), owner, clockAfter(db, k, leaseMs)]),
  );
  return Number(rawRows<{ n: unknown }>(res)[0]?.n ?? 0) === named.length;
}

/**
 * The count of named deliveries `owner` holds long enough (and, where a key carries one, at the
 * revision read). PostgreSQL probes each key's version,
 * then its delivery, in lateral subqueries kept whole (`offset 0`): each a lookup by a key the
 * planner cannot start elsewhere, whatever the statistics say. Joined freely, a sender's leases
 * on a table small and not yet analyzed (early in a run) were a few rows to the planner: it read
 * them first (a hash by target, one for all; or the table once per key) and probed the versions
 * once per pair of key and delivery, ~235,000 probes and ~0.9 s of the server's CPU for a wave of
 * 485 (bench/pipeline.ts; test held-claim-plan). SQLite plans the join from the keys.
 */
function heldCountSql(db: Db): string {
  if (db.dialect === 'postgres')
    return `select count(*) as n from jsonb_to_recordset(?::jsonb) as j(l text, n integer, t text, r bigint)
           cross join lateral (
             select v.version_id from license_versions v where v.license_id = j.l and v.version = j.n offset 0) v
           cross join lateral (
             select 1 from deliveries d
              where d.version_id = v.version_id and d.target = j.t and d.claim_owner = ? and d.claimed_until >= ?
                and (j.r is null or ${revisionOf('d')} = j.r)
             offset 0) d`;
  const pairs = pairedVersions(db, ['t']);
  const r = pairs.member('r');
  return `select count(*) as n from ${pairs.from}
           join deliveries d on d.version_id = v.version_id and d.target = ${pairs.member('t')}
          where d.claim_owner = ? and d.claimed_until >= ? and (${r} is null or ${revisionOf('d')} = ${r})`;
}

export async function releaseDeliveries(db: Db, keys: readonly string[], owner: string): Promise<void> {
  if (keys.length === 0) return;
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return;
  await db.write('releaseDeliveries', async (trx) => {
    await planByKey(db, trx);
    for (const group of refsByTarget(refs, db.maxParams - 1 - RELEASE_PARAMS)) {
      await releaseLeases(trx, { table: 'deliveries', scope: (q) => whereRefs(q, group) }, owner);
    }
  });
}
