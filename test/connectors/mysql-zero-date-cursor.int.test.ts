/**
 * MySQL and MariaDB match the zero date of a NOT NULL DATE or DATETIME column with `IS NULL` in a
 * WHERE clause (for ODBC programs), and with `IS NOT NULL` too. A cursor stream reads rows whose
 * cursor is NULL first, then fills the page from the start of the non-NULL rows: rows whose NOT
 * NULL cursor held `0000-00-00 00:00:00` (a legacy "never updated") came in both queries, twice in
 * one page, and a page ending among the second copies resumed before rows already read. A cursor
 * the catalog declares NOT NULL has no NULL rows, and its NULL-cursor query is not made.
 */
import { describe, expect, it } from 'vitest';
import { readAll } from './conformance.js';
import { keysReadInRuns } from './float-runs.js';
import { mariadbSource } from './legacy-sources.js';

const legacy = mariadbSource(async (c) => {
  await c.query("SET SESSION sql_mode = ''");
  await c.query('CREATE TABLE T_Z (ID INT PRIMARY KEY, GXSJ DATETIME NOT NULL, MC VARCHAR(10))');
  await c.query(`INSERT INTO T_Z VALUES (1, '0000-00-00 00:00:00', 'a'), (2, '0000-00-00 00:00:00', 'b'),
    (3, '2024-03-01 08:00:00', 'c'), (4, '2024-03-01 09:00:00', 'd'), (5, '0000-00-00 00:00:00', 'e')`);
});

const stream = { table: 'T_Z', key: 'ID', cursor: 'GXSJ' };
const ORDER = ['1', '2', '5', '3', '4'];

describe('mysql NOT NULL date cursors holding the zero date', () => {
  it('reads each row once in a read of large pages', async () => {
    for (const size of [4, 10]) {
      const keys = (await readAll(legacy.source, stream, size)).flatMap((p) => p.rows.map((r) => r.key));
      expect(keys, `page size ${size}`).toEqual(ORDER);
    }
  });

  it('reads each row once across runs of any page size', async () => {
    for (const size of [1, 2, 3, 4, 6]) {
      expect(await keysReadInRuns(legacy.source, stream, size), `page size ${size}`).toEqual(ORDER);
    }
  });
});
