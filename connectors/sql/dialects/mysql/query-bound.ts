/**
 * A client-side bound on each statement of a mysql2 connection (core/query-bound.ts says why). The
 * bound is mysql2's own per-query `timeout`, but past it mysql2 only answers the caller: the
 * statement stays the connection's current command, and every later one (knex's ROLLBACK, the next
 * page) queues behind an answer that may never come. So the connection is dropped with it.
 */
import { unansweredStatement } from '../../../../core/query-bound.js';

/** mysql2's error code for a statement not answered within its `timeout`. */
const MYSQL2_QUERY_TIMEOUT = 'PROTOCOL_SEQUENCE_TIMEOUT';

type Callback = (err: Error | null, ...res: unknown[]) => void;

/** The mysql2 connection as a pool hands it to `afterCreate`: what this file touches. */
export interface MysqlClient {
  query(...args: unknown[]): unknown;
  destroy(): void;
  stream?: { destroy(): void };
  /** knex's mark of a connection its pool must discard instead of handing out again. */
  __knex__disposed?: unknown;
}

/**
 * Gives each statement of `conn` sent with a callback (knex's, and the session's setup) mysql2's
 * `timeout`, `limit()` ms (0: none), client side: the server is not told, it may not be reachable.
 * A statement past it fails with an error a retry retries, naming `setting`, and the connection is
 * dropped, never handed out again. A query streamed (no callback) goes as it came.
 */
export function boundMysqlQueries(conn: MysqlClient, limit: () => number, setting: string): void {
  const query = conn.query.bind(conn);
  conn.query = (sql: unknown, ...rest: unknown[]) => {
    const ms = limit();
    const callback = rest[rest.length - 1];
    const options = typeof sql === 'string' ? { sql } : sql;
    if (ms <= 0 || typeof callback !== 'function' || !isPlainOptions(options)) return query(sql, ...rest);
    return query({ ...options, timeout: ms }, ...rest.slice(0, -1), ((err, ...res) => {
      if ((err as { code?: unknown } | null)?.code === MYSQL2_QUERY_TIMEOUT && err) {
        return (callback as Callback)(dropped(conn, ms, setting, err));
      }
      (callback as Callback)(err, ...res);
    }) as Callback);
  };
}

/** A `{ sql, … }` options object (knex's), not a mysql2 Query command built beforehand. */
function isPlainOptions(options: unknown): options is Record<string, unknown> {
  return (
    typeof options === 'object' && options !== null && Object.getPrototypeOf(options) === Object.prototype
  );
}

function dropped(conn: MysqlClient, ms: number, setting: string, cause: Error): Error {
  const error = unansweredStatement(ms, setting, cause);
  conn.__knex__disposed = error;
  // mysql2's destroy() only half-closes (a FIN a silent peer never acknowledges) and takes no new
  // command; the socket itself is destroyed too, so nothing waits on the peer.
  conn.destroy();
  conn.stream?.destroy();
  return error;
}
