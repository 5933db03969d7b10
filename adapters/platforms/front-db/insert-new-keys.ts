/**
 * Inserting exchange rows whose delivery key is not there yet, in the way each database allows:
 *
 * - `ignore`: `insert … on conflict (key) do nothing` (PostgreSQL, KingbaseES, SQLite);
 * - `merge`: a no-op `on duplicate key update` of the key to its own stored value (MySQL, whose
 *   `insert ignore` would also turn "data too long" and other errors into warnings and store
 *   truncated rows);
 * - `row-by-row`: SQL Server and Oracle have no such clause in knex (`onConflict()` throws
 *   "not supported" before any SQL is sent), so each row is inserted in a savepoint of its own; a
 *   row that fails is a duplicate when its key is there afterwards, and any other failure
 *   (a value too long, a missing column) is the batch's error, as with the other two.
 *
 * - `plain`: a plain multi-row insert of the keys not there yet, for a table without a unique index
 *   on the key where the database refuses `on conflict` for want of one (PostgreSQL, KingbaseES,
 *   SQLite: ./key-unique.ts).
 *
 * All of them leave a key's first row as it was: the caller reads the batch number back to tell a
 * replay from a new row. All but `ignore` first leave out the keys already there, which they would
 * otherwise insert again into a table without a unique index on the key.
 */
import type { Knex } from 'knex';
import { COLUMNS, keyBinds, keyOf } from './exchange-table.js';
import { pastDeadline } from './statement-deadline.js';

export type DuplicateStyle = 'ignore' | 'merge' | 'row-by-row' | 'plain';

/** Rows per multi-row insert (the `ignore`, `merge` and `plain` styles). */
export const INSERT_CHUNK = 50;

/**
 * Bounds every statement by the time a delivery has left (the target's `timeoutMs`): a table
 * locked by the exchange system, or a stalled server, would otherwise hold the write forever.
 * `cancel`: the database can cancel the statement (PostgreSQL, MySQL); elsewhere knex drops the
 * connection instead, which ends its transaction.
 */
export interface StatementDeadline {
  remainingMs(): number;
  cancel: boolean;
}

/** `query` bounded by the deadline; without one it waits as long as the database lets it. */
export function bounded<Q extends Knex.QueryBuilder>(query: Q, deadline: StatementDeadline | undefined): Q {
  return deadline ? (query.timeout(deadline.remainingMs(), { cancel: deadline.cancel }) as Q) : query;
}

/**
 * Dialects whose knex client commits the connection as a nested transaction ends: knex's Oracle
 * client (knex 3.3 `Transaction_Oracle.acquireConnection` runs `commitAsync` and clears the
 * connection's `isTransaction`, after which each statement commits on its own), and DM's, built on
 * it. Rows written one by one were committed as each was inserted, before the send read them back:
 * the exchange system could take a row stored cut before the send took it out again.
 */
const COMMITS_NESTED: ReadonlySet<string> = new Set(['oracle', 'dm']);

/** Runs `write` in a savepoint of `trx`, which is rolled back to it if `write` fails. */
async function inSavepoint(trx: Knex.Transaction, write: (sp: Knex.Transaction) => Promise<unknown>) {
  if (!COMMITS_NESTED.has(String((trx.client as { dialect?: unknown }).dialect))) {
    await trx.transaction(async (sp) => {
      await write(sp);
    });
    return;
  }
  // Oracle's and DM's own statements, the same for both.
  await trx.raw('SAVEPOINT LB_ROW');
  try {
    await write(trx);
  } catch (e) {
    // A statement that failed for its time (its cancel failed too: ./statement-deadline.ts) may
    // still run: its rollback waits on it, unbounded.
    if (!pastDeadline(e)) await trx.raw('ROLLBACK TO SAVEPOINT LB_ROW');
    throw e;
  }
}

