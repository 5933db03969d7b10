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
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

const quiet = createLogger({ level: 'silent' });

type Done = (error: Error | null, conn: unknown) => void;
type AfterCreate = (conn: { query(sql: string, cb: (e: Error | null) => void): void }, done: Done) => void;
type Answer = (error: Error | null, rows?: unknown, fields?: unknown) => void;
/** A mysql2 connection as knex's pool hands it over: what this test wraps. */
interface MysqlConnection {
  query(options: { sql: string }, values: unknown, callback: Answer): unknown;
}
const wrapped = new WeakSet<MysqlConnection>();

let fresh: FreshMariadb;
const original = mysqlDialect.knexConfig;

beforeAll(async () => {
  fresh = await createMariadbDatabase();
  // A legacy key column, not unique, indexed; an index on (cursor, key) as the docs ask.
  await fresh.conn.query(
    'CREATE TABLE T_TIE (BH VARCHAR(10) NOT NULL, GXSJ DATETIME(6) NOT NULL, MC VARCHAR(10), KEY (BH), KEY (GXSJ, BH)) ENGINE=InnoDB',
  );
  await fresh.conn.query(
    `INSERT INTO T_TIE VALUES ('K0', '2024-03-01 08:00:00', 'x'), ('K1', '2024-03-01 08:00:01', 'a'),
       ('K1', '2024-03-01 08:00:01', 'b'), ('K2', '2024-03-01 08:00:02', 'y')`,
  );
  mysqlDialect.knexConfig = async (name, config) => {
    const cfg = await original.call(mysqlDialect, name, config);
    const pool = cfg.pool as { afterCreate: AfterCreate };
    const own = pool.afterCreate;
    pool.afterCreate = (conn, done) =>
      conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', (e) =>
        e ? done(e, conn) : own(conn, done),
      );
    return cfg;
  };
});
afterAll(async () => {
  mysqlDialect.knexConfig = original;
  await fresh?.drop();
});

const config = (): SourceConfig => ({
  kind: 'mysql',
  connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
  trim: 'all',
  pageSize: 500,
});

describe('mysql: the statements of one page read one snapshot on a READ-COMMITTED server', () => {
  it('a row updated between a page and its tie read leaves no row of the tie unread', async () => {
    const connector = await openSource('snap', config(), { logger: quiet });
    // The application's update, committed on its own connection right after the first page's
    // statement is answered and before the next statement of that page is sent.
    const client = (connector as unknown as { db: Knex }).db.client as unknown as {
      acquireConnection(): Promise<MysqlConnection>;
    };
    const acquire = client.acquireConnection.bind(client);
    let updated: string | undefined;
    client.acquireConnection = async () => {
      const connection = await acquire();
      if (wrapped.has(connection)) return connection;
      wrapped.add(connection);
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
      return connection;
    };
    try {
      const pages = await readAll(connector, { table: 'T_TIE', key: 'BH', cursor: 'GXSJ' }, 2);
      expect(['a', 'b']).toContain(updated);
      const read = pages.flatMap((p) => p.rows.map((r) => String(r.values.MC)));
      // Every row, the untouched one of the tie among them; the updated one also at its new cursor.
      expect([...new Set(read)].sort()).toEqual(['a', 'b', 'x', 'y']);
      expect(read.filter((mc) => mc === updated)).toHaveLength(2);
    } finally {
      client.acquireConnection = acquire;
      await connector.close();
    }
  });
});
