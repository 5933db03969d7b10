/**
 * The look-up of quarantined keys (keyed-reads.ts `rowsWithKeys`) in chunks within the database's
 * bind limits: Oracle refuses an IN list past 1,000 items (ORA-01795), SQL Server a statement past
 * 2,100 parameters. A key under `charset.repair` is looked up by the key itself and its two latin1
 * spellings, each with the trailing-space spellings of a trimmed CHAR key, and a LIKE each where a
 * page found it ambiguous: chunked for five spellings a key, the look-up overflowed both. No
 * Oracle or SQL Server server runs here: each chunk is compiled by knex for node-oracledb and for
 * tedious, as the source sends it, and counted.
 */
import knexModule, { type Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { storedSpellings } from '../../connectors/repair/charset.js';
import type { ColumnMeta, SqlDialect } from '../../connectors/sql/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { rowsWithKeys } from '../../connectors/sql/keyed-reads.js';
import type { ResolvedStream } from '../../connectors/sql/keyset.js';
import type { PageReading } from '../../connectors/sql/page-reads.js';

const key: ColumnMeta = {
  name: 'XKZBH',
  type: 'CHAR(20)',
  nullable: false,
  primaryKey: true,
  unique: true,
  leadsIndex: true,
};
const s: ResolvedStream = { table: 'T_XKZ', columns: [], key };
// 亐 is 81 80, which Windows-1252 and ISO 8859-1 read apart: three spellings a key.
const KEYS = Array.from({ length: 600 }, (_, i) => `丂亐垚堃${String(i).padStart(3, '0')}`);
const spell = (k: string) => storedSpellings(k, 'gb18030');

interface Sent {
  sql: string;
  bindings: readonly unknown[];
}

/** A page reading whose reads are compiled, not run: each query's SQL and bindings. */
function compiling(client: string, dialect: SqlDialect): { r: PageReading; sent: Sent[]; db: Knex } {
  const db = knexModule({ client, connection: {} });
  const sent: Sent[] = [];
  const reader = {
    dialect,
    db,
    keySpellings: async () => spell,
    read: async (query: (db: Knex) => Knex.QueryBuilder) => {
      sent.push(query(db).toSQL().toNative());
      return [];
    },
  };
  const r = {
    name: 'legacy',
    dialect,
    reader,
    window: undefined,
    trims: () => true,
    clock: () => new Date(),
  };
  return { r: r as unknown as PageReading, sent, db };
}

/**
 * Items of each IN list (`:1`, `CAST(:2 AS …)`), read to the parenthesis that closes the list: an
 * item may hold parentheses and commas of its own, and a quoted string anything.
 */
function inListItems(sql: string): number[] {
  const lists: number[] = [];
  for (const open of sql.matchAll(/\bin\s*\(/gi)) {
    let [depth, items, empty, quote] = [1, 0, true, ''];
    for (const c of sql.slice((open.index ?? 0) + open[0].length)) {
      if (quote) {
        if (c === quote) quote = '';
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
      else if (c === ',' && depth === 1) [items, empty] = [items + 1, true];
      if (!/\s/.test(c) && !(c === ',' && depth === 1)) empty = false;
    }
    lists.push(items + (empty ? 0 : 1));
  }
  return lists;
}

describe('inListItems', () => {
  it('counts an item holding parentheses, commas or a quoted parenthesis as one', () => {
    expect(
      inListItems("where (k in (:1, CAST(:2 AS CHAR(20)), substr(:3, 1, 2), ')') or k like :5)"),
    ).toEqual([4]);
    expect(inListItems('where k in ()')).toEqual([0]);
  });
});

describe('the look-up of charset-repaired keys within bind limits', () => {
  let db: Knex | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  it('Oracle: each IN list holds 1,000 items at most, and every spelling of every key is asked', async () => {
    const c = compiling('oracledb', oracleDialect);
    db = c.db;
    await rowsWithKeys(c.r, s, KEYS, { spaced: KEYS.slice(0, 300) });
    expect(c.sent.length).toBeGreaterThan(1);
    for (const q of c.sent) for (const n of inListItems(q.sql)) expect(n).toBeLessThanOrEqual(1_000);
    // Each chunk's IN list fills up to the limit, which a count stopping early would not see.
    expect(Math.max(...c.sent.flatMap((q) => inListItems(q.sql)))).toBeGreaterThan(900);
    const bound = new Set(c.sent.flatMap((q) => q.bindings.map(String)));
    for (const k of KEYS) for (const t of spell(k)) expect(bound).toContain(t);
  });

  it('SQL Server: each statement binds 2,100 parameters at most', async () => {
    const c = compiling('mssql', mssqlDialect);
    db = c.db;
    await rowsWithKeys(c.r, s, KEYS, { spaced: KEYS });
    expect(c.sent.length).toBeGreaterThan(1);
    for (const q of c.sent) expect(q.bindings.length).toBeLessThanOrEqual(2_100);
  });
});
