/**
 * A MySQL or MariaDB front database whose `sql_mode` holds NO_BACKSLASH_ESCAPES (set in the
 * server's config or by its `init_connect`) reads a backslash in a string literal as itself. knex
 * hands each bound value to mysql2, which writes it into the statement's text escaping a backslash
 * as `\\` and a quote as `\'`. A holder's name or address `A\1`, and every backslash of the payload's
 * JSON, was stored doubled: the read-back found the row stored other than sent, took it out and
 * refused the license. A key holding a backslash was stored as another key, which the read-back by
 * key never found (retried, while the row under the other key stayed for the exchange system to
 * take). A value holding a quote ended its literal early: the statement failed (retried to a dead
 * letter), or text of the value was read as SQL. Each connection reads its session's `sql_mode` as
 * it is made and, in that mode, has its values written as the mode reads them, as a MySQL source's
 * are (core/mysql-literal-mode.ts).
 */
import { markLiteralMode, mysqlQueryFormat } from '../../../core/mysql-literal-mode.js';

/** A mysql2 connection as the pool's `afterCreate` is given it. */
interface RawMysqlConnection {
  query(
    options: { sql: string; timeout: number },
    cb: (error: Error | null, rows?: readonly { m?: unknown }[]) => void,
  ): void;
  destroy(): void;
}

type AfterCreate = (conn: RawMysqlConnection, done: (error: Error | null, conn: unknown) => void) => void;

/**
 * The driver `connection` keys and the pool's `afterCreate` of a MySQL front database: mysql2 formats
 * each statement with the connection's reading of literals, read from the session's `sql_mode` as
 * the server set it, within `timeoutMs` (a server that takes the connection and never answers fails
 * its making, as a statement of the step would, and the connection is closed).
 */
export function mysqlLiteralMode(timeoutMs: number): {
  connection: { queryFormat: typeof mysqlQueryFormat };
  pool: { afterCreate: AfterCreate };
} {
  const afterCreate: AfterCreate = (conn, done) =>
    conn.query({ sql: 'SELECT @@SESSION.sql_mode AS m', timeout: timeoutMs }, (error, rows) => {
      if (error) {
        // knex closes no connection whose `afterCreate` failed (knex 3.3 client.js `create`), and
        // mysql2's query timeout leaves it open: a database silent once logged in kept one more
        // socket each time, past the target's close.
        conn.destroy();
        return done(error, conn);
      }
      markLiteralMode(conn, rows?.[0]?.m);
      done(null, conn);
    });
  return { connection: { queryFormat: mysqlQueryFormat }, pool: { afterCreate } };
}
