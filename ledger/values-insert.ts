/**
 * A multi-row `insert … values` as text and flat bindings, for the page's hot inserts on SQLite.
 * knex's query builder compiles an insert value by value (normalising each row's keys, wrapping
 * every value as a parameter): for a page's 500 new versions and licenses that was about a third
 * of the commit's main-thread time (bench/commit-page.ts). The text here is built once per shape;
 * the values go as they are. (As one JSON parameter instead, SQLite's `json_extract` of each
 * column took twice the time of binding them.)
 */
import type { Knex } from 'knex';
import { isSqliteTransaction, runOnSqliteTransaction } from './sqlite-connection.js';

const texts = new Map<string, string>();

/** `insert into <table> (<columns>) values (?, …), …` for `count` rows, and `tail` after it. */
function insertText(table: string, columns: readonly string[], count: number, tail: string): string {
  const key = `${table}\u0000${columns.join('\u0001')}\u0000${count}\u0000${tail}`;
  let text = texts.get(key);
  if (text === undefined) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    // Quoted, as knex quoted them: a column may be named by a keyword (`order`, `key`).
    const names = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
    text = `insert into ${table} (${names}) values ${Array(count).fill(row).join(', ')}${tail}`;
    // A few shapes per table (rowChunks' slice sizes), so the map stays small.
    if (texts.size < 256) texts.set(key, text);
  }
  return text;
}

/**
 * The columns of `rows` as knex's builder takes them: every key of any row, so a key spread into
 * some rows only (`...(x ? { a } : {})`) is stored, not dropped for want of it in the first row.
 */
function columnsOf(rows: readonly object[]): string[] {
  const columns = Object.keys(rows[0] ?? {});
  let seen: Set<string> | undefined;
  for (let i = 1; i < rows.length; i++) {
    const keys = Object.keys(rows[i] as object);
    // A page's rows are built alike: the first row's keys in its order add nothing, and comparing
    // them is cheaper than a set lookup of each (two of a page's inserts, ~15 keys a row).
    if (sameKeys(keys, columns)) continue;
    seen ??= new Set(columns);
    for (const c of keys) {
      if (seen.has(c)) continue;
      seen.add(c);
      columns.push(c);
    }
  }
  return columns;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A value as knex's better-sqlite3 client binds it: a Date as its milliseconds, a boolean as 0 or 1. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return Number(value);
  if (value instanceof Date) return value.valueOf();
  return value;
}

/**
 * Inserts `rows` (one statement) into their columns (columnsOf); a row without a column's key, or
 * with undefined, gives it null, as knex's builder does with `useNullAsDefault`. `tail` follows
 * the values (`on conflict …`, `returning …`). Answers the rows `returning` gives, if any.
 *
 * On SQLite the statement runs on the transaction's connection without knex's raw
 * (runOnSqliteTransaction), the values bound as knex's client binds them (sqliteValue).
 */
export async function insertValues<R extends object, Returned = Record<string, unknown>>(
  trx: Knex.Transaction,
  table: string,
  rows: readonly R[],
  tail = '',
): Promise<Returned[]> {
  const columns = columnsOf(rows);
  const text = insertText(table, columns, rows.length, tail);
  const direct = isSqliteTransaction(trx);
  const bindings: unknown[] = new Array(rows.length * columns.length);
  let at = 0;
  for (const r of rows as readonly Record<string, unknown>[])
    for (const c of columns) bindings[at++] = direct ? sqliteValue(r[c]) : (r[c] ?? null);
  if (direct) return runOnSqliteTransaction<Returned>(trx, text, bindings);
  return (await trx.raw(text, bindings as Knex.RawBinding[])) as Returned[];
}
