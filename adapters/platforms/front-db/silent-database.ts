/**
 * A front database that stops answering altogether: a network path that drops every packet, a
 * frozen server, a firewall that holds connections open. knex bounds each statement licbridge runs
 * (`timeoutMs`), but not the `BEGIN` and `COMMIT` of a transaction, and cancelling a statement out
 * of time (PostgreSQL, MySQL) opens a new connection, which such a server takes and never answers:
 * a send then waited forever, holding its deliver job past the lease sized on `timeoutMs` and a
 * connection of the pool for good. So a step still running a little after its own deadline is
 * given up, failing as a statement out of time does (retryable), and the target's connections are
 * made anew for the next step (./front-db-target.ts).
 */

/**
 * How long after its deadline a step is given up: time for knex's own timeout, and a cancel the
 * database answers, to report first, as they do for a table locked or a statement slow.
 */
export const SILENT_GRACE_MS = 2_000;

import type { Knex } from 'knex';

/** The error a step given up rejects with: named as knex's own timeout, and reported so (./front-db-errors.ts). */
function givenUp(): Error {
  const e = new Error('front database: no answer by the deadline');
  e.name = 'KnexTimeoutError';
  return e;
}

/**
 * `work`, or a rejection `SILENT_GRACE_MS` after `endsAt` if it has not settled by then, `onGiveUp`
 * called first. `work` is left running (nothing can stop it) and its outcome ignored.
 */
export async function orGiveUp<T>(work: Promise<T>, endsAt: number, onGiveUp: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        onGiveUp();
        reject(givenUp());
      },
      Math.max(0, endsAt - Date.now()) + SILENT_GRACE_MS,
    );
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** By knex instance, the connections its pool holds (made and not yet closed): `recordConnections`. */
const held = new WeakMap<Knex, Set<unknown>>();

/** Records the connections `k`'s pool makes and closes, for `destroySoon` to close by force. */
export function recordConnections(k: Knex): void {
  const connections = new Set<unknown>();
  held.set(k, connections);
  const pool = (k.client as { pool?: { on(event: string, f: (id: number, c: unknown) => void): void } }).pool;
  pool?.on('createSuccess', (_, c) => connections.add(c));
  pool?.on('destroySuccess', (_, c) => connections.delete(c));
}

/** A driver's socket, as far as `closeByForce` needs it. */
interface DriverSocket {
  destroy(): void;
}

/**
 * A connection's socket where its driver keeps it: pg's `Client` in `connection.stream`, mysql2's
 * in `stream`, tedious's (SQL Server) and dmdb's (DM) in `socket`, node-oracledb's in thin mode
 * under its implementation (`_impl.nscon.ntAdapter.stream`, the socket its network session
 * reads). Only pg's and mysql2's were reached: a given-up step on an Oracle, DM or SQL Server front
 * database left its connection open for good, one more each time the database went silent.
 * node-oracledb in thick mode keeps its socket in Oracle's client library, out of reach.
 */
function socketOf(connection: unknown): DriverSocket | undefined {
  const c = connection as {
    connection?: { stream?: DriverSocket };
    stream?: DriverSocket;
    socket?: DriverSocket;
    _impl?: { nscon?: { ntAdapter?: { stream?: DriverSocket } | null } };
  };
  return c.connection?.stream ?? c.stream ?? c.socket ?? c._impl?.nscon?.ntAdapter?.stream ?? undefined;
}

/** Ends a connection's socket at once: its statement, if any, fails and the pool lets it go. */
function closeByForce(connection: unknown): void {
  socketOf(connection)?.destroy();
}

/**
 * The setting that bounds the making of a connection (a database that takes it and never answers),
 * by front database kind, in ms as its driver reads it: pg's and DM's never gave up, mysql2's after
 * 10 s. SQL Server's and Oracle's drivers give up on their own. Kept where `connection` sets it.
 */
const CONNECT_TIMEOUT: Readonly<Record<string, string>> = {
  postgres: 'connectionTimeoutMillis',
  kingbase: 'connectionTimeoutMillis',
  mysql: 'connectTimeout',
  dm: 'connectTimeout',
};

/** `connection` with the making of a connection bounded by `timeoutMs` (`CONNECT_TIMEOUT`). */
export function withConnectTimeout(
  client: string,
  connection: Readonly<Record<string, unknown>>,
  timeoutMs: number,
): Record<string, unknown> {
  const key = CONNECT_TIMEOUT[client];
  return key === undefined || connection[key] !== undefined
    ? { ...connection }
    : { ...connection, [key]: timeoutMs };
}

/**
 * Closes `k`'s connections, waiting `SILENT_GRACE_MS` at most: a pool waits for a connection still
 * in use, or still being made, which a database that stopped answering never lets go. Those it
 * still holds then are closed by force (`recordConnections`), and one still being made gives up
 * on its own (`withConnectTimeout`); the rest of the closing goes on in the background.
 */
export async function destroySoon(k: Knex): Promise<void> {
  await orGiveUp(k.destroy(), Date.now(), () => undefined).catch(() => undefined);
  for (const c of held.get(k) ?? []) closeByForce(c);
}
