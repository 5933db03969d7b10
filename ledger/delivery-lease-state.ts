/**
 * A delivery's lease as a read of it finds it (deliveries.ts `ensureDeliveries`, `getDeliveries`):
 * what tells a row whose sender died after it may have sent it from one nobody has sent, and one
 * another sender holds now. Leases are taken and ended in delivery-claims.ts and leases.ts.
 */
import type { Knex } from 'knex';
import type { Db } from './db.js';
import { toInt } from './db.js';
import { clockAtRead } from './db-clock.js';
import type { StoredDelivery } from './ledger.js';
import { type DeliveryRow, toDelivery } from './rows.js';

/** What `leaseColumn` says of a row's lease. */
const LEASE = { none: 0, lapsed: 1, heldElsewhere: 2, lapsedOwn: 3 } as const;

/**
 * A row's lease as a read finds it (`lease`): none, or `owner`'s own (0); run out while it still
 * names its sender (1: `claim_owner` set, `claimed_until` past; 3 when that sender is `owner`); live
 * and another sender's (2, told only when `owner` is given). A lease run out so was neither ended
 * by an answer nor let go (an outcome ends it, and so does a release: delivery-claims.ts): its
 * sender died, or its ledger failed it, after it may have sent the row, and the deliver stage
 * asks the platform before sending it again (pipelines/stages/deliver-lost-answers.ts). By the
 * ledger's clock, as the claims judge a lease.
 */
export function leaseColumn(db: Db, k: Knex, owner: string | undefined): Knex.Raw {
  const now = clockAtRead(db, k);
  if (owner === undefined)
    return k.raw(
      `case when d.claim_owner is not null and d.claimed_until < ? then ${LEASE.lapsed} else ${LEASE.none} end as lease`,
      [now],
    );
  return k.raw(
    `case when d.claim_owner is null or d.claimed_until is null then ${LEASE.none}
          when d.claimed_until < ? then case when d.claim_owner = ? then ${LEASE.lapsedOwn} else ${LEASE.lapsed} end
          when d.claim_owner = ? then ${LEASE.none} else ${LEASE.heldElsewhere} end as lease`,
    [now, owner, owner],
  );
}

/**
 * The lease's columns as a read finds them, for `withLease` to carry (`leaseAsRead`) and a claim to
 * compare (delivery-claims.ts). PostgreSQL keeps `claimed_until` to the microsecond (a claim writes
 * `clock_timestamp()`), which a JavaScript `Date` cuts to the millisecond: read so, it never equals
 * the stored value again. Read as ISO text in UTC to the microsecond instead, which casts back to
 * it exactly whatever the session's `DateStyle` and `TimeZone`. SQLite stores the text already.
 */
export function leaseAsReadColumns(db: Pick<Db, 'dialect'>, k: Knex): Knex.Raw[] {
  const until =
    db.dialect === 'postgres'
      ? `to_char(d.claimed_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
      : 'd.claimed_until';
  return [k.raw('d.claim_owner as lease_owner'), k.raw(`${until} as lease_until`)];
}

/** A row read with `leaseColumn` and `leaseAsReadColumns`. */
export type LeaseRead = DeliveryRow & { lease: unknown; lease_owner: string | null; lease_until: unknown };

/**
 * States a claim may lease (delivery-claims.ts): `rejected` is one, written by a licbridge before
 * migration 049. Another sender's live lease is told on both: told on `pending` alone, a `rejected`
 * row under one read as held by nobody, and a poison job given up counted its own dead take's row
 * as another job's and left it (pipelines/workers/stalled-out.ts). A lapsed one is told on
 * `pending` only, the rows the lost-answer check asks about (stages/deliver-lost-answers.ts); whose
 * it was, on both (`leaseLapsedOwn`), for the same job given up.
 */
const CLAIMABLE = new Set<string>(['pending', 'rejected']);

/** The delivery of a row read with `leaseColumn`: its lease told on an open one only (`CLAIMABLE`). */
export function withLease(r: LeaseRead): StoredDelivery {
  if (!CLAIMABLE.has(r.state)) return toDelivery(r);
  const until = r.lease_until === null || r.lease_until === undefined ? null : String(r.lease_until);
  const d: StoredDelivery = { ...toDelivery(r), leaseAsRead: { owner: r.lease_owner ?? null, until } };
  const lease = toInt(r.lease);
  // Run out, the reader's own lease reads as anyone's (`leaseLapsed`), and says whose it was.
  if (lease === LEASE.lapsedOwn)
    return r.state === 'pending'
      ? { ...d, leaseLapsed: true, leaseLapsedOwn: true }
      : { ...d, leaseLapsedOwn: true };
  if (lease === LEASE.lapsed) return r.state === 'pending' ? { ...d, leaseLapsed: true } : d;
  if (lease === LEASE.heldElsewhere) return { ...d, leaseHeld: true };
  return d;
}
