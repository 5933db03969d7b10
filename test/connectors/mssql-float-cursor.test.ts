/**
 * Streams whose cursor is a SQL Server FLOAT or REAL column, paged on the exact value. A keyset
 * page resumes after its last (cursor, key), the cursor's checkpoint text bound back as the column's
 * type (a table stream's `CAST(@p AS float)`) or as text SQL Server converts to it to compare (a
 * query stream's). The text was CONVERT(varchar(40), col, 121), and SQL Server takes any style but
 * 0, 1, 2, 3, 126, 128 and 129 as 0 for FLOAT and REAL: six digits, 1234567.891 as 1.23457e+006.
 * The rows tied at a page's end, and those up to the printed value, were passed over for good; where
 * it printed lower, rows were read twice. The checkpoint is now the value tedious read with the row
 * (cursor-text.ts): a FLOAT's shortest text reading back as the same double, a REAL's that of the
 * double tedious widens it to, which SQL Server reads back as the same REAL.
 *
 * No SQL Server runs here: a stand-in answers each statement as SQL Server would for the select
 * list and the bound checkpoint it is sent (mssql-stand-in.ts).
 */
import { describe, expect, it } from 'vitest';
import { singleValue } from '../../connectors/sql/single-float.js';
import {
  type Cell,
  cursorPages,
  floatCell,
  nextUp,
  readStandIn,
  styleZero,
  varcharCell,
} from './mssql-stand-in.js';

/**
 * dbo.T_XKZ (ID int primary key, MJ float or real NULL): `value` three times and its neighbour,
 * a value between it and the six digits SQL Server prints, its negative, a tiny and a huge value
 * with their neighbours, and a NULL.
 */
function table(bytes: 4 | 8, value: number, between: number, tiny: number, huge: number) {
  const of = bytes === 4 ? Math.fround : (n: number) => n;
  const [v, t, h] = [of(value), of(tiny), of(huge)];
  const rows: { id: number; value: number | null }[] = [
    { id: 1, value: v },
    { id: 2, value: v },
    { id: 3, value: v },
    { id: 4, value: -v },
    { id: 5, value: null },
    { id: 6, value: t },
    { id: 7, value: nextUp(v, bytes) },
    { id: 8, value: of(between) },
    { id: 9, value: nextUp(t, bytes) },
    { id: 10, value: h },
    { id: 11, value: nextUp(h, bytes) },
    { id: 12, value: of(123.45) },
    { id: 13, value: -h },
  ];
  // In the order a stream reads them: NULL first, then by value.
  const order = [5, 13, 4, 6, 9, 12, 1, 2, 3, 7, 8, 10, 11];
  const shown = (n: number | null | undefined) => (bytes === 4 && typeof n === 'number' ? singleValue(n) : n);
  return { rows, expected: order.map((id) => ({ ID: id, MJ: shown(rows.find((r) => r.id === id)?.value) })) };
}

/** MJ selected as `as`: style-0 text where `sql` converts it, tedious' FLOATN cell otherwise. */
const cellOf =
  (bytes: 4 | 8) =>
  (sql: string, as: string, value: number | null): Cell => {
    const text = sql.includes(`CONVERT(varchar(40), [MJ], 121) AS [${as}]`);
    const cell = text ? varcharCell(as, styleZero(value ?? 0)) : floatCell(as, value ?? 0, bytes);
    return value === null ? { ...cell, value: null } : cell;
  };

/** SQL Server answering a stream over `rows`, the bound text read as the column's type. */
function pages(bytes: 4 | 8, rows: readonly { id: number; value: number | null }[]) {
  const answer = cursorPages<number>({
    column: 'MJ',
    type: bytes === 4 ? 'real' : 'float',
    rows,
    compare: (a, b) => a - b,
    read: (text) => (bytes === 4 ? Math.fround(Number(text)) : Number(text)),
    cell: cellOf(bytes),
  });
  // A checkpoint printed below a page's last value reads that page again; one that keeps doing so
  // would page forever.
  let statements = 0;
  return (sql: string, values: unknown[]) => {
    if (++statements > 100) throw new Error('the stream keeps reading the same rows');
    return answer(sql, values);
  };
}

const CASES = [
  { type: 'FLOAT', bytes: 8 as const, data: table(8, 1234567.891, 1234568, 1e-300, 1e300) },
  { type: 'REAL', bytes: 4 as const, data: table(4, 1234567.891, 1234569, 1e-30, 3e38) },
];

describe('mssql: a FLOAT or REAL cursor pages on the exact value', () => {
  for (const { type, bytes, data } of CASES) {
    it(`reads every row of a table stream whose cursor is ${type}, tied or neighbours, in pages of 2`, async () => {
      const stream = { table: 'dbo.T_XKZ', key: 'ID', cursor: 'MJ' };
      const sent: string[] = [];
      const rows = await readStandIn(stream, pages(bytes, data.rows), sent, 2);
      expect(rows).toEqual(data.expected);
      // The checkpoint is bound back in the column's own type.
      expect(sent.some((s) => s.includes(`CAST(@p1 AS ${type.toLowerCase()})`))).toBe(true);
    });

    it(`reads every row of a query stream whose cursor is ${type}, in pages of 2`, async () => {
      const stream = {
        table: 'q',
        key: 'ID',
        cursor: 'MJ',
        keyUnique: true,
        query: 'SELECT ID, MJ FROM dbo.T_XKZ',
      };
      const rows = await readStandIn(stream, pages(bytes, data.rows), [], 2);
      expect(rows).toEqual(data.expected);
    });
  }
});
