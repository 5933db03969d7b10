/**
 * SQL Server keys in a non-Unicode column whose collation is not the database's default: a
 * `varchar` key in `Chinese_PRC_CI_AS` (code page 936) in a database whose default is
 * `SQL_Latin1_General_CP1_CI_AS` (code page 1252). tedious sends the checkpoint's key as an
 * nvarchar parameter, and a parameter takes the database's default collation (coercible-default);
 * `CAST(@p AS varchar(20))` keeps the input's collation, so it converted `食字002` through code page
 * 1252 into `??002`. The next page compared the keys with that: rows were read again and again, or
 * passed over. Bound as `CAST(@p COLLATE Chinese_PRC_CI_AS AS varchar(20))`, the conversion uses the
 * column's code page and the key arrives as stored.
 *
 * No SQL Server runs here: the SQL and its parameters are made by the real knex mssql client, and a
 * stand-in answers each statement (mssql-stand-in.ts), converting a bound key to varchar as the
 * documented rules above say — through the code page of the COLLATE written on it, or of the
 * database's default — with iconv-lite, which writes `?` for a character the code page lacks.
 */
import iconv from 'iconv-lite';
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { keyOnlyPage, type ResolvedStream } from '../../connectors/sql/keyset.js';
import { isLicbridgeError } from '../../core/errors.js';
import { type Cell, intCell, readStandIn, readStandInPages, varcharCell } from './mssql-stand-in.js';

const KEYS = ['食字001', '食字002', '食字003', 'SP食004', 'SP字005', '食字006', '食字007'];
const DATABASE_DEFAULT = 'SQL_Latin1_General_CP1_CI_AS';

/** The code page a collation stores `varchar` in (the two this table needs). */
const codePage = (collation: string): string => (/^Chinese_PRC/.test(collation) ? 'cp936' : 'cp1252');

/** Text converted to `varchar` in `collation`'s code page, `?` for each character it lacks. */
const toVarchar = (text: string, collation: string): string =>
  iconv.decode(iconv.encode(text, codePage(collation)), codePage(collation));

/** A catalog row (describeTable) for dbo.T_XKZ's columns, with the collation SQL Server reports. */
const catalogRow = (name: string, type: string, collation: string | null, pk: number): Cell[] => [
  varcharCell('name', name),
  varcharCell('type', type),
  intCell('nullable', 1 - pk),
  intCell('pk', pk),
  intCell('uq', pk),
  intCell('leads', pk),
  intCell('isView', 0),
  { ...varcharCell('collation', collation ?? ''), value: collation },
];

/**
 * SQL Server answering a key-only stream over dbo.T_XKZ (XKZBH varchar(20) primary key, in
 * `collation`; JYZMC int): the catalog, then pages ordered by the key, after the bound key as the
 * server converts it. The key column's values are stored in its code page; compared as stored.
 */
function server(collation: string) {
  let statements = 0;
  return (sql: string, values: unknown[]): Cell[][] => {
    // A stream read forever would never end: a bounded number of statements is plenty for 7 rows.
    if (++statements > 40) throw new Error('read did not end');
    if (/sys\.columns/.test(sql))
      return [catalogRow('XKZBH', 'varchar(20)', collation, 1), catalogRow('JYZMC', 'int', null, 0)];
    if (!/T_XKZ/.test(sql) || /is null/.test(sql)) return [];
    const top = /^select top/i.test(sql) ? Number(values[0]) : KEYS.length;
    let keys = [...KEYS].sort();
    const after = /\[XKZBH\] > CAST\(@p(\d+)(?: COLLATE (\w+))? AS varchar\(20\)\)/.exec(sql);
    if (after) {
      const bound = toVarchar(String(values[Number(after[1])]), after[2] ?? DATABASE_DEFAULT);
      keys = keys.filter((k) => k > bound);
    } else if (/\[XKZBH\] >/.test(sql)) {
      throw new Error(`a key bound another way: ${sql}`);
    }
    return keys.slice(0, top).map((k, i) => [varcharCell('XKZBH', k), intCell('JYZMC', i)]);
  };
}

