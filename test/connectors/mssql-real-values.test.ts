/**
 * SQL Server REAL values, handed over as written. A REAL is single precision: tedious reads its four
 * bytes as a float32 and widens it to a number, so a REAL holding 0.1 reached the mappings as
 * 0.10000000149011612, and 123456.79 as 123456.7890625 — digits nobody wrote, in table and query
 * streams alike. The value is now the shortest decimal whose single is the one stored (as a MySQL
 * FLOAT's is); a FLOAT(53) is a double, read exactly, and keeps every digit. A REAL cursor's
 * checkpoint still names the very value read (mssql-real-cursor-text.test.ts).
 *
 * No SQL Server runs here: a stand-in connection answers knex's mssql client with the cells
 * tedious' own value parser decodes from SQL Server's bytes, with the column metadata tedious
 * sends beside them (mssql-stand-in.ts): FLOATN of 4 bytes for a nullable REAL, REAL for a NOT NULL
 * one.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  type Cell,
  catalogRow,
  floatCell,
  intCell,
  readQueryStandIn,
  readStandIn,
  readStandInPages,
  varcharCell,
} from './mssql-stand-in.js';

const require = createRequire(import.meta.url);
const { readValue } = require('tedious/lib/value-parser') as {
  readValue(buf: Buffer, offset: number, metadata: unknown, options: unknown): { value: unknown };
};
const { TYPE } = require('tedious/lib/data-type') as { TYPE: Record<number, { name: string }> };

/** A NOT NULL REAL cell (TDS type REAL, 0x3B: the four bytes alone), as tedious decodes it. */
function notNullRealCell(colName: string, value: number): Cell {
  const bytes = Buffer.alloc(4);
  bytes.writeFloatLE(value, 0);
  const metadata = { colName, type: TYPE[0x3b] };
  return { value: readValue(bytes, 0, metadata, {}).value, metadata };
}

// What the department's application wrote into REAL columns, and doubles written to a FLOAT.
const WRITTEN = [0.1, 123456.79, -2.5e-7, 3.4028235e38, 16777217];
const DOUBLES = [0.1, 0.10000000149011612, 1 / 3];

describe('mssql: a REAL value is handed over as written, not widened', () => {
  it('tedious alone widens REAL 0.1 to 0.10000000149011612', () => {
    expect(floatCell('MJ', 0.1, 4).value).toBe(0.10000000149011612);
    expect(notNullRealCell('MJ', 0.1).value).toBe(0.10000000149011612);
  });

  it('a table stream hands over REAL columns (nullable or not) as written, FLOAT columns exactly', async () => {
    const rows = await readStandIn({ table: 'dbo.T_XKZ', key: 'ID' }, (sql) => {
      if (/sys\.columns/.test(sql))
        return [
          catalogRow('ID', 'int', 1),
          catalogRow('MJ', 'real'),
          catalogRow('ZL', 'real'),
          catalogRow('JE', 'float'),
        ];
      if (!/^select top/i.test(sql) || /\[ID\] >/.test(sql)) return [];
      return WRITTEN.map((v, i) => [
        intCell('ID', i + 1),
        floatCell('MJ', v, 4),
        notNullRealCell('ZL', v),
        floatCell('JE', DOUBLES[i % DOUBLES.length] as number, 8),
      ]);
    });
    // 16777217 has no single: the REAL holds 16777216, which is what is handed over.
    const expected = [0.1, 123456.79, -2.5e-7, 3.4028235e38, 16777216];
    expect(rows.map((r) => r.MJ)).toEqual(expected);
    expect(rows.map((r) => r.ZL)).toEqual(expected);
    expect(rows.map((r) => r.JE)).toEqual(WRITTEN.map((_v, i) => DOUBLES[i % DOUBLES.length]));
  });

  it('a query stream hands over REAL values as written, FLOAT values exactly', async () => {
    const rows = await readQueryStandIn(
      'SELECT ID, MJ, ZL, JE FROM dbo.T_XKZ',
      'ID',
      WRITTEN.map((v, i) => [
        intCell('ID', i + 1),
        floatCell('MJ', v, 4),
        notNullRealCell('ZL', v),
        floatCell('JE', DOUBLES[i % DOUBLES.length] as number, 8),
      ]),
    );
    const expected = [0.1, 123456.79, -2.5e-7, 3.4028235e38, 16777216];
    expect(rows.map((r) => r.MJ)).toEqual(expected);
    expect(rows.map((r) => r.ZL)).toEqual(expected);
    expect(rows.map((r) => r.JE)).toEqual(WRITTEN.map((_v, i) => DOUBLES[i % DOUBLES.length]));
  });

  it("a REAL cursor's checkpoint still names the value read, and its row's value is as written", async () => {
    const pages = await readStandInPages({ table: 'dbo.T_XKZ', key: 'ID', cursor: 'MJ' }, (sql) => {
      if (/sys\.columns/.test(sql)) return [catalogRow('ID', 'int', 1), catalogRow('MJ', 'real')];
      if (!/^select top/i.test(sql) || /@p1/.test(sql) || /is null/.test(sql)) return [];
      return [[intCell('ID', 1), floatCell('MJ', 0.1, 4), varcharCell('__lb_cursor_text', '0.1')]];
    });
    expect(pages.flatMap((p) => p.rows.map((r) => r.values.MJ))).toEqual([0.1]);
    expect(JSON.parse(pages.at(-1)?.checkpoint ?? '{}')).toMatchObject({
      cursor: '0.10000000149011612',
      key: '1',
    });
  });
});
