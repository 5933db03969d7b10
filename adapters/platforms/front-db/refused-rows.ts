/**
 * Rows the front database refuses for what they hold — a value longer than the city's column, a
 * character its column's character set cannot hold (a rare character of a name in a 3-byte
 * `utf8` MySQL column), a NULL or CHECK constraint — as against a database that cannot be written
 * at all. A batch insert fails whole on one such row; inserting the batch again row by row lets
 * the others land, so one license does not hold back the licenses batched with it.
 */
import type { Knex } from 'knex';
import { COLUMNS } from './exchange-table.js';
import { refusalCode, refusedColumn } from './refusal-code.js';
import { type Verified, type WriteOptions, writeAndVerify } from './verify-stored.js';

/** A row's refusal: the database's code for it, and the column it names. */
export interface Refusal {
  code: string;
  column?: string;
}

/**
 * Writes each row in a transaction of its own (checked as ./verify-stored.ts checks a batch).
 * Returns how the database named its refusal of each row refused (./refusal-code.ts: its code, and
 * the column when it names one of the table's) and, by delivery key, how each row stored altered
 * was found and the columns of each earlier send's row written otherwise (`Verified`); any other
 * failure (the database gone, the time up) is thrown, as for the batch.
 */
export async function insertEachAlone(
  k: Knex,
  table: string,
  rows: readonly Record<string, unknown>[],
  options: WriteOptions,
): Promise<{ refused: Map<string, Refusal> } & Verified> {
  const refused = new Map<string, Refusal>();
  const altered: Verified['altered'] = new Map();
  const changed: Verified['changed'] = new Map();
  const held: Verified['held'] = new Map();
  for (const row of rows) {
    try {
      const one = await k.transaction((trx) => writeAndVerify(trx, table, [row], { ...options, chunk: 1 }));
      for (const [key, how] of one.altered) altered.set(key, how);
      for (const [key, columns] of one.changed) changed.set(key, columns);
      for (const [key, row] of one.held) held.set(key, row);
    } catch (e) {
      const code = refusalCode(e);
      if (code === undefined) throw e;
      const column = refusedColumn(e);
      refused.set(row[COLUMNS.key] as string, column === undefined ? { code } : { code, column });
    }
  }
  return { refused, altered, changed, held };
}
