/**
 * A MySQL/MariaDB query stream (a stream given as SQL) keyed or ordered by an `ENUM` or a `SET`.
 * MySQL sorts such a column by the place of its value in the type's list but compares it with text
 * as text; a table stream binds its checkpoint as that place, from the type's list in the catalog
 * (mysql-enum-keys.int.test.ts), which a query's column does not show. Its pages resumed at the
 * wrong place, and rows were never read (two of six here), without a word. Such a stream is now
 * refused before a row is read, naming the source, stream, column and type and what to select
 * instead: `CAST(K AS CHAR)`, which sorts and compares as text and is read whole.
 */
import { describe, expect, it } from 'vitest';
import type { StreamSpec } from '../../connectors/source.js';
import { keysOf, readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';

const legacy = mariadbSource(async (conn) => {
  await conn.query(
    "CREATE TABLE T_ZT (ID INT PRIMARY KEY, ZT ENUM('XK','BA','JY') NOT NULL, LB SET('A','B'))",
  );
  await conn.query(
    "INSERT INTO T_ZT VALUES (1, 'XK', 'A'), (2, 'BA', 'B'), (3, 'JY', 'A,B'), (4, 'XK', 'B'), (5, 'BA', 'A'), (6, 'JY', '')",
  );
});

const query = 'SELECT ID, ZT, LB FROM T_ZT';

function refusal(role: 'key' | 'cursor', column: string, type: string) {
  return {
    code: 'LB_SOURCE_SCHEMA',
    message: expect.stringMatching(
      new RegExp(
        `^source legacy: ${role} column \`${column}\` of query stream \`zt\` is \`${type}\`: .*\`CAST\\(${column} AS CHAR\\) AS ${column}\``,
      ),
    ),
  };
}

describe('mysql: a query stream keyed or ordered by an ENUM or a SET', () => {
  it('is refused before a row is read with an ENUM cursor, saying what to select', async () => {
    const stream: StreamSpec = { table: 'zt', query, key: 'ID', keyUnique: true, cursor: 'ZT' };
    await expect(readAll(legacy.source, stream, 2)).rejects.toMatchObject(refusal('cursor', 'ZT', 'enum'));
  });

  it('is refused with a SET key, by the stream check of config check --connect', async () => {
    const stream: StreamSpec = { table: 'zt', query, key: 'LB' };
    await expect(legacy.source.checkStream?.(stream)).rejects.toMatchObject(refusal('key', 'LB', 'set'));
  });

  it('reads every row of the column selected as text', async () => {
    const stream: StreamSpec = {
      table: 'zt',
      query: 'SELECT ID, CAST(ZT AS CHAR) AS ZT FROM T_ZT',
      key: 'ID',
      keyUnique: true,
      cursor: 'ZT',
    };
    expect(keysOf(await readAll(legacy.source, stream, 2))).toEqual(['2', '5', '3', '6', '1', '4']);
  });
});
