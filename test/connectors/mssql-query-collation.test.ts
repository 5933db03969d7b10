/**
 * A SQL Server query stream keyed by a varchar column in a SQL collation
 * (`SQL_Latin1_General_CP1_CI_AS`, sort id 52). A query stream declares no column types, so its
 * checkpoint key is bound as nvarchar text; SQL Server converts the varchar column to nvarchar to
 * compare, and compares by the collation's Unicode (Windows) rules, while ORDER BY sorts the varchar
 * column by the collation's non-Unicode sort order. The two disagree on a hyphen: the non-Unicode
 * order takes it as a character below the digits (`SP-003` before `SP0001`), the Unicode one gives it
 * almost no weight (`SP-003` as `SP003`, after `SP0001`). Pages resumed after their last key by one
 * rule and sorted by the other: keys were passed over and others read again. The key is now read as
 * nvarchar in a query wrapping the configured one, so both take the Unicode rules.
 *
 * No SQL Server runs here: a stand-in answers each statement (mssql-stand-in.ts), describing the
 * query's columns as tedious reports them (type, length, collation sort id) and comparing and
 * sorting by the two rules above: Unicode, hyphens weighed only to break a tie; non-Unicode, by
 * character code.
 */
import { createRequire } from 'node:module';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type Cell, intCell, readStandIn } from './mssql-stand-in.js';

const require = createRequire(import.meta.url);
const { TYPE } = require('tedious/lib/data-type') as { TYPE: Record<number, { name: string }> };

const KEYS = ['SP-003', 'SP0001', 'SP-002', 'SP0004', 'SP-005', 'SP0000', 'SP00-06', 'SP0007'];

const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Windows (Unicode) rules, as far as these keys need: a hyphen weighs only where all else ties. */
const unicode = (a: string, b: string): number =>
  ordinal(a.replaceAll('-', ''), b.replaceAll('-', '')) || ordinal(a, b);

/** A K cell as tedious describes a varchar(20) column in a collation of sort id `sortId` (and `flags`). */
const keyCell = (value: string | null, sortId: number, flags = 0): Cell => ({
  value,
  metadata: { colName: 'K', type: TYPE[0xa7], dataLength: 20, collation: { sortId, flags } },
});

/** SQL Server answering the statements of the query stream `SELECT K, N FROM dbo.T_LIC`. */
function server(sortId: number) {
  let statements = 0;
  return (sql: string, values: unknown[]): Cell[][] => {
    if (++statements > 40) throw new Error('read did not end');
    // The probe of the query's columns (column-list.ts): one row, every column NULL.
    if (/^SELECT lb_c\.\*/.test(sql)) return [[keyCell(null, sortId), { ...intCell('N', 0), value: null }]];
    if (!/T_LIC/.test(sql) || /is null/.test(sql)) return [];
    // K as the statement reads it: nvarchar where the query converts it, the varchar column otherwise.
    const asNvarchar = sql.includes('CONVERT(nvarchar(20), [K]) AS [K]');
    const top = /^select top/i.test(sql) ? Number(values[0]) : KEYS.length;
    let keys = [...KEYS].sort(asNvarchar || sortId === 0 ? unicode : ordinal);
    // The parameter is nvarchar: the comparison takes the Unicode rules either way. `=`: the rows
    // level with a page's last (tied-rows.ts).
    const compared = /\[K\] ([>=]) @p(\d+)/.exec(sql);
    if (compared) {
      const bound = String(values[Number(compared[2])]);
      keys = keys.filter((k) => (compared[1] === '>' ? unicode(k, bound) > 0 : unicode(k, bound) === 0));
    }
    return keys.slice(0, top).map((k) => [keyCell(k, sortId), intCell('N', KEYS.indexOf(k))]);
  };
}

const stream = { table: 'licenses', key: 'K', keyUnique: true, query: 'SELECT K, N FROM dbo.T_LIC' };

