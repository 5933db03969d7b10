/**
 * Leases on rows being sent: deliveries (ledger/delivery-claims.ts) and pending reminders
 * (ledger/reminder-claims.ts). A table that is leased has `state`, `claim_owner` and
 * `claimed_until` columns. Two senders can hold the same open row (BullMQ is at-least-once, a
 * stalled job or tick is handed to another worker): the one whose claim takes the row sends it, the
 * other waits. A lease ends when the sender records the outcome or lets the row go, or when it runs
 * out (the sender died), after which another may claim the row and send it again under the same
 * idempotency key.
 *
 * A lease the claimer holds with at least the asked length still to run is taken as it is, not
 * written again: rows a sender has just created may come leased to it for a little longer than the
 * lease (deliveries.ts `ensureDeliveries`), and renewing them would write each row once more for
 * nothing (on PostgreSQL, a dead row version and new index entries per row until vacuum). A lease
 * with less left is renewed: a claim always leaves its owner the whole lease for the send that
 * follows (a poll or an earlier wave may have used part of the first one).
 */
import type { Knex } from 'knex';
import type { Db } from './db.js';
import { whereRefs } from './delivery-keys.js';

/** The rows of one leased table a claim or a release is about (one chunk of them). */
export interface LeaseRows {
  /** A table with `state`, `claim_owner` and `claimed_until` columns. */
  table: string;
  /** Narrows a query on the table to the rows asked for. */
  scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
}

export interface LeaseClaim extends LeaseRows {
  /** The columns that name a row: read back for each row leased. */
  key: readonly string[];
  /** States a row nobody holds (or whose lease ran out) may be leased in. */
  open: readonly string[];
  /** States the claimer's own lease is kept or renewed in. @defaultValue any state */
  own?: readonly string[];
  /** The `state` column as the claim's statements compare it: `keyedState(db)`. */
  state: string;
  /**
   * Narrows the rows whose lease ran out under another claimer that may be taken: those the caller
   * read so (its sender may have died after sending them, and the caller asked first). One taken
   * by another after the caller's read is not the caller's to take once that lease runs out: that
   * claimer may have sent it. @defaultValue any such row
   */
  lapsed?: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
  /** Columns read back for each row leased besides `key`. @defaultValue none */
  returned?: readonly string[];
}

/**
 * Leases `claim`'s rows to `owner` until `until` where nobody else holds them (`now`: the moment
 * a lease counts as run out), and returns the key columns of every row `owner` now holds: those it
 * held until `until` or later, as they are, and those one statement just leased or renewed. Of two
 * claimers racing for a row, the database lets one update it; the other's condition no longer holds
 * when its update runs, and it changes nothing.
 *
 * `now` and `until` are the ledger's clock (db-clock.ts), read by each statement as it runs, never
 * a host's: a host whose clock is ahead would take a live sender's rows, one behind would wait
 * past a lease that ran out.
 */
export async function claimLeases<R extends object>(
  trx: Knex.Transaction,
  claim: LeaseClaim,
  owner: string,
  now: Knex.Raw,
  until: Knex.Raw,
): Promise<R[]> {
  const inStates = (q: Knex.QueryBuilder, states: readonly string[]): Knex.QueryBuilder =>
    q.whereRaw(`${claim.state} in (${states.map(() => '?').join(', ')})`, [...states]);
  const ownState = (q: Knex.QueryBuilder): Knex.QueryBuilder =>
    claim.own === undefined ? q : inStates(q, claim.own);
  const columns = [...claim.key, ...(claim.returned ?? [])];
  const lapsed = (q: Knex.QueryBuilder): Knex.QueryBuilder => {
    const ranOut = q.where('claimed_until', '<', now);
    return claim.lapsed ? claim.lapsed(ranOut) : ranOut;
  };
  const kept = (await ownState(claim.scope(trx(claim.table).select(...columns)))
    .andWhere('claim_owner', owner)
    .andWhere('claimed_until', '>=', until)) as R[];
  const taken = (await claim
    .scope(trx(claim.table))
    .andWhere((q) =>
      q
        .where((open) =>
          inStates(open, claim.open).andWhere((free) => free.whereNull('claimed_until').orWhere(lapsed)),
        )
        .orWhere((mine) =>
          ownState(mine.where('claim_owner', owner)).andWhere((short) =>
            short.whereNull('claimed_until').orWhere('claimed_until', '<', until),
          ),
        ),
    )
    .update({ claim_owner: owner, claimed_until: until })
    .returning(columns)) as R[];
  // The second statement reads the ledger's clock later than the first: a lease the first found
  // long enough may be short by the second and renewed too. Such a row is returned once.
  const keyOf = (r: R) => JSON.stringify(claim.key.map((c) => String((r as Record<string, unknown>)[c])));
  const keptKeys = new Set(kept.map(keyOf));
  return [...kept, ...taken.filter((r) => !keptKeys.has(keyOf(r)))];
}

/**
 * The bind parameters a claim's statements take besides its scope's: its open and own states, the
 * owner and the two times it compares, and the owner and time it writes. A caller's chunk of keys
 * leaves this much room, and the room its scope binds besides the keys.
 */
