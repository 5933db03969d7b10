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
import { boundPgQueries, PG_KEEPALIVE_IDLE_MS, type PgClient } from '../core/pg-query-bound.js';

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

/** Connections of a ledger's pool lent to one long statement (unboundedOn): none is bound. */
const lent = new WeakSet<object>();

/**
 * Runs `work` on `conn`, a connection taken from a ledger's pool, with no time limit on its
 * statements, the pool's other connections bound as before: a maintenance statement that may
 * outlast `ledger.queryTimeoutMs` on a big ledger (a `VACUUM`, delivery-vacuum.ts). Bound, it was
 * abandoned at the timeout and its connection dropped, and a server that ends the work of clients
 * gone (`client_connection_check_interval`) cancelled it. TCP keepalive still ends a connection
 * whose peer is gone.
 */
export async function unboundedOn<T>(conn: object, work: () => Promise<T>): Promise<T> {
  lent.add(conn);
  try {
    return await work();
  } finally {
    lent.delete(conn);
  }
}

export function pgTimeouts(queryTimeoutMs: number): PgTimeouts {
  let unboundedDepth = 0;
  return {
    connection: {
      keepAlive: true,
      keepAliveInitialDelayMillis: PG_KEEPALIVE_IDLE_MS,
      // TCP connect, TLS and the startup exchange; the version and search path queries knex
      // sends before the pool hands the connection out are bounded by createTimeoutMillis.
      connectionTimeoutMillis: queryTimeoutMs,
    },
    pool: {
      createTimeoutMillis: queryTimeoutMs,
      afterCreate(conn: PgClient, done: (err: Error | null, conn: unknown) => void) {
        const limit = () => (unboundedDepth > 0 || lent.has(conn) ? 0 : queryTimeoutMs);
        boundPgQueries(conn, limit, 'ledger.queryTimeoutMs');
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