describe('a SQL Server query stream keyed by varchar in a SQL collation', () => {
  it('reads every key once, page after page, comparing and ordering by one set of rules', async () => {
    const sent: string[] = [];
    const rows = await readStandIn(stream, server(52), sent, 2);
    expect(rows.map((r) => r.K)).toEqual([...KEYS].sort(unicode));
    const pages = sent.filter((s) => /^select top/i.test(s));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages)
      expect(page).toContain(
        'from (SELECT CONVERT(nvarchar(20), [K]) AS [K], [N] FROM (SELECT K, N FROM dbo.T_LIC) lb_n) lb_q',
      );
  });

  it('leaves the query as written for a Windows collation, whose varchar and nvarchar rules agree', async () => {
    const sent: string[] = [];
    const rows = await readStandIn(stream, server(0), sent, 2);
    expect(rows.map((r) => r.K)).toEqual([...KEYS].sort(unicode));
    expect(
      sent
        .filter((s) => /^select top/i.test(s))
        .every((s) => s.includes('from (SELECT K, N FROM dbo.T_LIC) lb_q')),
    ).toBe(true);
  });
});

// The flags tedious reads from a Chinese_PRC_BIN2 column's collation, BINARY2 among them.
const { BINARY2 } = (require('tedious/lib/collation') as { Flags: { BINARY2: number } }).Flags;
const BIN2_KEYS = ['食001', '阿002', '啊003', '埃004', 'SP005', '中006', '艾007', '爱008'];
/** Code page 936 bytes, which a varchar in Chinese_PRC_BIN2 sorts by. */
const gbkBytes = (a: string, b: string): number =>
  Buffer.compare(iconv.encode(a, 'gbk'), iconv.encode(b, 'gbk'));

/**
 * SQL Server answering `SELECT K, N FROM dbo.T_LIC` with K a varchar(20) in `Chinese_PRC_BIN2` (a
 * Windows collation, sort id 0): ORDER BY sorts the varchar by its code page bytes, while the
 * nvarchar parameter makes the comparison one of Unicode code points.
 */
function binaryServer() {
  let statements = 0;
  return (sql: string, values: unknown[]): Cell[][] => {
    if (++statements > 40) throw new Error('read did not end');
    if (/^SELECT lb_c\.\*/.test(sql))
      return [[keyCell(null, 0, BINARY2), { ...intCell('N', 0), value: null }]];
    if (!/T_LIC/.test(sql) || /is null/.test(sql)) return [];
    const asNvarchar = sql.includes('CONVERT(nvarchar(20), [K]) AS [K]');
    const top = /^select top/i.test(sql) ? Number(values[0]) : BIN2_KEYS.length;
    let keys = [...BIN2_KEYS].sort(asNvarchar ? ordinal : gbkBytes);
    const compared = /\[K\] ([>=]) @p(\d+)/.exec(sql);
    if (compared) {
      const bound = String(values[Number(compared[2])]);
      keys = keys.filter((k) => (compared[1] === '>' ? ordinal(k, bound) > 0 : k === bound));
    }
    return keys.slice(0, top).map((k) => [keyCell(k, 0, BINARY2), intCell('N', BIN2_KEYS.indexOf(k))]);
  };
}

describe('a SQL Server query stream keyed by varchar in a Windows binary collation', () => {
  it('reads every key once: varchar sorts by code page bytes, nvarchar by code points', async () => {
    // The two orders disagree: 阿 (B0A2) before 埃 (B0A3) in GBK, after it (963F, 57C3) in Unicode.
    expect([...BIN2_KEYS].sort(gbkBytes)).not.toEqual([...BIN2_KEYS].sort(ordinal));
    const sent: string[] = [];
    const rows = await readStandIn(stream, binaryServer(), sent, 2);
    expect(rows.map((r) => r.K)).toEqual([...BIN2_KEYS].sort(ordinal));
    for (const page of sent.filter((s) => /^select top/i.test(s)))
      expect(page).toContain(
        'SELECT CONVERT(nvarchar(20), [K]) AS [K], [N] FROM (SELECT K, N FROM dbo.T_LIC) lb_n',
      );
  });
});
