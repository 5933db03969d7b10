/**
 * Oracle, SQL Server and DM give no SQLSTATE: a row refused for its values (ORA-12899, SQL Server
 * 2628 …) was taken for the database failing, so one bad row failed its whole batch, retried
 * without end. No Oracle, SQL Server or DM runs in the tests: a SQLite exchange table stands in, its
 * insert of the bad row refused with the error each driver raises (built by oracledb's, tedious's,
 * mssql's and dmdb's own error code), and the batch is written as for that database.
 */
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { RequestError as TediousRequestError } from 'tedious';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { refusalCode, refusedColumn } from '../../adapters/platforms/front-db/refusal-code.js';
import {
  exchangeRow,
  type RefusingExchange,
  refusingExchange,
  writeExchangeRows,
} from './front-db-refusing-exchange.js';

const require = createRequire(import.meta.url);
const oracleErrors = require('oracledb/lib/errors.js') as { transformErr(e: Error): Error };
const MssqlRequestError = require('mssql/lib/error/request-error.js') as new (
  e: unknown,
  code?: string,
) => Error;

const { DBError } = require('dmdb/src/driver/error.js') as {
  DBError: new (code: number, message: string, detail: null) => Error;
};

const TABLE = 'UP_LIC_DATA';
/** A holder's name in the bad row: never to appear in a reason. */
const PERSONAL = '张三丰';
const STATEMENT = `insert into "${TABLE}" ("PAYLOAD") values ('${PERSONAL}')`;

/** As oracledb raises a database error: the server's message and number, its code set by the driver. */
function oracleError(num: number, text: string): Error {
  const e = Object.assign(new Error(`ORA-${String(num).padStart(5, '0')}: ${text}`), { errorNum: num });
  const transformed = oracleErrors.transformErr(e);
  // knex puts the statement, values and all, before the driver's message.
  transformed.message = `${STATEMENT} - ${transformed.message}`;
  return transformed;
}

/** As dmdb raises an error of the server: its code in `errCode`, the statement before it (knex). */
function dmError(code: number, text: string): Error {
  const e = new DBError(code, text, null);
  e.message = `${STATEMENT} - ${e.message}`;
  return e;
}

/** As tedious raises an error token of the server. */
function tediousError(number: number, text: string): Error {
  return Object.assign(new TediousRequestError(text, 'EREQUEST'), { number, state: 1, class: 16 });
}

/** SQL Server ends a refused insert with 3621 after the refusal: tedious hands both over together. */
function tediousRefusal(number: number, text: string): Error {
  return new AggregateError(
    [tediousError(number, text), tediousError(3621, 'The statement has been terminated.')],
    STATEMENT,
  );
}

const REFUSALS: { name: string; error: () => unknown; code: string; column?: string }[] = [
  {
    name: 'Oracle, a value too large (ORA-12899)',
    error: () =>
      oracleError(
        12899,
        `value too large for column "LB"."${TABLE}"."PAYLOAD" (actual: 4200, maximum: 4000)`,
      ),
    code: 'ORA-12899',
    column: 'PAYLOAD',
  },
  {
    name: 'Oracle, a NULL (ORA-01400)',
    error: () => oracleError(1400, `cannot insert NULL into ("LB"."${TABLE}"."ZZBS")`),
    code: 'ORA-01400',
    column: 'ZZBS',
  },
  {
    name: 'Oracle, an invalid number (ORA-01722)',
    error: () => oracleError(1722, 'invalid number'),
    code: 'ORA-01722',
  },
  {
    name: 'Oracle, a number past its precision (ORA-01438)',
    error: () => oracleError(1438, 'value larger than specified precision allowed for this column'),
    code: 'ORA-01438',
  },
  {
    name: 'Oracle, a unique constraint (ORA-00001)',
    error: () => oracleError(1, 'unique constraint (LB.UK_ZZBS) violated'),
    code: 'ORA-00001',
  },
  {
    name: 'DM, a value longer than its column (-6169)',
    error: () => dmError(-6169, '列[PAYLOAD]长度超出定义'),
    code: 'DM error -6169',
    column: 'PAYLOAD',
  },
  {
    name: 'DM, a duplicate in a unique constraint (-6602)',
    error: () => dmError(-6602, '违反表[UP_LIC_DATA]唯一性约束'),
    code: 'DM error -6602',
  },
  {
    name: 'DM, a text that does not convert (-6111)',
    error: () => dmError(-6111, '字符串转换出错'),
    code: 'DM error -6111',
  },
  {
    name: 'SQL Server, truncated (2628)',
    error: () =>
      tediousRefusal(
        2628,
        `String or binary data would be truncated in table 'qzk.dbo.${TABLE}', column 'PAYLOAD'. Truncated value: '${PERSONAL}'.`,
      ),
    code: 'SQL Server error 2628',
    column: 'PAYLOAD',
  },
  {
    name: 'SQL Server, truncated (8152)',
    error: () => tediousRefusal(8152, 'String or binary data would be truncated.'),
    code: 'SQL Server error 8152',
  },
  {
    name: 'SQL Server, a NULL (515)',
    error: () =>
      tediousRefusal(
        515,
        `Cannot insert the value NULL into column 'ZZBS', table 'qzk.dbo.${TABLE}'; column does not allow nulls. INSERT fails.`,
      ),
    code: 'SQL Server error 515',
    column: 'ZZBS',
  },
  {
    name: 'SQL Server, a duplicate in a unique constraint (2627)',
    error: () => tediousRefusal(2627, "Violation of UNIQUE KEY constraint 'UK_ZZBS'."),
    code: 'SQL Server error 2627',
  },
  {
    name: 'SQL Server through mssql, a conversion (245)',
    error: () =>
      new MssqlRequestError(
        Object.assign(
          new Error(`Conversion failed when converting the varchar value '${PERSONAL}' to data type int.`),
          {
            info: { number: 245 },
          },
        ),
        'EREQUEST',
      ),
    code: 'SQL Server error 245',
  },
];

