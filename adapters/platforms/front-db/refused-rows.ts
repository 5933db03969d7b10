/**
 * Rows the front database refuses for what they hold — a value longer than the city's column, a
 * character its column's character set cannot hold (a rare character of a name in a 3-byte
 * `utf8` MySQL column), a NULL or CHECK constraint — as against a database that cannot be written
 * at all. A batch insert fails whole on one such row; inserting the batch again row by row lets
 * the others land, so one license does not hold back the licenses batched with it.
 */
import type { Knex } from 'knex';
import { COLUMNS } from './exchange-table.js';
import { type WriteOptions, writeAndVerify } from './verify-stored.js';

/**
 * The SQLSTATE of a refusal of the row's values: class 22 (data exception) or 23 (integrity
 * constraint violation). PostgreSQL drivers give it as `code`, MySQL's as `sqlState`.
 */
export function refusalState(e: unknown): string | undefined {
  const { sqlState, code } = (e ?? {}) as { sqlState?: unknown; code?: unknown };
  const state = typeof sqlState === 'string' ? sqlState : code;
  return typeof state === 'string' && /^2[23][0-9A-Z]{3}$/.test(state) ? state : undefined;
}

/**
 * Writes each row in a transaction of its own (checked as ./verify-stored.ts checks a batch).
 * Returns the SQLSTATE of each row refused and the column of each row stored altered, by delivery
 * key; any other failure (the database gone, the time up) is thrown, as for the batch.
 */
export async function insertEachAlone(
  k: Knex,
  table: string,
  rows: readonly Record<string, unknown>[],
  options: WriteOptions,
): Promise<{ refused: Map<string, string>; altered: Map<string, string> }> {
  const refused = new Map<string, string>();
  const altered = new Map<string, string>();
  for (const row of rows) {
    try {
      const one = await k.transaction((trx) => writeAndVerify(trx, table, [row], { ...options, chunk: 1 }));
      for (const [key, column] of one) altered.set(key, column);
    } catch (e) {
      const state = refusalState(e);
      if (state === undefined) throw e;
      refused.set(row[COLUMNS.key] as string, state);
    }
  }
  return { refused, altered };
}
