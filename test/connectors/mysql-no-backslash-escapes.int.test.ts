/**
 * A MySQL or MariaDB server whose `sql_mode` holds NO_BACKSLASH_ESCAPES reads a backslash in a
 * string literal as itself. knex hands each bound value to mysql2, which writes it into the
 * statement's text as a literal, escaping a backslash as `\\` and a quote as `\'`: under that mode
 * `'A\\1'` is the three characters `A\\1` and `'B\'2'` ends after the backslash. A checkpoint, a
 * tie read or a key look-up of such a key named another key, or failed the statement. The server
 * here keeps the default mode; a department's server with the mode is played by connections whose
 * session starts in it, before licbridge's own setup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { mysqlSourceOf, startSessionsWith } from './mysql-session-start.js';
import { createMariadbDatabase, type FreshMariadb } from './servers.js';

const quiet = createLogger({ level: 'silent' });

let fresh: FreshMariadb;
let restore: (() => void) | undefined;

beforeAll(async () => {
  fresh = await createMariadbDatabase();
  // A key that is not unique (ties and look-ups of a page's keys are read by it), with an index.
  await fresh.conn.query(
    'CREATE TABLE T_BS (BH VARCHAR(20) NOT NULL, GXSJ DATETIME(6) NOT NULL, MC VARCHAR(10), KEY (BH), KEY (GXSJ, BH))',
  );
  await fresh.conn.query('INSERT INTO T_BS VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?)', [
    'A\\1',
    '2024-03-01 08:00:01',
    'a',
    "B'2",
    '2024-03-01 08:00:01',
    'b',
    'C\\',
    '2024-03-01 08:00:02',
    'c',
    "D\\'",
    '2024-03-01 08:00:02',
    'd',
    'E',
    '2024-03-01 08:00:03',
    'e',
  ]);
  // Every connection of the source starts in the mode, as on a server configured with it.
  restore = startSessionsWith("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
});
afterAll(async () => {
  restore?.();
  await fresh?.drop();
});

const config = (): SourceConfig => mysqlSourceOf(fresh, 'none');

const ALL = ['A\\1', "B'2", 'C\\', "D\\'", 'E'];

describe('mysql: a server in sql_mode NO_BACKSLASH_ESCAPES', () => {
  it('the session the source reads in has the mode (the department server played)', async () => {
    const connector = await openSource('nbe', config(), { logger: quiet });
    try {
      const stream = {
        table: 'modes',
        query: 'SELECT 1 AS ID, @@SESSION.sql_mode AS MODE',
        key: 'ID',
      };
      const [page] = await readAll(connector, stream, 10);
      expect(String(page?.rows[0]?.values.MODE)).toMatch(/NO_BACKSLASH_ESCAPES/);
    } finally {
      await connector.close();
    }
  });

  for (const pageSize of [1, 2]) {
    it(`a cursor stream in pages of ${pageSize} reads each key holding a backslash or a quote once, as stored`, async () => {
      const connector = await openSource('nbe', config(), { logger: quiet });
      try {
        const pages = await readAll(connector, { table: 'T_BS', key: 'BH', cursor: 'GXSJ' }, pageSize);
        expect(keysOf(pages)).toEqual(ALL);
        expect(pages.flatMap((p) => p.rows.map((r) => r.values.MC))).toEqual(['a', 'b', 'c', 'd', 'e']);
      } finally {
        await connector.close();
      }
    });

    it(`a key-only stream in pages of ${pageSize} reads each such key once`, async () => {
      const connector = await openSource('nbe', config(), { logger: quiet });
      try {
        const pages = await readAll(connector, { table: 'T_BS', key: 'BH' }, pageSize);
        expect([...keysOf(pages)].sort()).toEqual([...ALL].sort());
        expect(keysOf(pages)).toHaveLength(ALL.length);
      } finally {
        await connector.close();
      }
    });
  }

  it("a query stream's bound parameter holding a backslash selects the row stored with it", async () => {
    const connector = await openSource('nbe', config(), { logger: quiet });
    try {
      const stream = {
        table: 'one',
        query: 'SELECT BH, GXSJ, MC FROM T_BS WHERE BH = ? OR BH = ?',
        params: ['C\\', "B'2"],
        key: 'BH',
        cursor: 'GXSJ',
      };
      expect(keysOf(await readAll(connector, stream, 10))).toEqual(["B'2", 'C\\']);
    } finally {
      await connector.close();
    }
  });
});
