/**
 * A client-side bound on each statement of a node-postgres connection. A network that drops
 * packets (a firewall's idle timeout, a failover whose old address stops answering without a
 * reset, a paused VM) sends no error: node-postgres waits for the answer as long as TCP does
 * (hours, with no keepalive), and a server-side `statement_timeout` cannot answer over a network
 * that is gone. Used by the PostgreSQL ledger (ledger/pg-timeouts.ts) and PostgreSQL-protocol
 * sources (connectors/sql/dialects/postgres/dialect.ts).
 */

import { KEEPALIVE_IDLE_MS, unansweredStatement } from './query-bound.js';

/** TCP keepalive's first probe after this much idleness, ms (core/query-bound.ts). */
export const PG_KEEPALIVE_IDLE_MS = KEEPALIVE_IDLE_MS;

/** node-postgres's error for a statement not answered within its `query_timeout`. */
const PG_READ_TIMEOUT = 'Query read timeout';

type Callback = (err: Error | null, res?: unknown) => void;

/** The node-postgres client as a pool hands it to `afterCreate`: what this file touches. */
export interface PgClient {
  query(...args: unknown[]): unknown;
  end(): Promise<void>;
  /** knex's mark of a connection its pool must discard instead of handing out again. */
  __knex__disposed?: unknown;
}

/**
 * Gives each statement of `conn` node-postgres's `query_timeout`, `limit()` ms (0: none), client
 * side: the server is not told, it may not be reachable. A statement past it leaves the connection
 * waiting for an answer that may still come, so the connection is dropped, never handed out again,
 * and the error is one a retry retries (ETIMEDOUT, as TCP would say after hours), naming `setting`.
 * A ledger write whose COMMIT timed out is then settled as a lost COMMIT is (ledger/db.ts `pgWrite`).
 */
export function boundPgQueries(conn: PgClient, limit: () => number, setting: string): void {
  const query = conn.query.bind(conn);
  conn.query = (config: unknown, ...rest: unknown[]) => {
    const ms = limit();
    const callback = rest[rest.length - 1];
    // knex sends a config object and a callback; anything else (a stream) goes as it came.
    if (ms <= 0 || typeof callback !== 'function' || !isPlainConfig(config)) return query(config, ...rest);
    return query({ ...config, query_timeout: ms }, ...rest.slice(0, -1), ((err, res) => {
      if (err?.message === PG_READ_TIMEOUT) return (callback as Callback)(dropped(conn, ms, setting, err));
      (callback as Callback)(err, res);
    }) as Callback);
  };
}

function isPlainConfig(config: unknown): config is Record<string, unknown> {
  return (
    typeof config === 'object' &&
    config !== null &&
    typeof (config as { submit?: unknown }).submit !== 'function'
  );
}

function dropped(conn: PgClient, ms: number, setting: string, cause: Error): Error {
  const error = unansweredStatement(ms, setting, cause);
  conn.__knex__disposed = error;
  // With a statement in flight, end() closes the socket at once rather than waiting on the peer.
  conn.end().catch(() => undefined);
  return error;
}
