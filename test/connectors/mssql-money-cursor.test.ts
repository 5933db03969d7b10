/**
 * Streams whose cursor is a SQL Server MONEY column, paged on the exact amount. A keyset page
 * resumes after its last (cursor, key), the cursor's checkpoint text bound back as MONEY (a table
 * stream's `CAST(@p AS money)`) or as text SQL Server converts to MONEY to compare (a query
 * stream's). SQL Server applies CONVERT's styles 0, 1, 2 and 126 to MONEY and takes any other
 * (121, the date style) as 0, which prints two decimals: the rows tied at 674685308101.2956 after
 * a page's end, and those up to 674685308101.30, were passed over for good. A table stream takes
 * the text in style 2 (four decimals); a query stream, whose cursor type is not known, takes the
 * amount tedious read with the row (money-cursor.ts). NULL amounts are read first, in key order;
 * negative and large amounts keep every digit.
 *
 * No SQL Server runs here: a stand-in answers each statement as SQL Server would for the select
 * list and the bound checkpoint it is sent (mssql-stand-in.ts).
 */
import { describe, expect, it } from 'vitest';
import { type Cell, intCell, moneyCell, readStandIn, varcharCell } from './mssql-stand-in.js';

type Row = { id: number; je: bigint | null };

/** Table dbo.T_XKZ (ID int primary key, JE money NULL) holding `amount` three times, and more. */
const table = (amount: bigint): Row[] => [
  { id: 1, je: amount },
  { id: 2, je: amount },
  { id: 3, je: amount },
  { id: 4, je: -amount },
  { id: 5, je: null },
  { id: 6, je: 1234500n },
  { id: 7, je: amount + 1n },
];

/** MONEY as CONVERT prints it: four decimals in style 2, two (rounded half away from zero) in 0. */
function printed(tenThousandths: bigint, decimals: 2 | 4): string {
  const abs = tenThousandths < 0n ? -tenThousandths : tenThousandths;
  const unit = decimals === 4 ? 1n : 100n;
  const scaled = (abs + unit / 2n) / unit;
  const [whole, fraction] = [scaled / (10000n / unit), scaled % (10000n / unit)];
  return `${tenThousandths < 0n ? '-' : ''}${whole}.${String(fraction).padStart(decimals, '0')}`;
}

/** Text as `CAST(@p AS money)` reads it. */
function moneyOf(text: unknown): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{0,4}))?$/.exec(String(text));
  if (!m) throw new Error(`not a MONEY text: ${String(text)}`);
  const value = BigInt(m[2] ?? '0') * 10000n + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -value : value;
}

const catalogRow = (name: string, type: string, pk: number): Cell[] => [
  varcharCell('name', name),
  varcharCell('type', type),
  intCell('nullable', 1 - pk),
  intCell('pk', pk),
  intCell('uq', pk),
  intCell('leads', pk),
  intCell('isView', 0),
];

/** JE selected as `as`: text where `sql` converts it so, in that style; tedious' MONEY cell otherwise. */
function moneyCellAs(sql: string, as: string, je: bigint | null): Cell {
  const style = sql.includes(`CONVERT(varchar(32), [JE], 2) AS [${as}]`)
    ? 4
    : sql.includes(`CONVERT(varchar(40), [JE], 121) AS [${as}]`)
      ? 2
      : null;
  const cell = style ? varcharCell(as, je === null ? '' : printed(je, style)) : moneyCell(as, je ?? 0n);
  return je === null ? { ...cell, value: null } : cell;
}

/**
 * SQL Server answering the statements of a stream over `TABLE`: the filter (the checkpoint read as
 * MONEY, a key, the rows level with a page's last), the order, the TOP.
 */
const pages =
  (TABLE: readonly Row[]) =>
  (sql: string, values: unknown[]): Cell[][] => {
    if (/sys\.columns/.test(sql)) return [catalogRow('ID', 'int', 1), catalogRow('JE', 'money', 0)];
    // Other statements (the table list), and the rows without a key: none.
    if (!/T_XKZ/.test(sql) || /\[ID\] is null/.test(sql)) return [];
    const top = /^select top/i.test(sql) ? Number(values.shift()) : TABLE.length;
    let rows = TABLE.filter((r) => (/\[JE\] is null/.test(sql) ? r.je === null : r.je !== null));
    if (/\[JE\] > (CAST\()?@p1\b/.test(sql)) {
      const [cursor, key] = [moneyOf(values[0]), Number(values[2])];
      rows = rows.filter((r) => (r.je as bigint) > cursor || (r.je === cursor && r.id > key));
    } else if (/\[ID\] > (CAST\()?@p1\b/.test(sql)) {
      rows = rows.filter((r) => r.id > Number(values[0]));
    } else if (/\[ID\] = (CAST\()?@p0\b.* and \[JE\] = (CAST\()?@p1\b/.test(sql)) {
      // The rows level with a page's last (tied-rows.ts).
      rows = rows.filter((r) => r.id === Number(values[0]) && r.je === moneyOf(values[1]));
    }
    const order = (r: Row) => [r.je ?? 0n, BigInt(r.id)] as const;
    rows = [...rows].sort((a, b) => {
      const [x, y] = [order(a), order(b)];
      return x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] < y[1] ? -1 : 1;
    });
    return rows
      .slice(0, top)
      .map((r) => [
        intCell('ID', r.id),
        moneyCellAs(sql, 'JE', r.je),
        moneyCellAs(sql, '__lb_cursor_text', r.je),
      ]);
  };

describe('mssql: a MONEY cursor pages on the exact amount', () => {
  it('reads every row, tied or a ten-thousandth apart, in pages of 2', async () => {
    const sent: string[] = [];
    // 674685308101.2956 as SQL Server stores it, in ten-thousandths.
    const stream = { table: 'dbo.T_XKZ', key: 'ID', cursor: 'JE' };
    const rows = await readStandIn(stream, pages(table(6746853081012956n)), sent, 2);
    expect(rows).toEqual([
      { ID: 5, JE: null },
      { ID: 4, JE: '-674685308101.2956' },
      { ID: 6, JE: 123.45 },
      { ID: 1, JE: '674685308101.2956' },
      { ID: 2, JE: '674685308101.2956' },
      { ID: 3, JE: '674685308101.2956' },
      // A number holds this amount: the very number tedious reads.
      { ID: 7, JE: 674685308101.2957 },
    ]);
    // The pages are ordered by the column, not by the text selected under its name.
    expect(
      sent.filter((s) => /\[JE\] is not null/.test(s)).every((s) => s.includes('order by [T_XKZ].[JE] asc')),
    ).toBe(true);
  });

  it('reads every row of a query stream whose cursor is MONEY, in pages of 2', async () => {
    // A query stream reads amounts below 10^11 (larger ones are refused): 12345678.9956.
    const stream = {
      table: 'q',
      key: 'ID',
      cursor: 'JE',
      keyUnique: true,
      query: 'SELECT ID, JE FROM dbo.T_XKZ',
    };
    const rows = await readStandIn(stream, pages(table(123456789956n)), [], 2);
    expect(rows).toEqual([
      { ID: 5, JE: null },
      { ID: 4, JE: -12345678.9956 },
      { ID: 6, JE: 123.45 },
      { ID: 1, JE: 12345678.9956 },
      { ID: 2, JE: 12345678.9956 },
      { ID: 3, JE: 12345678.9956 },
      { ID: 7, JE: 12345678.9957 },
    ]);
  });
});
