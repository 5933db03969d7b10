/**
 * Whether `insert … on conflict (DELIVERY_KEY) do nothing` can run on the exchange table: PostgreSQL,
 * KingbaseES and SQLite take it only when a unique index (or the primary key) is on that column
 * alone, and refuse it otherwise — every batch into a city's table whose key is a plain column failed
 * with `42P10` ("no unique or exclusion constraint matching the ON CONFLICT specification"), retried
 * without end. The front database is the city's, not licbridge's: such a table is written as on
 * MySQL, SQL Server and Oracle, leaving out the keys it already holds (./insert-new-keys.ts `plain`).
 * So is a table that takes no `on conflict` at all (a PostgreSQL table with an INSERT rule, a SQLite
 * view written through a trigger).
 */
import type { Knex } from 'knex';
import { COLUMNS } from './exchange-table.js';
import type { StatementDeadline } from './insert-new-keys.js';

/**
 * The database's refusal of an `on conflict (key)` on this table: PostgreSQL's and KingbaseES's
 * SQLSTATE 42P10 (no unique index for it) and 0A000 naming ON CONFLICT (a table with an INSERT or
 * UPDATE rule, a foreign table), SQLite's "ON CONFLICT clause does not match any PRIMARY KEY or
 * UNIQUE constraint" and "cannot UPSERT a view" (a view written through an INSTEAD OF trigger).
 * A plain insert goes where these do not: such a table is written as one without the index.
 */
export function onConflictRefused(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  const text = String(message);
  return (
    code === '42P10' ||
    // The SQL keyword stays as written in every language the server speaks.
    (code === '0A000' && /ON CONFLICT/i.test(text)) ||
    (code === 'SQLITE_ERROR' && /ON CONFLICT clause does not match|cannot UPSERT/i.test(text))
  );
}

/**
 * PostgreSQL's and KingbaseES's refusal of a statement for want of a privilege (42501). Under
 * `EXPLAIN` the INSERT privilege is checked once the statement is planned, after `on conflict`
 * found its index (a missing one is 42P10 first).
 */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Asks the database, by its own rule, whether `table` has the unique index `on conflict (key)`
 * needs: the statement is planned under `EXPLAIN`, which runs nothing (no row, no trigger, no
 * sequence value). A login that may not insert is answered by the plan found before its privilege
 * was checked (the index is there): failing there, the target could not open for a login that may
 * read the table — `config check --connect` failed naming no table, and submitted rows' decisions
 * went unread — while its sends fail as they would anyway, naming the table. Other failures are
 * thrown as they came.
 */
export async function keyHasUniqueIndex(
  k: Knex,
  table: string,
  deadline: StatementDeadline,
): Promise<boolean> {
  const { sql, bindings } = k(table)
    .insert({ [COLUMNS.key]: '' })
    .onConflict(COLUMNS.key)
    .ignore()
    .toSQL();
  try {
    await k
      .raw(`explain ${sql}`, bindings as readonly Knex.RawBinding[])
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel });
    return true;
  } catch (e) {
    if (onConflictRefused(e)) return false;
    if ((e as { code?: unknown } | null)?.code === INSUFFICIENT_PRIVILEGE) return true;
    throw e;
  }
}