describe('front-db: a row Oracle, SQL Server or DM refuses for its values', () => {
  let exchange: RefusingExchange;
  let k: Knex;

  beforeAll(async () => {
    exchange = await refusingExchange(TABLE, PERSONAL);
    k = exchange.k;
  });
  afterAll(async () => {
    await k?.destroy();
  });

  for (const [i, r] of REFUSALS.entries()) {
    it(`${r.name}: the others are written, the bad row fails naming table, column and code only`, async () => {
      exchange.refuse = r.error;
      const base = (i + 1) * 10;
      const rows = [
        exchangeRow(base + 1, '{}'),
        exchangeRow(base + 2, PERSONAL),
        exchangeRow(base + 3, '{}'),
      ];
      const outcomes = await writeExchangeRows(k, TABLE, rows);
      expect(outcomes.get(`key-${base + 1}`)?.state).toBe('accepted');
      expect(outcomes.get(`key-${base + 3}`)?.state).toBe('accepted');
      const bad = outcomes.get(`key-${base + 2}`);
      expect(bad).toEqual({
        key: `key-${base + 2}`,
        state: 'failed',
        retryable: true,
        reasons: [
          `exchange table ${TABLE} refused the row (${r.column === undefined ? '' : `column ${r.column}, `}${r.code})`,
        ],
        failure: 'other',
      });
      const stored = await k(TABLE)
        .whereIn(
          COLUMNS.key,
          [1, 2, 3].map((i) => `key-${base + i}`),
        )
        .pluck(COLUMNS.key);
      expect(stored.sort()).toEqual([`key-${base + 1}`, `key-${base + 3}`]);
    });
  }

  it('still fails the batch on a failure that is no row’s, by its code', async () => {
    exchange.refuse = () => oracleError(3113, 'end-of-file on communication channel');
    const e = await writeExchangeRows(k, TABLE, [exchangeRow(901, '{}'), exchangeRow(902, PERSONAL)]).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((e as { errorNum?: number }).errorNum).toBe(3113);
    expect(await k(TABLE).where(COLUMNS.key, 'key-901').first()).toBeUndefined();
  });
});

describe('front-db: naming a refusal', () => {
  it('takes neither a driver error of its own nor a connection failure for a row’s', () => {
    expect(
      refusalCode(
        Object.assign(new Error('NJS-500: connection to the Oracle Database was broken'), {
          code: 'NJS-500',
        }),
      ),
    ).toBeUndefined();
    expect(refusalCode(tediousError(1205, 'deadlock victim'))).toBeUndefined();
    // dmdb's own (positive) codes, and the server's lock timeout, are no row's.
    expect(refusalCode(dmError(6001, 'communication error'))).toBeUndefined();
    expect(refusalCode(dmError(-6407, '锁超时'))).toBeUndefined();
    expect(refusalCode(Object.assign(new Error('Connection lost'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(refusalCode({ code: '22001' })).toBe('SQLSTATE 22001');
    expect(refusalCode({ sqlState: '23000', code: 'ER_DUP_ENTRY' })).toBe('SQLSTATE 23000');
  });

  it('names only a column the exchange table has, whatever a value in the statement says', () => {
    const e = oracleError(
      12899,
      `value too large for column "LB"."${TABLE}"."${PERSONAL}" (actual: 9, maximum: 4)`,
    );
    expect(refusedColumn(e)).toBeUndefined();
    expect(refusedColumn({ column: 'zzbs' })).toBe('ZZBS');
    expect(refusedColumn(new Error("Data too long for column 'PAYLOAD' at row 1"))).toBe('PAYLOAD');
    // As a session speaking Chinese has them.
    expect(
      refusedColumn(oracleError(12899, `列 "LB"."${TABLE}"."ZZBS" 的值太大 (实际值: 40, 最大值: 20)`)),
    ).toBe('ZZBS');
    expect(
      refusedColumn(
        tediousRefusal(
          515,
          `不能将值 NULL 插入列 'ZZBS'，表 'qzk.dbo.${TABLE}'；列不允许有 Null 值。INSERT 失败。`,
        ),
      ),
    ).toBe('ZZBS');
    expect(refusedColumn(dmError(-6169, 'Column [ZZBS] out of length.'))).toBe('ZZBS');
    expect(refusedColumn(dmError(-6169, `列[${PERSONAL}]长度超出定义`))).toBeUndefined();
  });
});
