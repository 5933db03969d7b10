/**
 * A page of a MySQL or MariaDB cursor stream is more than one statement: the page, the rows level
 * with its last one (tied-rows.ts), the look-up of its keys' other rows (key-cursors.ts). InnoDB
 * reads them from one snapshot at REPEATABLE READ, its default; a server whose
 * `transaction_isolation` is READ-COMMITTED (the default of some hosted MySQL services) gives each
 * statement its own. Here a key that is not unique holds two rows at one cursor; a page ends on
 * one of them, and before the tie is read the application updates that row (its cursor moves on).
 * The tie read no longer found the page's last row, the page was kept as it was, its checkpoint
 * named the tie, and the other row, untouched, lay at the checkpoint, which the next page passes
 * strictly: it was never read. The server here keeps the default; one at READ-COMMITTED is played
 * by connections whose session starts at that level, before licbridge's own setup.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { mysqlSourceOf, startSessionsWith } from './mysql-session-start.js';
import { expectTieRead, TIE_VALUES, wrapPooledConnections } from './page-snapshot.js';
import { createMariadbDatabase, type FreshMariadb } from './servers.js';

const quiet = createLogger({ level: 'silent' });

type Answer = (error: Error | null, rows?: unknown, fields?: unknown) => void;
/** A mysql2 connection as knex's pool hands it over: what this test wraps. */
interface MysqlConnection {
  query(options: { sql: string }, values: unknown, callback: Answer): unknown;
}

let fresh: FreshMariadb;
let restore: (() => void) | undefined;

beforeAll(async () => {
  fresh = await createMariadbDatabase();
  // A legacy key column, not unique, indexed; an index on (cursor, key) as the docs ask.
  await fresh.conn.query(
    'CREATE TABLE T_TIE (BH VARCHAR(10) NOT NULL, GXSJ DATETIME(6) NOT NULL, MC VARCHAR(10), KEY (BH), KEY (GXSJ, BH)) ENGINE=InnoDB',
  );
  await fresh.conn.query(`INSERT INTO T_TIE VALUES ${TIE_VALUES}`);
  restore = startSessionsWith('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
});
afterAll(async () => {
  restore?.();
  await fresh?.drop();
});

describe('mysql: the statements of one page read one snapshot on a READ-COMMITTED server', () => {
  it('a row updated between a page and its tie read leaves no row of the tie unread', async () => {
    const connector = await openSource('snap', mysqlSourceOf(fresh, 'all'), { logger: quiet });
    // The application's update, committed on its own connection right after the first page's
    // statement is answered and before the next statement of that page is sent.
    let updated: string | undefined;
    const unwrap = wrapPooledConnections<MysqlConnection>(connector, (connection) => {
      const query = connection.query.bind(connection);
      connection.query = (options, values, callback) =>
        query(options, values, (error, rows, fields) => {
          const page = /from `T_TIE`.*\border by\b/is.test(options.sql);
          if (error || updated !== undefined || !page) return callback(error, rows, fields);
          const list = (rows ?? []) as { MC?: string }[];
          updated = list[list.length - 1]?.MC ?? '';
          fresh.conn
            .query("UPDATE T_TIE SET GXSJ = '2024-03-01 08:00:09' WHERE MC = ?", [updated])
            .then(() => callback(error, rows, fields), callback);
        });
    });
    try {
      const pages = await readAll(connector, { table: 'T_TIE', key: 'BH', cursor: 'GXSJ' }, 2);
      expectTieRead(
        pages.flatMap((p) => p.rows.map((r) => String(r.values.MC))),
        updated,
      );
    } finally {
      unwrap();
      await connector.close();
    }
  });
});
