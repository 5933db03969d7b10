/**
 * DECIMAL/NUMERIC wider than 15 digits in a SQL Server query stream. Table streams select such
 * columns as text (`selectColumn`); a query stream's columns have no declared type, and tedious
 * hands a DECIMAL over as a JavaScript number: NUMERIC(20,0) 12345678901234567 came out as
 * 12345678901234568, a different license serial, passed on as if read. Now a value of such a column
 * that a number cannot hold exactly fails the read, naming the source, the column, its type and
 * the query's fix; values a number holds exactly (an 18-digit column's small ids) read as before.
 *
 * No SQL Server runs here: a stand-in connection answers knex's mssql client with the cells tedious
 * builds — each value decoded from the bytes SQL Server sends by tedious' own value parser.
 */
import { describe, expect, it } from 'vitest';
import type { SourceValue } from '../../connectors/source.js';
import { isLicbridgeError } from '../../core/errors.js';
import { type Cell, intCell, numericCell, readQueryStandIn } from './mssql-stand-in.js';

/** Reads every page of a query stream from a stand-in connection answering each SELECT with `rows`. */
const readQuery = (rows: Cell[][]): Promise<Record<string, SourceValue>[]> =>
  readQueryStandIn('SELECT XKZXH, JE FROM dbo.T_XKZ', 'XKZXH', rows);

describe('mssql query streams: DECIMAL wider than 15 digits', () => {
  it('tedious alone hands NUMERIC(20,0) 12345678901234567 over rounded', () => {
    expect(numericCell('XKZXH', 20, 0, 12345678901234567n).value).toBe(12345678901234568);
  });

  it('refuses a read whose wide DECIMAL value a number cannot hold, naming source, column and fix', async () => {
    for (const [cell, type] of [
      [numericCell('XKZXH', 20, 0, 12345678901234567n), 'NUMERIC(20,0)'],
      // 1234567890123.4567: exact in the column, 1234567890123.4568 as tedious' number.
      [numericCell('XKZXH', 18, 4, 12345678901234567n), 'NUMERIC(18,4)'],
    ] as const) {
      const error = await readQuery([[cell, intCell('JE', 1)]]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isLicbridgeError(error), type).toBe(true);
      if (!isLicbridgeError(error)) continue;
      expect(error.code).toBe('LB_SOURCE_QUERY');
      expect(error.retryable).toBe(false);
      expect(error.context).toMatchObject({ source: 'market-food', columnName: 'XKZXH' });
      expect(error.message).toContain('source market-food:');
      expect(error.message).toContain(type);
      expect(error.message).toContain('CAST([XKZXH] AS varchar(50)) AS [XKZXH]');
      // Never the value itself, rounded or not.
      expect(error.message).not.toMatch(/1234567890123/);
    }
  });

  it('reads the values of a wide column that a number holds exactly', async () => {
    const rows = await readQuery([
      [numericCell('XKZXH', 18, 0, 42n), numericCell('JE', 38, 2, 12345n)],
      [numericCell('XKZXH', 18, 0, 9007199254740991n), numericCell('JE', 18, 2, -99999999999999n)],
    ]);
    expect(rows).toEqual([
      { XKZXH: 42, JE: 123.45 },
      { XKZXH: 9007199254740991, JE: -999999999999.99 },
    ]);
  });
});
