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

const CAST = "IFNULL(CAST(`ZT` AS CHAR), 'N')";
const WIDENED = "IFNULL(CAST((`ZT` + 0E0) AS CHAR), 'N')";
const HEX = "IFNULL(HEX(`ZT`), 'N')";

/**
 * Every type a MySQL or MariaDB table may hold, as COLUMN_TYPE writes it (a MariaDB width, MySQL
 * 8.0.19's none, a MariaDB 5.3 temporal's comment), with the part 89f62e29 and 3c7db975 gave it:
 * none may change.
 */
const KNOWN: ReadonlyArray<readonly [string, string]> = [
  ...[
    ...['tinyint(4)', 'tinyint(1)', 'tinyint(3) unsigned', 'tinyint', 'tinyint unsigned'],
    ...['smallint(6)', 'smallint(5) unsigned', 'smallint', 'smallint unsigned zerofill'],
    ...['mediumint(9)', 'mediumint(8) unsigned', 'mediumint'],
    ...['int(11)', 'int(10) unsigned', 'int(10) unsigned zerofill', 'int', 'int unsigned'],
    ...['bigint(20)', 'bigint(20) unsigned', 'bigint', 'bigint unsigned'],
    ...['decimal(10,2)', 'decimal(65,30)', 'decimal(10,0) unsigned', 'double', 'double unsigned'],
    'double(10,2)',
    ...['date', 'datetime', 'year', 'year(4)', 'time', 'timestamp'],
    ...[0, 1, 2, 3, 4, 5, 6].flatMap((n) => [`datetime(${n})`, `timestamp(${n})`, `time(${n})`]),
    ...['datetime /* mariadb-5.3 */', 'timestamp /* mariadb-5.3 */', 'time /* mariadb-5.3 */'],
    ...['uuid', 'inet4', 'inet6', 'bit(1)'],
  ].map((type) => [type, CAST] as const),
  ...['float', 'float unsigned', 'float(12,3)', 'float(12,3) unsigned'].map(
    (type) => [type, WIDENED] as const,
  ),
  ...[
    ...['char(10)', 'varchar(20)', 'tinytext', 'text', 'mediumtext', 'longtext', 'json'],
    ...['tinyblob', 'blob', 'mediumblob', 'longblob', 'binary(16)', 'varbinary(32)'],
    ...["enum('XK','BA','JY')", "set('spxs','cyfw')", 'bit(2)', 'bit(64)'],
    ...['point', 'linestring', 'polygon', 'geometry', 'multipolygon', 'geomcollection', 'geometrycollection'],
  ].map((type) => [type, HEX] as const),
];

describe('mysql row fingerprint SQL by column type', () => {
  it.each(KNOWN)('fingerprints a %s as before', (type, part) => {
    expect(sql(type)).toBe(expected(part));
  });

  // MariaDB 11.7's and MySQL 9's VECTOR, a type a later server adds: CAST to CHAR may be refused,
  // failing every page, or make its bytes `?`; HEX takes any stored bytes.
  it.each(['vector(3)', 'mytype'])('fingerprints a %s, a type it does not know, by HEX', (type) => {
    expect(sql(type)).toBe(expected(HEX));
  });
});
