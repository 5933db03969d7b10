/**
 * A MariaDB `TIMESTAMP` cursor holding the zero TIMESTAMP (`0000-00-00 00:00:00`, written by an
 * application under a lax `sql_mode`), read through a view or a query stream. Such a cursor is
 * compared by the instant it holds, `UNIX_TIMESTAMP(GXSJ)` (mysql/timestamp-cursor.ts), which is 0
 * for the zero TIMESTAMP of a table's column, but NULL for the same value read through a view or a
 * derived table (MariaDB 10.11). The zero rows' cursor text was NULL: a page ending on one resumed
 * from a NULL cursor, the rows were compared as NULL, and every row at the zero TIMESTAMP was left
 * unread, in pages of any size, without a word. They are read now, before the rows of real times.
 */
import { describe, expect, it } from 'vitest';
import type { StreamSpec } from '../../connectors/source.js';
import { keysOf, readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';

// Keys in (cursor, key) order: the NULL cursor first, then the zero TIMESTAMP, then real times.
const IN_ORDER = ['3', '1', '2', '4', '5', '6'];

const legacy = mariadbSource(async (conn) => {
  // The application's session: zero dates allowed, as on the legacy server.
  await conn.query("SET SESSION sql_mode = ''");
  await conn.query('CREATE TABLE T_TS (ID INT PRIMARY KEY, GXSJ TIMESTAMP(3) NULL)');
  await conn.query(
    "INSERT INTO T_TS VALUES (1, '0000-00-00 00:00:00'), (2, '0000-00-00 00:00:00'), (3, NULL), (4, '2024-01-01 00:00:00.5'), (5, '2024-01-01 00:00:00.5'), (6, '2024-01-02 00:00:00')",
  );
  await conn.query('CREATE VIEW V_TS AS SELECT ID, GXSJ FROM T_TS');
});

const streams: [string, StreamSpec][] = [
  ['the table', { table: 'T_TS', key: 'ID', cursor: 'GXSJ' }],
  ['a view', { table: 'V_TS', key: 'ID', cursor: 'GXSJ' }],
  ['a query stream', { table: 'ts', query: 'SELECT ID, GXSJ FROM T_TS', key: 'ID', cursor: 'GXSJ' }],
];

describe('mysql: a TIMESTAMP cursor holding the zero TIMESTAMP', () => {
  for (const [what, stream] of streams) {
    for (const pageSize of [1, 2, 10]) {
      it(`reads every row of ${what} once, in pages of ${pageSize}`, async () => {
        expect(keysOf(await readAll(legacy.source, stream, pageSize))).toEqual(IN_ORDER);
      });
    }
  }
});
