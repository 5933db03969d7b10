/**
 * A page of a PostgreSQL cursor stream is more than one statement: the page, the rows level with
 * its last one (tied-rows.ts), the look-up of its keys' other rows (key-cursors.ts). Read at READ
 * COMMITTED each statement saw the rows committed before it began, so an ordinary update committed
 * between two of them was seen by one and not the other. Here a key that is not unique holds two
 * rows at one cursor; a page ends on one of them, and before the tie is read the application
 * updates that row (its cursor moves on). The tie read no longer found the page's last row, the
 * page was kept as it was, its checkpoint named the tie, and the other row, untouched, lay at the
 * checkpoint, which the next page passes strictly: it was never read. One snapshot for the whole
 * page reads both rows of the tie, and the updated row again at its new cursor.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { expectTieRead, TIE_VALUES, wrapPooledConnections } from './page-snapshot.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

type Answer = (error: Error | null, response?: { rows?: unknown[] }) => void;
/** A node-postgres client as knex's pool hands it over: what this test wraps. */
interface PgConnection {
  query(config: { text: string }, callback: Answer): void;
}

let fresh: FreshPg;
let connector: SourceConnector;
beforeAll(async () => {
  fresh = await createPgDatabase();
  // A legacy key column, not unique, indexed; an index on (cursor, key) as the docs ask.
  await fresh.client.query(
    'CREATE TABLE t_tie (bh varchar(10) NOT NULL, gxsj timestamp(6) NOT NULL, mc text)',
  );
  await fresh.client.query('CREATE INDEX ix_t_tie_bh ON t_tie (bh)');
  await fresh.client.query('CREATE INDEX ix_t_tie_gxsj_bh ON t_tie (gxsj, bh)');
  await fresh.client.query(`INSERT INTO t_tie VALUES ${TIE_VALUES}`);
  connector = await openSource('snap', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
});
afterAll(async () => {
  await connector?.close();
  await fresh?.drop();
});

describe('postgres: the statements of one page read one snapshot', () => {
  it('a row updated between a page and its tie read leaves no row of the tie unread', async () => {
    // The application's update, committed on its own connection right after the first page's
    // statement is answered and before the next statement of that page is sent: each connection
    // the source takes from its pool has its node-postgres `query` wrapped.
    let updated: string | undefined;
    const unwrap = wrapPooledConnections<PgConnection>(connector, (connection) => {
      const query = connection.query.bind(connection);
      connection.query = (config, callback) =>
        query(config, (error, response) => {
          const rows = (response?.rows ?? []) as { mc?: string }[];
          if (error || updated !== undefined || !/from "t_tie".*\border by\b/is.test(config.text))
            return callback(error, response);
          updated = rows[rows.length - 1]?.mc ?? '';
          fresh.client
            .query("UPDATE t_tie SET gxsj = '2024-03-01 08:00:09' WHERE mc = $1", [updated])
            .then(() => callback(error, response), callback);
        });
    });
    try {
      const pages = await readAll(connector, { table: 't_tie', key: 'bh', cursor: 'gxsj' }, 2);
      expectTieRead(
        pages.flatMap((p) => p.rows.map((r) => String(r.values.mc))),
        updated,
      );
    } finally {
      unwrap();
    }
  });
});
