/**
 * The ledger's clock. A run's heartbeat and a pipeline's lease are written by one host and judged
 * by another: stamped and compared with each host's own clock, two hosts whose clocks differ by
 * more than the stale window judged a live run abandoned (its pipeline taken over, its work done
 * twice) or kept a dead one alive (its pipeline blocked). So both are written with the database's
 * time, and a row judged by it is read with the database's time beside it (`read_at`): every
 * process then measures against the one clock, whatever its host's says.
 *
 * PostgreSQL: `clock_timestamp()`, the server's time as the statement runs (`now()` is the start of
 * the transaction, which a write waiting on a lock may be well past). SQLite: `strftime(…, 'now')`,
 * the time of the host the database file is on, written as the ISO text the ledger keeps
 * timestamps in (db.ts), so it sorts and compares with them.
 */
import type { Knex } from 'knex';
import { type Db, toDate } from './db.js';

/** SQLite's current time as `nowIso` writes it: `2026-01-02T03:04:05.678Z`. */
const SQLITE_ISO = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'";

/** The database's time now, as a value to write or compare with a timestamp column. */
export function clockNow(db: Pick<Db, 'dialect'>, k: Knex | Knex.Transaction): Knex.Raw {
  return k.raw(clockNowSql(db));
}

/** clockNow as SQL text, for a statement written out whole (not through knex's raw). */
export function clockNowSql(db: Pick<Db, 'dialect'>): string {
  return db.dialect === 'postgres' ? 'clock_timestamp()' : `${SQLITE_ISO})`;
}

/**
 * The database's time as the statement began, for a read to compare timestamps with. PostgreSQL:
 * `statement_timestamp()`, which the planner takes as one value for the statement; it keeps
 * `clock_timestamp()`, a volatile function, where it finds it, and a `NOT EXISTS` holding it is
 * run as a subquery per outer row instead of one anti-join. A read waits on no lock: the two differ
 * by no more than the time the read has run. SQLite: `clockNow`, already one value for a statement.
 */
export function clockAtRead(db: Pick<Db, 'dialect'>, k: Knex | Knex.Transaction): Knex.Raw {
  return db.dialect === 'postgres' ? k.raw('statement_timestamp()') : clockNow(db, k);
}

/** The database's time `ms` from now (negative: before now). */
export function clockAfter(db: Pick<Db, 'dialect'>, k: Knex | Knex.Transaction, ms: number): Knex.Raw {
  if (!Number.isFinite(ms)) throw new RangeError(`ledger: expected a finite number of ms, got ${ms}`);
  if (db.dialect === 'postgres') return k.raw("clock_timestamp() + ? * interval '1 millisecond'", [ms]);
  // SQLite's modifier: '+30.000 seconds'; milliseconds are what its `%f` keeps.
  return k.raw(`${SQLITE_ISO}, ?)`, [`${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(3)} seconds`]);
}

/** The column a read selects beside its rows: the database's time when it read them. */
export const READ_AT = 'read_at';

/** `clockNow` as the `read_at` column of a select. */
export function readAtColumn(db: Pick<Db, 'dialect'>, k: Knex | Knex.Transaction): Knex.Raw {
  return db.dialect === 'postgres'
    ? k.raw(`clock_timestamp() as ${READ_AT}`)
    : k.raw(`${SQLITE_ISO}) as ${READ_AT}`);
}

/** A select of `table`'s rows with `read_at` beside them. */
export function withReadAt(
  db: Pick<Db, 'dialect'>,
  k: Knex | Knex.Transaction,
  table: string,
): Knex.QueryBuilder {
  return k(table).select('*', readAtColumn(db, k));
}

/** The database's time now, read (in `k`'s transaction when it is one). */
export async function readClock(db: Pick<Db, 'dialect'>, k: Knex | Knex.Transaction): Promise<Date> {
  const row: Record<string, unknown> | undefined = await k.first(readAtColumn(db, k));
  return toDate(row?.[READ_AT]);
}
