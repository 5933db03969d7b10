/**
 * The round trips of a MySQL/MariaDB page read (issue 17). A read is one transaction, READ ONLY, at
 * the session's REPEATABLE READ (set once a connection, dialect.ts `setupSession`). knex opened it
 * as `SET TRANSACTION READ ONLY` then `BEGIN`, two round trips before the page; `START TRANSACTION
 * READ ONLY` opens the same transaction in one, without the driver's `multipleStatements`. Neither
 * takes the snapshot: InnoDB takes it at the transaction's first read, which every later statement
 * of the page reads too (mysql-page-snapshot).
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { mysqlSourceOf } from './mysql-session-start.js';
import { wrapPooledConnections } from './page-snapshot.js';
import { createMariadbDatabase, type FreshMariadb } from './servers.js';

const quiet = createLogger({ level: 'silent' });

type Answer = (error: Error | null, rows?: unknown, fields?: unknown) => void;
interface MysqlConnection {
  query(options: { sql: string }, values: unknown, callback: Answer): unknown;
}

let fresh: FreshMariadb;
let source: SourceConnector;
/** Each statement's text the driver sends while `sent` is not null, one per round trip. */
let sent: string[] | null = null;

beforeAll(async () => {
  fresh = await createMariadbDatabase();
  await fresh.conn.query(
    'CREATE TABLE T_XKZ (ID INT PRIMARY KEY, MC VARCHAR(10), GXSJ DATETIME(6)) ENGINE=InnoDB',
  );
  const rows = Array.from(
    { length: 30 },
    (_, i) => `(${i + 1}, 'N${i + 1}', '2024-03-01 08:00:${String(i).padStart(2, '0')}')`,
  );
  await fresh.conn.query(`INSERT INTO T_XKZ VALUES ${rows.join(', ')}`);
  source = await openSource('legacy', { ...mysqlSourceOf(fresh, 'none'), pageSize: 10 }, { logger: quiet });
  wrapPooledConnections<MysqlConnection>(source, (connection) => {
    const query = connection.query.bind(connection);
    connection.query = (options, values, callback) => {
      sent?.push(options.sql);
      return query(options, values, callback);
    };
  });
});
afterAll(async () => {
  await source?.close();
  await fresh?.drop();
});

describe('mysql: page read round trips', () => {
  it('opens each page read in one statement', async () => {
    const stream = { table: 'T_XKZ', key: 'ID', cursor: 'GXSJ' };
    // The first read opens the pool's connections (their own set-up); the second is counted.
    await readAll(source, stream, 10);
    sent = [];
    const pages = await readAll(source, stream, 10);
    const statements = sent;
    sent = null;
    expect(pages.flatMap((p) => p.rows)).toHaveLength(30);
    const opens = statements.filter((s) => /^(START TRANSACTION|BEGIN|SET TRANSACTION)\b/i.test(s));
    const rollbacks = statements.filter((s) => /^ROLLBACK/i.test(s));
    expect(rollbacks.length).toBeGreaterThanOrEqual(3);
    // Was SET TRANSACTION READ ONLY; BEGIN; for each: two statements before the page.
    expect(opens.map((s) => s.replace(/;$/, ''))).toEqual(rollbacks.map(() => 'START TRANSACTION READ ONLY'));
  });

  it('keeps the transaction read-only and its reads on one snapshot', async () => {
    const db = (source as unknown as { db: Knex }).db;
    const seen = await mysqlDialect.readTransaction?.(db, async (trx) => {
      const count = async () =>
        ((await trx.raw('SELECT COUNT(*) AS n FROM T_XKZ')) as [{ n: number }[]])[0][0]?.n;
      const before = await count();
      // Committed on another connection after the transaction's first read.
      await fresh.conn.query("INSERT INTO T_XKZ VALUES (99, 'N99', '2024-03-02 08:00:00')");
      const after = await count();
      const [[level]] = (await trx.raw('SELECT @@SESSION.tx_isolation AS v')) as [{ v: string }[]];
      // A transaction opened READ ONLY refuses a write (1792), whatever the session allows.
      await trx.raw('SET SESSION TRANSACTION READ WRITE');
      const write = await trx.raw("INSERT INTO T_XKZ VALUES (100, 'N100', NULL)").then(
        () => null,
        (e: { errno?: number }) => e.errno,
      );
      return { before, after, level: level?.v, write };
    });
    expect(seen).toEqual({ before: 30, after: 30, level: 'REPEATABLE-READ', write: 1792 });
  });

  it('reads on a server too old for READ ONLY transactions, as before', async () => {
    // MySQL < 5.6.5 and MariaDB < 10.0 answer the statement with a syntax error (1064), played
    // here by connections that answer it so.
    const old = await openSource('old', { ...mysqlSourceOf(fresh, 'none'), pageSize: 10 }, { logger: quiet });
    try {
      wrapPooledConnections<MysqlConnection>(old, (connection) => {
        const query = connection.query.bind(connection);
        connection.query = (options, values, callback) => {
          if (!/^START TRANSACTION READ ONLY/i.test(options.sql)) return query(options, values, callback);
          const refused = Object.assign(new Error('You have an error in your SQL syntax'), {
            errno: 1064,
            code: 'ER_PARSE_ERROR',
            sql: options.sql,
          });
          setImmediate(() => callback(refused));
          return undefined;
        };
      });
      const pages = await readAll(old, { table: 'T_XKZ', key: 'ID', cursor: 'GXSJ' }, 10);
      expect(pages.flatMap((p) => p.rows).length).toBeGreaterThanOrEqual(30);
    } finally {
      await old.close();
    }
  });
});
