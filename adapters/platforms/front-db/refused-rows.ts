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

/** The failure that stopped the writing of rows one by one, and the keys it left unwritten. */
export interface Stopped {
  cause: unknown;
  keys: string[];
  /**
   * Of `keys`, those whose row was never begun (the rows after the one the failure met, all of
   * them when the send was given up before): no attempt of their licenses.
   */
  notBegun: string[];
}

/** What the writing found of each row: its refusal, or what the read-back found (`Verified`). */
export interface RowsFound extends Verified {
  refused: Map<string, Refusal>;
}

/** Told of each row as it is written, by a send that may be given up before all are. */
export interface EachRow {
  /** The row of `key` is about to be written: from now on it may reach the database. */
  begin(key: string): void;
  /** The row of `key` is written and read back, or refused: its finding is in `RowsFound`. */
  settled(key: string): void;
  /** The send was given up: no further row is begun. */
  givenUp(): boolean;
}

/**
 * Writes each row in a transaction of its own (checked as ./verify-stored.ts checks a batch), into
 * `found`: how the database named its refusal of each row refused (./refusal-code.ts: its code, and
 * the column when it names one of the table's) and, by delivery key, how each row stored altered
 * was found and the columns of each earlier send's row written otherwise (`Verified`). Any other
 * failure (the connection lost, the time up) stops the writing, and is returned with the keys of
 * the row it met and of the rows after it, none of them written (the row it met, unless its commit
 * went through unanswered); so is the send given up (`each`). Thrown, it took with it the answers
 * of the rows committed before it, which were then sent again: written twice where the exchange
 * system had taken them out.
 */
export async function insertEachAlone(
  k: Knex,
  table: string,
  rows: readonly Record<string, unknown>[],
  options: WriteOptions,
  found: RowsFound,
  each?: EachRow,
): Promise<Stopped | undefined> {
  for (const [i, row] of rows.entries()) {
    const key = row[COLUMNS.key] as string;
    let begun = false;
    try {
      if (each?.givenUp()) throw new Error('front database: the send was given up');
      each?.begin(key);
      begun = true;
      const write = (trx: Knex.Transaction) => writeAndVerify(trx, table, [row], { ...options, chunk: 1 });
      const one = options.commits
        ? await options.commits.inTransaction(k, [key], write)
        : await k.transaction(write);
      for (const [key, how] of one.altered) found.altered.set(key, how);
      for (const [key, columns] of one.changed) found.changed.set(key, columns);
      for (const [key, row] of one.held) found.held.set(key, row);
      for (const key of one.withheld) found.withheld.add(key);
    } catch (e) {
      const code = refusalCode(e);
      // The rows after it are not tried: the time is up, or the database likely gone with it.
      if (code === undefined) {
        const keys = rows.slice(i).map((r) => r[COLUMNS.key] as string);
        return { cause: e, keys, notBegun: begun ? keys.slice(1) : keys };
      }
      const column = refusedColumn(e);
      found.refused.set(key, column === undefined ? { code } : { code, column });
    }
    each?.settled(key);
  }
  return undefined;
}
