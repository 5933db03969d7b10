/**
 * MySQL (not MariaDB) gives some refusals of a row's values no SQLSTATE of class 22 or 23: a
 * character a 3-byte `utf8` column cannot hold, such as a rare character of a holder's name, is
 * error 1366 with SQLSTATE HY000 (MariaDB says 22007), and so are 1300 (an invalid character
 * string) and 1265 (data truncated, SQLSTATE 01000). Taken for the database failing, one such row
 * failed its whole batch on every retry, the licenses batched with it dead-lettered beside it. No
 * MySQL runs in the tests: a SQLite exchange table stands in, its insert of the bad row refused
 * with the error mysql2 raises for it (code, errno, sqlState, message as the server sends them).
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { refusalCode, refusedColumn } from '../../adapters/platforms/front-db/refusal-code.js';
import {
  exchangeRow,
  type RefusingExchange,
  refusingExchange,
  writeExchangeRows,
} from './front-db-refusing-exchange.js';

const TABLE = 'UP_LIC_DATA';
/** A holder's name with a character outside the Basic Multilingual Plane. */
const PERSONAL = '𠮷明';

/** As mysql2 raises an error packet of the server (lib/packets/packet.js asError). */
function mysqlError(errno: number, code: string, sqlState: string, text: string): Error {
  return Object.assign(new Error(text), { code, errno, sqlState, sqlMessage: text, fatal: false });
}

const REFUSALS = [
  {
    name: 'an incorrect string value (1366, HY000)',
    error: () =>
      mysqlError(
        1366,
        'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
        'HY000',
        "Incorrect string value: '\\xF0\\xA0\\xAE\\xB7\\xE6\\x98...' for column 'PAYLOAD' at row 1",
      ),
    reason: `exchange table ${TABLE} refused the row (column PAYLOAD, MySQL error 1366)`,
  },
  {
    name: 'an invalid character string (1300, HY000)',
    error: () =>
      mysqlError(1300, 'ER_INVALID_CHARACTER_STRING', 'HY000', "Invalid utf8mb3 character string: 'F0A0AE'"),
    reason: `exchange table ${TABLE} refused the row (MySQL error 1300)`,
  },
  {
    name: 'data truncated (1265, 01000)',
    error: () =>
      mysqlError(1265, 'WARN_DATA_TRUNCATED', '01000', "Data truncated for column 'CZLX' at row 1"),
    reason: `exchange table ${TABLE} refused the row (column CZLX, MySQL error 1265)`,
  },
];

describe('front-db: a row MySQL refuses with a code of no SQLSTATE class 22 or 23', () => {
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
      expect(outcomes.get(`key-${base + 2}`)).toEqual({
        key: `key-${base + 2}`,
        state: 'failed',
        retryable: true,
        reasons: [r.reason],
        failure: 'other',
      });
      const stored = await k(TABLE)
        .whereIn(
          COLUMNS.key,
          [1, 2, 3].map((j) => `key-${base + j}`),
        )
        .pluck(COLUMNS.key);
      expect(stored.sort()).toEqual([`key-${base + 1}`, `key-${base + 3}`]);
    });
  }

  it('takes a MySQL failure that is no row’s (a lost connection, a lock wait) for the batch’s', () => {
    expect(
      refusalCode(mysqlError(2013, 'PROTOCOL_CONNECTION_LOST', 'HY000', 'Lost connection')),
    ).toBeUndefined();
    expect(
      refusalCode(mysqlError(1205, 'ER_LOCK_WAIT_TIMEOUT', 'HY000', 'Lock wait timeout exceeded')),
    ).toBeUndefined();
  });

  it('names the column MariaDB quotes with backticks, schema and table before it', () => {
    const e = mysqlError(
      1366,
      'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
      '22007',
      "Incorrect string value: '\\xF0\\xA0\\xAE\\xB7' for column `qzk`.`UP_LIC_DATA`.`PAYLOAD` at row 1",
    );
    expect([refusalCode(e), refusedColumn(e)]).toEqual(['SQLSTATE 22007', 'PAYLOAD']);
    // A value in backticks that is no column of the table is not repeated.
    expect(
      refusedColumn(new Error(`Incorrect string value for column \`${PERSONAL}\` at row 1`)),
    ).toBeUndefined();
  });
});
