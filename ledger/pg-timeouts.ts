/**
 * How long a PostgreSQL ledger waits for its database. A network that drops packets (a firewall's
 * idle timeout, a failover whose old address stops answering without a reset, a paused VM) sends
 * no error: node-postgres waits for the answer as long as TCP does (hours, with no keepalive), and
 * the retry budget (ledger/db.ts) counts errors only. So every statement gets `ledger.queryTimeoutMs`
 * to answer, and the same bounds the connect, the pool's wait for a connection and its creation;
 * past it the call fails with a retryable error and the retry budget tries again on a fresh
 * connection. TCP keepalive from a few seconds' idleness ends dead idle connections on its own.
 */
import type { Knex } from 'knex';

/** TCP keepalive's first probe after this much idleness, ms (the OS's default waits two hours). */
const KEEPALIVE_IDLE_MS = 10_000;

/** node-postgres's error for a statement not answered within its `query_timeout`. */
const PG_READ_TIMEOUT = 'Query read timeout';

type Callback = (err: Error | null, res?: unknown) => void;

/** The node-postgres client as the pool hands it to `afterCreate`: what this file touches. */
interface PgClient {
  query(...args: unknown[]): unknown;
  end(): Promise<void>;
  /** knex's mark of a connection its pool must discard instead of handing out again. */
  __knex__disposed?: unknown;
}

export interface PgTimeouts {
  /** Settings for knex's `connection` (an object beside the URL's). */
  readonly connection: Record<string, unknown>;
  /** Settings for knex's `pool`. */
  readonly pool: Knex.PoolConfig;
  /** For knex's config: the pool's wait for a free connection. */
  readonly acquireConnectionTimeout: number;
  /**
   * Runs `work` with no time limit on its statements: schema migrations, which build indexes
   * over whole tables. TCP keepalive still ends a connection whose peer is gone.
   */
  unbounded<T>(work: () => Promise<T>): Promise<T>;
}

export function pgTimeouts(queryTimeoutMs: number): PgTimeouts {
  let unboundedDepth = 0;
  const limit = () => (unboundedDepth > 0 ? 0 : queryTimeoutMs);
  return {
    connection: {
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
      // TCP connect, TLS and the startup exchange; the version and search path queries knex
      // sends before the pool hands the connection out are bounded by createTimeoutMillis.
      connectionTimeoutMillis: queryTimeoutMs,
    },
    pool: {
      createTimeoutMillis: queryTimeoutMs,
      afterCreate(conn: PgClient, done: (err: Error | null, conn: unknown) => void) {
        boundQueries(conn, limit);
        done(null, conn);
      },
    },
    acquireConnectionTimeout: queryTimeoutMs,
    async unbounded(work) {
      unboundedDepth++;
      try {
        return await work();
      } finally {
        unboundedDepth--;
      }
    },
  };
}

/**
 * Gives each statement of `conn` node-postgres's `query_timeout` (client side: the server is not
 * told, it may not be reachable). A statement past it leaves the connection waiting for an answer
 * that may still come, so the connection is dropped, never handed out again, and the error is
 * one the retry budget retries (ETIMEDOUT, as TCP would say after hours). A write whose COMMIT
 * timed out is then settled as a lost COMMIT is (ledger/db.ts `pgWrite`).
 */
function boundQueries(conn: PgClient, limit: () => number): void {
  const query = conn.query.bind(conn);
  conn.query = (config: unknown, ...rest: unknown[]) => {
    const ms = limit();
    const callback = rest[rest.length - 1];
    // knex sends a config object and a callback; anything else (a stream) goes as it came.
    if (ms <= 0 || typeof callback !== 'function' || !isPlainConfig(config)) return query(config, ...rest);
    return query({ ...config, query_timeout: ms }, ...rest.slice(0, -1), ((err, res) => {
      if (err?.message === PG_READ_TIMEOUT) return (callback as Callback)(dropped(conn, ms, err));
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

function dropped(conn: PgClient, ms: number, cause: Error): Error {
  const error = new Error(
    `the database did not answer within ${ms} ms (ledger.queryTimeoutMs); the connection is dropped`,
    { cause },
  );
  (error as { code?: string }).code = 'ETIMEDOUT';
  conn.__knex__disposed = error;
  // With a statement in flight, end() closes the socket at once rather than waiting on the peer.
  conn.end().catch(() => undefined);
  return error;
}
