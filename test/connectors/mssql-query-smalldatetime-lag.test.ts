/**
 * A SQL Server query stream whose cursor is a SMALLDATETIME column, under the lag window. Its type
 * comes from the column metadata tedious sends with the probe (mssql/query-columns.ts): a
 * nullable SMALLDATETIME arrives as TDS `DATETIMN` of four bytes — the type tedious names
 * `DateTimeN` for a nullable DATETIME too, which has eight. Taken for a DATETIME, its bound lay
 * 2 ms back of now - lagMs instead of 30 s: a value is rounded to the minute as stored, so a read
 * at 08:01:06 with a 5 s window took the rows of 08:01:00, and a row written at 08:01:20 — 08:01:00
 * too, with a lower key — lay behind the checkpoint for good (mssql-smalldatetime-lag.test.ts).
 *
 * No SQL Server runs here: a stand-in answers each statement as tedious hands it over
 * (mssql-stand-in.ts), the probe with one row of NULLs described by each column's metadata.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type Cell, intCell, readStandInPages } from './mssql-stand-in.js';

const require = createRequire(import.meta.url);
const { TYPE } = require('tedious/lib/data-type') as { TYPE: Record<number, { name: string }> };

/** A NULL GXSJ cell of TDS type `DATETIMN` (0x6f) of `dataLength` bytes, as tedious describes it. */
const gxsjCell = (dataLength: 4 | 8): Cell => ({
  value: null,
  metadata: { colName: 'GXSJ', type: TYPE[0x6f], dataLength },
});

/** A page's bound: 30 s back of now - lagMs (a minute's values), or now - lagMs moved by ms. */
const BOUNDS =
  /\[GXSJ\] <= (?:(DATEADD\(second, -30, DATEADD\(millisecond, @p\d+, SYSDATETIME\(\)\)\))|(DATEADD\(millisecond, @p\d+, SYSDATETIME\(\)\)))/;

/** The lag bounds of the pages (those of a NULL cursor have none) of `SELECT ID, GXSJ FROM dbo.T_SJ`, GXSJ of `dataLength` bytes. */
async function pageBound(dataLength: 4 | 8): Promise<string[]> {
  const sent: string[] = [];
  await readStandInPages(
    {
      table: 'licenses',
      key: 'ID',
      keyUnique: true,
      cursor: 'GXSJ',
      query: 'SELECT ID, GXSJ FROM dbo.T_SJ',
      lagMs: 5000,
    },
    (sql) =>
      /^SELECT lb_c\.\*/.test(sql) ? [[{ ...intCell('ID', 0), value: null }, gxsjCell(dataLength)]] : [],
    sent,
  );
  return sent
    .filter((s) => /^select top/i.test(s) && !/\[GXSJ\] is null/.test(s))
    .map((s) => (BOUNDS.exec(s)?.[1] ? 'minute' : BOUNDS.exec(s)?.[2] ? 'lagMs' : `no bound in ${s}`));
}

describe('a SQL Server query stream with a SMALLDATETIME cursor under the lag window', () => {
  it('a nullable SMALLDATETIME (DATETIMN of 4 bytes) is bounded 30 s back, as a table stream is', async () => {
    const bounds = await pageBound(4);
    expect(bounds.length).toBeGreaterThan(0);
    expect(new Set(bounds)).toEqual(new Set(['minute']));
  });

  it('a nullable DATETIME (DATETIMN of 8 bytes) keeps its own bound', async () => {
    const bounds = await pageBound(8);
    expect(bounds.length).toBeGreaterThan(0);
    expect(new Set(bounds)).toEqual(new Set(['lagMs']));
  });
});
