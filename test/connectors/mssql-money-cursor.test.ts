/**
 * Streams whose cursor is a SQL Server MONEY column, paged on the exact amount. A keyset page
 * resumes after its last (cursor, key), the cursor's checkpoint text bound back as MONEY (a table
 * stream's `CAST(@p AS money)`) or as text SQL Server converts to MONEY to compare (a query
 * stream's). SQL Server applies CONVERT's styles 0, 1, 2 and 126 to MONEY and takes any other
 * (121, the date style) as 0, which prints two decimals: the rows tied at 674685308101.2956 after
 * a page's end, and those up to 674685308101.30, were passed over for good. A table stream takes
 * the text in style 2 (four decimals); a query stream, whose cursor type is not known, takes the
 * amount tedious read with the row (cursor-text.ts). NULL amounts are read first, in key order;
 * negative and large amounts keep every digit.
 *
 * No SQL Server runs here: a stand-in answers each statement as SQL Server would for the select
 * list and the bound checkpoint it is sent (mssql-stand-in.ts).
 */
import { describe, expect, it } from 'vitest';
import { type Cell, cursorPages, moneyCell, readStandIn, varcharCell } from './mssql-stand-in.js';

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

/** SQL Server answering the statements of a stream over `TABLE`, its JE read as MONEY. */
const pages = (TABLE: readonly Row[]) =>
  cursorPages<bigint>({
    column: 'JE',
    type: 'money',
    rows: TABLE.map((r) => ({ id: r.id, value: r.je })),
    compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    read: moneyOf,
    cell: moneyCellAs,
  });

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
