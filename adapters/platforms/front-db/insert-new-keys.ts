/**
 * Inserting exchange rows whose delivery key is not there yet, in the way each database allows:
 *
 * - `ignore`: `insert … on conflict (key) do nothing` (PostgreSQL, KingbaseES, SQLite);
 * - `merge`: a no-op `on duplicate key update` of the key (MySQL, whose `insert ignore` would also
 *   turn "data too long" and other errors into warnings and store truncated rows);
 * - `row-by-row`: SQL Server and Oracle have no such clause in knex (`onConflict()` throws
 *   "not supported" before any SQL is sent), so each row is inserted in a savepoint of its own; a
 *   row that fails is a duplicate when its key is there afterwards, and any other failure
 *   (a value too long, a missing column) is the batch's error, as with the other two.
 *
 * All three leave a key's first row as it was: the caller reads the batch number back to tell a
 * replay from a new row.
 */
import type { Knex } from 'knex';
import { COLUMNS } from './exchange-table.js';

export type DuplicateStyle = 'ignore' | 'merge' | 'row-by-row';

/** Rows per multi-row insert (the `ignore` and `merge` styles). */
export const INSERT_CHUNK = 50;

async function insertEachNew(
  trx: Knex.Transaction,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  for (const row of rows) {
    try {
      // A savepoint: on PostgreSQL a failed statement would otherwise end the whole transaction,
      // and on every database it keeps a failed row from leaving anything behind.
      await trx.transaction(async (sp) => {
        await sp(table).insert(row);
      });
    } catch (e) {
      const held = await trx(table)
        .first(COLUMNS.key)
        .where(COLUMNS.key, row[COLUMNS.key] as string);
      if (held === undefined) throw e;
    }
  }
}

export async function insertNewKeys(
  trx: Knex.Transaction,
  table: string,
  rows: readonly Record<string, unknown>[],
  style: DuplicateStyle,
  chunk: number = INSERT_CHUNK,
): Promise<void> {
  if (style === 'row-by-row') {
    await insertEachNew(trx, table, rows);
    return;
  }
  for (let i = 0; i < rows.length; i += chunk) {
    const insert = trx(table)
      .insert(rows.slice(i, i + chunk))
      .onConflict(COLUMNS.key);
    await (style === 'merge' ? insert.merge([COLUMNS.key]) : insert.ignore());
  }
}
