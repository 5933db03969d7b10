/**
 * The in-database row fingerprint of a MySQL or MariaDB table (dialect.ts `rowFingerprint`,
 * ../../fingerprint.ts): md5 over the source's prefix and every column as stored, selected with
 * every page of a table stream and summed by bucket for a check. Each column goes in as text that
 * tells its values apart, never through a conversion that fails or merges two of them.
 */
import type { Knex } from 'knex';
import type { ColumnMeta } from '../../dialect.js';
import { FLOAT_TYPE, WIDENED } from './float-columns.js';

/** Strings and bytes: HEX of their stored bytes. */
const STRINGISH = /char|text|blob|binary|enum|set|json/i;
/**
 * A spatial column as COLUMN_TYPE names it (`point`, `geometry`, MySQL 8's `geomcollection`, …).
 * MariaDB refuses to CAST a geometry to CHAR (4079, `Illegal parameter data type point for
 * operation 'cast_as_char'`), and every page of a table holding one failed: its stored bytes (the
 * SRID and the WKB), as HEX gives them, instead.
 */
const SPATIAL =
  /^(geometry|point|linestring|polygon|multipoint|multilinestring|multipolygon|geometrycollection|geomcollection)\b/i;
/**
 * `bit(16)`: CAST to CHAR makes its bytes characters, and a byte from 0x80 on is no utf8mb4
 * character but `?`, so flags 0x02AA and 0x02AB were one fingerprint and a check never saw the
 * change; a BIT(7) of 78 is `N`, as NULL is. HEX gives its number, a digit for every four bits:
 * a BIT(2) or wider is not among the types cast below.
 *
 * `bit(1)` (a bare `bit` is one) is: its CAST, 0x00 or 0x01, already told it from the other and
 * from NULL's `N`, and stays. A stored fingerprint is refreshed only when a run commits a page
 * holding its row (ledger/commit-page.ts), so HEX here would have made every row of every table
 * with a flag differ, its buckets mapped in detail by each check until a full run.
 */
const BIT_1 = /^bit(?:\(\s*1\s*\))?$/i;
/**
 * Numbers, dates and times, and MariaDB's UUID, INET4 and INET6, whose text tells their values
 * apart: cast to CHAR, as every type not text or bytes was before (the test
 * mysql-row-fingerprint-sql holds each to the SQL it had). Any other type is taken by HEX: one a
 * later server adds may be refused by CAST (4079, as a geometry was), which failed every page.
 */
const CAST_TYPE =
  /^(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|double|real|date|datetime|timestamp|time|year|uuid|inet4|inet6)\b/i;

const HEX_PART = "IFNULL(HEX(??), 'N')";

/** A column's part of the fingerprint: its text as CHAR or its stored bytes as HEX, `N` for NULL. */
function part(type: string): string {
  // Strings and bytes as HEX of their stored bytes (no charset conversion, no collation mix-up,
  // GBK-in-latin1 stays what it is); numbers and dates as their text, which holds no comma.
  // 'N' marks NULL: neither form can produce it.
  if (STRINGISH.test(type) || SPATIAL.test(type)) return HEX_PART;
  // A FLOAT widened, so a change past its sixth digit changes the fingerprint.
  if (FLOAT_TYPE.test(type)) return `IFNULL(CAST(${WIDENED} AS CHAR), 'N')`;
  if (BIT_1.test(type) || CAST_TYPE.test(type)) return "IFNULL(CAST(?? AS CHAR), 'N')";
  return HEX_PART;
}

/** md5 hex over `prefix` and every column of `columns` as stored; `N` for NULL, which no value's text is. */
export function mysqlRowFingerprint(db: Knex, columns: readonly ColumnMeta[], prefix: string): Knex.Raw {
  const parts = columns.map((c) => part(c.type));
  return db.raw(`MD5(CONCAT_WS(',', ?, ${parts.join(', ')}))`, [prefix, ...columns.map((c) => c.name)]);
}
