/**
 * What the client-side bounds on statements share, whatever the driver (core/pg-query-bound.ts for
 * node-postgres, connectors/sql/dialects/mysql/query-bound.ts for mysql2). A network that drops
 * packets (a firewall's idle timeout, a failover whose old address stops answering without a
 * reset, a paused VM) sends no error: a driver waits for the answer as long as TCP does (hours,
 * with no keepalive), and a server-side statement timeout cannot answer over a network that is gone.
 */

/** TCP keepalive's first probe after this much idleness, ms (the OS's default waits two hours). */
export const KEEPALIVE_IDLE_MS = 10_000;

/**
 * How long past a source's `statementTimeoutMs` its client waits for the server's own answer (the
 * timeout's error, the cancel's), ms, before it gives up on the statement.
 */
export const SOURCE_ANSWER_MARGIN_MS = 5_000;

/**
 * The error of a statement not answered within `ms`: one a retry retries (ETIMEDOUT, as TCP would
 * say after hours), naming the `setting` that bounds it. The caller drops the connection.
 */
export function unansweredStatement(ms: number, setting: string, cause: Error): Error {
  const error = new Error(
    `the database did not answer within ${ms} ms (${setting}); the connection is dropped`,
    { cause },
  );
  (error as { code?: string }).code = 'ETIMEDOUT';
  return error;
}