export function claimParams(claim: Pick<LeaseClaim, 'open' | 'own'>): number {
  return claim.open.length + (claim.own?.length ?? 0) + 5;
}

/**
 * The bind parameters a release takes besides its scope's: the owner, and the two columns it
 * clears (knex binds their nulls). A caller's chunk of keys leaves this much room.
 */
export const RELEASE_PARAMS = 3;

/**
 * The column values that end `owner`'s lease in an update of leased rows and keep anyone else's
 * (the right-hand sides read the row as it was before the update, on both backends). A sender
 * whose lease ran out mid-send and was taken by another records its answer all the same (a
 * message the gateway took is sent), but the lease is the new holder's: cleared, a third sender
 * could claim the row while the new holder is still sending it.
 */
export function endOwnLease(k: Knex, owner: string): { claim_owner: Knex.Raw; claimed_until: Knex.Raw } {
  return {
    claim_owner: k.raw('case when claim_owner = ? then null else claim_owner end', [owner]),
    claimed_until: k.raw('case when claim_owner = ? then null else claimed_until end', [owner]),
  };
}

/** The bind parameters `endOwnLease` takes: the owner, once per column. */
export const END_OWN_LEASE_PARAMS = 2;

/**
 * Has the rest of `trx` read and write leased rows through an index that fits the scope (the
 * table's key) wherever one does: a claim or a release runs once per wave, and one planned as a
 * scan of the table made a run's work grow with the square of its size. PostgreSQL costs each key
 * of a wave's `IN` list as a descent of the key's index from disk (`random_page_cost`) and a scan's
 * rows as cheap, so below about a hundred rows a key it scanned the whole table instead: a release
 * of 500 deliveries read all 50,500 of them, 16 ms against 0.5 ms through the key (a claim, whose
 * conditions cost more a row, at a smaller table or a larger wave). `SET LOCAL` ends with the
 * transaction. SQLite plans them by the key already.
 */
export async function planByKey(db: Pick<Db, 'dialect'>, trx: Knex.Transaction): Promise<void> {
  if (db.dialect === 'postgres') await trx.raw('set local enable_seqscan = off');
}

/**
 * The `state` column of a leased table (`column`, qualified as the statement needs) as a statement
 * that names its rows by key compares it: such a statement reads the rows it names through the
 * table's key, however many others are in the state. An index holding rows by state
 * (`deliveries_open_idx`, migration 033, by target and state; `reminders_state_target_idx`) serves
 * a condition on the state too, and PostgreSQL read it instead whenever its statistics made the
 * state's rows look few: a failed send's attempt, `target = ? and state in ('pending', 'rejected')
 * and version_id in (…)`, read all 5,050 open rows of its target for a wave of 500, a claim's read
 * of the reminders it keeps all 5,000 pending ones, and a poll's attempt on `submitted` deliveries
 * 200,000 of them for 500 (0.6 s a wave) on a ledger analyzed before its backlog grew: a run's
 * work grew with the square of its backlog. Compared in the "C" collation (equal text is equal in
 * every deterministic collation; states are ASCII words), the condition neither matches an index's
 * column, whose collation is the database's, nor proves a partial index's predicate (PostgreSQL
 * proves one only in the same collation): the planner has no index on the state to take. SQLite
 * plans these through the key already.
 */
export function keyedState(db: Pick<Db, 'dialect'>, column = 'state'): string {
  return db.dialect === 'postgres' ? `${column} collate "C"` : column;
}

/**
 * Narrows `q` to the deliveries of one target's version ids (`table`: the deliveries' name or alias
 * in `q`) for a statement that reads the rows it names, once a wave, outside a transaction
 * (`planByKey` needs one). PostgreSQL costs each id of an `IN` list as a descent of the key's index
 * from disk, so below about a hundred rows an id it read the whole table: a repair's 500 keys on a
 * ledger of 50,500 deliveries, or 1,000 on 100,500, were a Seq Scan of every delivery. The ids
 * travel as one JSON parameter instead, which it plans as a hundred rows each probed on the key
 * (deliveries_pk), whatever the sizes. SQLite plans the `IN` list by the key already.
 */
export function whereRefsByKey(
  db: Pick<Db, 'dialect'>,
  q: Knex.QueryBuilder,
  group: { target: string; versionIds: readonly number[] },
  table: string,
): Knex.QueryBuilder {
  if (db.dialect !== 'postgres') return whereRefs(q, group, table);
  return q
    .joinRaw(`join jsonb_array_elements_text(?::jsonb) as w(id) on ${table}.version_id = w.id::bigint`, [
      JSON.stringify(group.versionIds),
    ])
    .where(`${table}.target`, group.target);
}

/** Ends the leases `owner` holds on these rows: another sender may claim them at once. */
export async function releaseLeases(trx: Knex.Transaction, rows: LeaseRows, owner: string): Promise<void> {
  await rows
    .scope(trx(rows.table))
    .andWhere('claim_owner', owner)
    .update({ claim_owner: null, claimed_until: null });
}
