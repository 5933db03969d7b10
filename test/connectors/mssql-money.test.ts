/**
 * SQL Server MONEY, read exactly. tedious decodes a MONEY value as its stored integer of
 * ten-thousandths divided by 10^4, a double: from 2^39 (549,755,813,888) up doubles lie further
 * apart than 0.0001, and 674685308101.2956 came out as 674685308101.2957 — in table streams,
 * which selected the column as it is, and in query streams, which passed it on. Table streams now
 * select MONEY as text in style 2 (four decimals; a CAST to varchar prints two) and hand over the
 * same number as before where it is exact, the text where not; query streams refuse a MONEY value
 * not held exactly, as they refuse a wide DECIMAL's, naming source, column, type and the CONVERT
 * to write. SMALLMONEY and BIGINT read exactly in both kinds of stream.
 *
 * No SQL Server runs here: a stand-in connection answers knex's mssql client with the cells
 * tedious builds from SQL Server's bytes, for the select list it was sent (mssql-stand-in.ts).
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { isLicbridgeError } from '../../core/errors.js';
import {
  bigintCell,
  type Cell,
  catalogRow,
  intCell,
  moneyCell,
  readQueryStandIn,
  readStandIn,
  smallMoneyCell,
  varcharCell,
} from './mssql-stand-in.js';

// 674685308101.2956 and 123.45 as SQL Server stores them, in ten-thousandths.
const LARGE = 6746853081012956n;
const SMALL = 1234500n;

/** SQL Server's answer to CONVERT(varchar(32), <money>, 2): every digit, four decimals. */
const style2 = (tenThousandths: bigint): string => {
  const sign = tenThousandths < 0n ? '-' : '';
  const abs = tenThousandths < 0n ? -tenThousandths : tenThousandths;
  return `${sign}${abs / 10000n}.${String(abs % 10000n).padStart(4, '0')}`;
};

/**
 * Reads table dbo.T_XKZ (ID int key, JE money, XE smallmoney, BH bigint) whose rows hold `je`.
 * The page is answered for the select list sent: JE as text where it is converted, as tedious'
 * MONEY cell where it is selected as it is.
 */
async function readTable(je: readonly bigint[]) {
  const sent: string[] = [];
  const rows = await readStandIn(
    { table: 'dbo.T_XKZ', key: 'ID' },
    (sql) => {
      if (/sys\.columns/.test(sql))
        return [
          catalogRow('ID', 'int', 1),
          catalogRow('JE', 'money'),
          catalogRow('XE', 'smallmoney'),
          catalogRow('BH', 'bigint'),
        ];
      if (!/^select top/i.test(sql) || /\[ID\] >/.test(sql)) return [];
      const converted = sql.includes('CONVERT(varchar(32), [JE], 2) AS [JE]');
      return je.map((v, i) => [
        intCell('ID', i + 1),
        converted ? varcharCell('JE', style2(v)) : moneyCell('JE', v),
        smallMoneyCell('XE', 2147483647),
        bigintCell('BH', i === 0 ? 9007199254740993n : 42n),
      ]);
    },
    sent,
  );
  return { rows, sent };
}

const readQuery = (rows: Cell[][]) => readQueryStandIn('SELECT ID, JE FROM dbo.T_XKZ', 'ID', rows);

describe('mssql: MONEY read exactly', () => {
  it('tedious alone hands MONEY 674685308101.2956 over rounded', () => {
    expect(moneyCell('JE', LARGE).value).toBe(674685308101.2957);
    expect(moneyCell('JE', LARGE, false).value).toBe(674685308101.2957);
  });

  it('table streams select MONEY in style 2 and read every amount exactly', async () => {
    const { rows, sent } = await readTable([LARGE, SMALL, -1n]);
    const page = sent.find((s) => /^select top/i.test(s)) ?? '';
    expect(page).toContain('CONVERT(varchar(32), [JE], 2) AS [JE]');
    // SMALLMONEY is read exactly as it is.
    expect(page).toContain('[XE]');
    expect(page).not.toContain('[XE], 2');
    expect(rows).toEqual([
      // Too many digits for a number: the text.
      { ID: 1, JE: '674685308101.2956', XE: 214748.3647, BH: '9007199254740993' },
      // Exact as a number: the very number tedious read before, so its license is unchanged.
      { ID: 2, JE: moneyCell('JE', SMALL).value, XE: 214748.3647, BH: 42 },
      { ID: 3, JE: -0.0001, XE: 214748.3647, BH: 42 },
    ]);
    expect(rows[1]?.JE).toBe(123.45);
  });

  it('cursor text of MONEY and SMALLMONEY keeps the four decimals', () => {
    const db = knexModule({ client: 'mssql', connection: {} });
    for (const type of ['money', 'smallmoney']) {
      const text = mssqlDialect.cursorAsText(db, 'JE', type);
      expect(text?.toSQL().sql, type).toBe('CONVERT(varchar(32), [JE], 2)');
    }
  });

  it('query streams refuse a MONEY value a number cannot hold, naming source, column and fix', async () => {
    for (const nullable of [true, false]) {
      const error = await readQuery([[intCell('ID', 1), moneyCell('JE', LARGE, nullable)]]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isLicbridgeError(error), `nullable ${nullable}`).toBe(true);
      if (!isLicbridgeError(error)) continue;
      expect(error.code).toBe('LB_SOURCE_QUERY');
      expect(error.retryable).toBe(false);
      expect(error.context).toMatchObject({ source: 'market-food', columnName: 'JE', columnType: 'MONEY' });
      expect(error.message).toContain('source market-food:');
      expect(error.message).toContain('(MONEY)');
      expect(error.message).toContain('CONVERT(varchar(32), [JE], 2) AS [JE]');
      // Never the value itself, rounded or not.
      expect(error.message).not.toMatch(/674685308101/);
    }
  });

  it('query streams read exact MONEY, SMALLMONEY and BIGINT values as before', async () => {
    const rows = await readQuery([
      [
        intCell('ID', 1),
        moneyCell('JE', 999999999999999n),
        smallMoneyCell('XE', -2147483648),
        bigintCell('BH', 9007199254740993n),
      ],
      [intCell('ID', 2), moneyCell('JE', -1n, false), smallMoneyCell('XE', 0), bigintCell('BH', 42n)],
    ]);
    // BIGINT comes from tedious as text, every digit; a query stream declares no type to make it a number.
    expect(rows).toEqual([
      { ID: 1, JE: 99999999999.9999, XE: -214748.3648, BH: '9007199254740993' },
      { ID: 2, JE: -0.0001, XE: 0, BH: '42' },
    ]);
  });
});
