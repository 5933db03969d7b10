/**
 * A department's MySQL or MariaDB server configured otherwise than the one the tests run on (a
 * `sql_mode`, an isolation level, a time zone) is played by connections whose session starts with
 * the statement that setting would give it, run before licbridge's own session setup.
 */
import type { SourceConfig } from '../../config/types.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { type FreshMariadb, MARIADB } from './servers.js';

type Done = (error: Error | null, conn: unknown) => void;
type AfterCreate = (conn: { query(sql: string, cb: (e: Error | null) => void): void }, done: Done) => void;

/** Every connection a MySQL source opens from now on runs `statement` first; returns the undo. */
export function startSessionsWith(statement: string): () => void {
  const original = mysqlDialect.knexConfig;
  mysqlDialect.knexConfig = async (name, config) => {
    const cfg = await original.call(mysqlDialect, name, config);
    const pool = cfg.pool as { afterCreate: AfterCreate };
    const own = pool.afterCreate;
    pool.afterCreate = (conn, done) => conn.query(statement, (e) => (e ? done(e, conn) : own(conn, done)));
    return cfg;
  };
  return () => {
    mysqlDialect.knexConfig = original;
  };
}

/** A MySQL source reading the fresh database, pages of 500. */
export function mysqlSourceOf(fresh: FreshMariadb, trim: 'none' | 'all'): SourceConfig {
  return {
    kind: 'mysql',
    connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
    trim,
    pageSize: 500,
  };
}