async function insertEachNew(
  trx: Knex.Transaction,
  table: string,
  rows: readonly Record<string, unknown>[],
  deadline: StatementDeadline | undefined,
  keyPadTo: number | undefined,
): Promise<void> {
  for (const row of rows) {
    try {
      // A savepoint: on PostgreSQL a failed statement would otherwise end the whole transaction,
      // and on every database it keeps a failed row from leaving anything behind.
      await inSavepoint(trx, (sp) => bounded(sp(table).insert(row), deadline));
    } catch (e) {
      // A statement that ran out of time is no duplicate, nor one whose cancel then failed: it
      // fails the batch, its key not looked up on the connection it may still be running on.
      if (pastDeadline(e)) throw e;
      const held = await bounded(
        trx(table)
          .first(COLUMNS.key)
          .where(COLUMNS.key, keyBinds([row[COLUMNS.key] as string], keyPadTo)[0] as string),
        deadline,
      );
      if (held === undefined) throw e;
    }
  }
}

/**
 * `rows` without those whose key the table holds already. MySQL's `on duplicate key update` and
 * the row-by-row inserts skip a key already there only when the table refuses a second row of it;
 * a city's table whose `DELIVERY_KEY` is a plain column (no primary key, no unique index) took
 * every send again, so a batch sent once more put each license in twice, for the exchange system
 * to pick up twice. Read in the inserting transaction. On PostgreSQL and KingbaseES the transaction
 * holds each key's advisory lock, or its table's, by then (./key-locks.ts), and SQLite writes one
 * transaction at a time. Elsewhere the read takes no lock: what keeps a second send of a key away
 * is the delivery's lease (one job at a time). A send whose commit outlives its lease (a stalled
 * connection, a paused process) can meet a second sender that reads the key as absent, since
 * MySQL's consistent read, Oracle's and DM's read consistency and SQL Server under
 * READ_COMMITTED_SNAPSHOT do not wait for a row not yet committed, and both rows go in: there only
 * a unique index on the key closes that window (docs/sync.md says so). 500 keys a read: under
 * Oracle's 1,000 IN-list items and SQL Server's 2,100 parameters.
 */
async function notHeld(
  trx: Knex.Transaction,
  table: string,
  rows: readonly Record<string, unknown>[],
  deadline: StatementDeadline | undefined,
  keyPadTo: number | undefined,
): Promise<readonly Record<string, unknown>[]> {
  const held = new Set<string>();
  for (let i = 0; i < rows.length; i += 500) {
    const keys = rows.slice(i, i + 500).map((r) => r[COLUMNS.key] as string);
    const found: Record<string, unknown>[] = await bounded(
      trx(table).select(COLUMNS.key).whereIn(COLUMNS.key, keyBinds(keys, keyPadTo)),
      deadline,
    );
    for (const f of found) held.add(keyOf(f));
  }
  return held.size === 0 ? rows : rows.filter((r) => !held.has(r[COLUMNS.key] as string));
}

export async function insertNewKeys(
  trx: Knex.Transaction,
  table: string,
  rows: readonly Record<string, unknown>[],
  style: DuplicateStyle,
  chunk: number = INSERT_CHUNK,
  deadline?: StatementDeadline,
  /** Width of a `CHAR` key column Oracle compares without blank-padding (./exchange-table.ts `keyBinds`). */
  keyPadTo?: number,
): Promise<void> {
  // `on conflict (key) do nothing` needs a unique index on the key: without one the database
  // refuses the statement, so nothing goes in twice there.
  const fresh = style === 'ignore' ? rows : await notHeld(trx, table, rows, deadline, keyPadTo);
  if (style === 'row-by-row') {
    await insertEachNew(trx, table, fresh, deadline, keyPadTo);
    return;
  }
  for (let i = 0; i < fresh.length; i += chunk) {
    const rowsOf = fresh.slice(i, i + chunk);
    if (style === 'plain') {
      await bounded(trx(table).insert(rowsOf), deadline);
      continue;
    }
    const insert = trx(table).insert(rowsOf).onConflict(COLUMNS.key);
    // MySQL's `on duplicate key update` fires on any unique index, not only the key: a city's own
    // (one row per LICENSE_ID and LICENSE_VERSION) hit by a row of another key. Set to the new
    // row's `VALUES(DELIVERY_KEY)`, the key moved that row to this delivery, which then read it
    // back as its own earlier send (accepted), the other delivery's row gone. The stored key set
    // to itself changes nothing: this row is not there, and its read-back says so.
    const noOp = { [COLUMNS.key]: trx.ref(COLUMNS.key) };
    await bounded(style === 'merge' ? insert.merge(noOp) : insert.ignore(), deadline);
  }
}
