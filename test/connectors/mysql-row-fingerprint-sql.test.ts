/**
 * The SQL of the MySQL and MariaDB in-database row fingerprint (mysql/row-fingerprint.ts), as knex
 * compiles it without a connection. A stored fingerprint is refreshed only when a run commits a
 * page holding its row, and a check compares it with the one read now: a column whose expression
 * changes makes every row of its tables differ until a full run, and each check maps their buckets
 * in detail meanwhile. So an expression that told every value apart is kept byte for byte: the
 * expected text here is the one 89f62e29 selected, written out.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { mysqlRowFingerprint } from '../../connectors/sql/dialects/mysql/row-fingerprint.js';
import { column } from './lag-streams.js';

const db = knexModule({ client: 'mysql2' });

const sql = (type: string): string =>
  mysqlRowFingerprint(db, [column('ID', 'int(11)'), column('ZT', type)], 'p').toString();

/** The fingerprint of (ID, ZT) with ZT's part as given. */
const expected = (part: string): string =>
  `MD5(CONCAT_WS(',', 'p', IFNULL(CAST(\`ID\` AS CHAR), 'N'), ${part}))`;

describe('mysql row fingerprint SQL for BIT columns', () => {
  // A bare `bit` is a BIT(1); COLUMN_TYPE writes it `bit(1)`.
  it.each(['bit(1)', 'bit'])(
    'keeps the CAST of a %s, whose 0x00, 0x01 and NULL (N) were already told apart',
    (type) => {
      // As 89f62e29 selected it, before b7b59773: a BIT(1) flag's fingerprint is unchanged.
      expect(sql(type)).toBe(
        "MD5(CONCAT_WS(',', 'p', IFNULL(CAST(`ID` AS CHAR), 'N'), IFNULL(CAST(`ZT` AS CHAR), 'N')))",
      );
    },
  );

  // BIT(7) 78 cast to CHAR is `N`, as NULL is; from BIT(8) on a byte from 0x80 is `?`.
  it.each(['bit(2)', 'bit(7)', 'bit(8)', 'bit(16)', 'bit(64)'])('fingerprints a %s by HEX', (type) => {
    expect(sql(type)).toBe(expected("IFNULL(HEX(`ZT`), 'N')"));
  });
});
