/**
 * SQL Server streams whose cursor is a string: a batch number, a `yyyyMMddHHmmss` text, a status
 * text. The cursor's text was selected as CONVERT(varchar(40), col, 121), which keeps a string's
 * first 40 bytes and writes `?` for each character of an nvarchar value its collation's code page
 * lacks: a page ending on `BATCH-000…0002` saved the 40 bytes every row shares, one ending on
 * `食品经营-2` in a Latin1 database saved `????-2`. The next page, bound from that text, started
 * before rows already read, and the read never ended. The text is now the value whole, as nvarchar.
 *
 * No SQL Server runs here: a stand-in answers each statement as SQL Server would for the select
 * list it is sent (mssql-stand-in.ts): CONVERT to varchar(40) cuts to 40 bytes in code page 1252,
 * `?` for a character it lacks; CONVERT to nvarchar keeps the value.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type Cell, cursorPages, intCell, readStandIn, varcharCell } from './mssql-stand-in.js';

/** Text as CONVERT(varchar(40), …) gives it in a code page 1252 database: `?` for what it lacks, 40 bytes. */
const varchar40 = (text: string): string =>
  iconv.decode(iconv.encode(text, 'cp1252').subarray(0, 40), 'cp1252');

/** The cursor C as the statement selects it under the name `as`. */
function cursorCell(sql: string, as: string, value: string | null): Cell {
  let text: string | null = value;
  if (as !== 'C' && value !== null) {
    if (sql.includes(`CONVERT(varchar(40), [C], 121) AS [${as}]`)) text = varchar40(value);
    else if (!/CONVERT\(nvarchar\((\d+|max)\), \[C\](, 121)?\) AS \[__lb_cursor_text\]/.test(sql))
      throw new Error(`cursor text selected another way: ${sql}`);
  }
  return { ...varcharCell(as, text ?? ''), value: text };
}

/** SQL Server answering the statements of a stream over dbo.T_XKZ (ID int key, C of `type`). */
function server(type: string, values: readonly string[]) {
  let statements = 0;
  const pages = cursorPages<string>({
    column: 'C',
    type,
    rows: [{ id: 9, value: null }, ...values.map((value, i) => ({ id: i + 1, value }))],
    compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    // Bound as nvarchar, or CAST to the column's nvarchar or varchar type: the text as sent.
    read: (text) => String(text),
    cell: cursorCell,
  });
  return (sql: string, bound: unknown[]): Cell[][] => {
    // A read resuming before rows it read never ends: a bounded number of statements is plenty.
    if (++statements > 40) throw new Error('read did not end');
    // A query stream's probe of its columns (column-list.ts): one row, every column NULL.
    if (/^SELECT lb_c\.\*/.test(sql))
      return [
        [
          { ...intCell('ID', 0), value: null },
          { ...varcharCell('C', ''), value: null },
        ],
      ];
    return pages(sql, bound);
  };
}

const LONG = ['BATCH-'.padEnd(44, '0'), 'BATCH-'.padEnd(44, '0')].map((p, i) => `${p}${i + 1}`);
const CASES = [
  {
    what: 'a varchar(60) cursor longer than 40 characters',
    type: 'varchar(60)',
    values: [
      ...LONG,
      `${'BATCH-'.padEnd(44, '0')}3`,
      `${'BATCH-'.padEnd(44, '0')}4`,
      `${'BATCH-'.padEnd(44, '0')}5`,
    ],
    text: 'CONVERT(nvarchar(60), [C]) AS [__lb_cursor_text]',
  },
  {
    what: 'an nvarchar(20) cursor of characters code page 1252 lacks',
    type: 'nvarchar(20)',
    values: ['药品经营-1', '食品流通-2', '食品经营-3', '食品经营-4', '食品经营-5'],
    text: 'CONVERT(nvarchar(20), [C]) AS [__lb_cursor_text]',
  },
];

describe('SQL Server string cursors are carried whole', () => {
  for (const c of CASES) {
    it(`reads every row once, page after page, with ${c.what}`, async () => {
      const sent: string[] = [];
      const rows = await readStandIn(
        { table: 'dbo.T_XKZ', key: 'ID', cursor: 'C' },
        server(c.type, c.values),
        sent,
        2,
      );
      expect(rows.map((r) => r.ID)).toEqual([9, 1, 2, 3, 4, 5]);
      expect(rows.map((r) => r.C)).toEqual([null, ...c.values]);
      expect(sent.some((s) => s.includes(c.text))).toBe(true);
    });
  }

  it('reads a query stream whose nvarchar cursor holds characters code page 1252 lacks', async () => {
    const values = ['药品经营-1', '食品流通-2', '食品经营-3', '食品经营-4', '食品经营-5'];
    const stream = {
      table: 'q',
      key: 'ID',
      cursor: 'C',
      keyUnique: true,
      query: 'SELECT ID, C FROM dbo.T_XKZ',
    };
    const sent: string[] = [];
    const rows = await readStandIn(stream, server('nvarchar(20)', values), sent, 2);
    expect(rows.map((r) => r.C)).toEqual([null, ...values]);
    // The type is not declared: the text is nvarchar(max), which style 121 prints a date in too.
    expect(sent.some((s) => s.includes('CONVERT(nvarchar(max), [C], 121) AS [__lb_cursor_text]'))).toBe(true);
  });
});