describe('SQL Server keys in a collation other than the database default', () => {
  it('reads every Chinese key once, page after page, in a Chinese_PRC_CI_AS column', async () => {
    const sent: string[] = [];
    const rows = await readStandIn(
      { table: 'dbo.T_XKZ', key: 'XKZBH' },
      server('Chinese_PRC_CI_AS'),
      sent,
      2,
    );
    expect(rows.map((r) => r.XKZBH)).toEqual([...KEYS].sort());
    // The catalog statement asks for each column's collation.
    expect(sent.find((s) => /sys\.columns/.test(s))).toContain('c.collation_name AS collation');
    expect(sent.filter((s) => s.includes('COLLATE Chinese_PRC_CI_AS AS varchar(20)')).length).toBeGreaterThan(
      0,
    );
  });

  it('refuses a collation that is not a plain name, naming the source, the column and the value', async () => {
    const odd = 'Chinese_PRC_CI_AS AS varchar(20)) OR 1=1 --';
    const sent: string[] = [];
    const read = readStandIn({ table: 'dbo.T_XKZ', key: 'XKZBH' }, server(odd), sent, 2);
    const error = await read.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLicbridgeError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('source market-food');
    expect(message).toContain('`XKZBH`');
    expect(message).toContain(JSON.stringify(odd));
    // Nothing with the refused text in it reached the server.
    expect(sent.some((s) => s.includes('OR 1=1'))).toBe(false);
  });

  it('refuses such a collation when the table is described, before the first page is read', async () => {
    const odd = 'Chinese_PRC_CI_AS; --';
    const sent: string[] = [];
    const pages: unknown[] = [];
    const read = readStandInPages({ table: 'dbo.T_XKZ', key: 'XKZBH' }, server(odd), sent, 2).then(
      (p) => pages.push(...p),
      (e: unknown) => e,
    );
    const error = await read;
    expect(isLicbridgeError(error)).toBe(true);
    expect((error as Error).message).toContain(JSON.stringify(odd));
    // No page was read, so none was committed with a checkpoint the next run could not bind.
    expect(sent.filter((s) => /from \[dbo\]\.\[T_XKZ\]/.test(s))).toEqual([]);
    expect(pages).toEqual([]);
  });
});

describe('the bind of a key in its column type and collation (knex mssql)', () => {
  const db = knexModule({ client: 'mssql' });
  const col = (type: string, collation?: string): ColumnMeta => ({
    name: 'XKZBH',
    type,
    nullable: false,
    primaryKey: true,
    unique: true,
    leadsIndex: true,
    ...(collation ? { collation } : {}),
  });
  const page = (key: ColumnMeta) => {
    const s: ResolvedStream = { table: 'dbo.T_XKZ', columns: [key], key };
    return keyOnlyPage(db, mssqlDialect, s, '食字002', 2).toSQL().toNative();
  };

  it('converts a non-Unicode key through the code page of the column collation', () => {
    for (const [type, cast] of [
      ['varchar(20)', 'varchar(20)'],
      ['char(20)', 'char(20)'],
      ['varchar(max)', 'varchar(max)'],
    ] as const) {
      const { sql, bindings } = page(col(type, 'Chinese_PRC_CI_AS'));
      expect(sql).toContain(`where [XKZBH] > CAST(@p1 COLLATE Chinese_PRC_CI_AS AS ${cast})`);
      // The key itself is sent unchanged, as Unicode text: the server converts it.
      expect(bindings).toEqual([2, '食字002']);
    }
  });

  it('keeps the plain cast for a Unicode key and for a column without a collation', () => {
    expect(page(col('nvarchar(20)', 'Chinese_PRC_CI_AS')).sql).toContain(
      'where [XKZBH] > CAST(@p1 AS nvarchar(20))',
    );
    expect(page(col('varchar(20)')).sql).toContain('where [XKZBH] > CAST(@p1 AS varchar(20))');
    expect(page(col('int', 'Chinese_PRC_CI_AS')).sql).toContain('where [XKZBH] > CAST(@p1 AS int)');
  });
});
