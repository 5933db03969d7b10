/**
 * Every session of a PostgreSQL ledger prints its timestamps in the ISO style. The server prints a
 * `timestamptz` as the session's DateStyle says, which a server, database or role may set
 * (`SQL, DMY` for an application that shows dd/mm/yyyy, `German`, `Postgres`); node-postgres
 * reads the ISO style only, and any other came back as null: a run's start or a delivery's last
 * change could not be read, a run's end read as none. In the SQL and Postgres styles the zone is
 * printed as an abbreviation the server does not read back as printed (Asia/Shanghai's `CST` is
 * read as US Central time), which broke the one timestamp the ledger reads as text and casts back
 * (db.ts `pgWrite`, the server's start time). ISO prints the offset as a number, which
 * node-postgres and the server read exactly in any TimeZone, so the zone is left as the session
 * has it; the field order (DMY, MDY) is kept, and the ledger writes ISO 8601 text, read in either.
 * The ledger reads no `interval`, so IntervalStyle is left as well.
 *
 * Set on each new connection, not in the startup `options`: PgBouncer before 1.20 refuses a
 * connection whose startup packet carries `options`, or drops them when told to ignore it, and
 * the ledger would not open, or read as before. DateStyle is one of the settings PgBouncer
 * tracks, so a SET follows the client in transaction pooling too. A user's own `options` in the
 * URL go to the server as they came; this SET comes after them.
 */
import type { Knex } from 'knex';
import type { PgClient } from '../core/pg-query-bound.js';

type Done = (err: Error | null, conn: unknown) => void;
type AfterCreate = (conn: PgClient, done: Done) => void;

/**
 * A pool's `afterCreate`: the pool's own (`first`, knex's type for it), then the ISO style for the
 * new connection.
 */
export function withIsoDateStyle(first: Knex.PoolConfig['afterCreate']): AfterCreate {
  const before = (first ?? ((conn, done) => done(null, conn))) as AfterCreate;
  return (conn, done) => {
    // The pool does not end a connection whose set-up failed, whichever step failed: left open,
    // each held a server connection slot until the server or TCP ended it. One the step before
    // dropped already (a statement past its bound, core/pg-query-bound.ts) is not ended twice.
    const failed = (err: Error) => {
      if (!conn.__knex__disposed) void conn.end().catch(() => undefined);
      done(err, conn);
    };
    before(conn, (err) => {
      if (err) return failed(err);
      // A config object and a callback, so the statement is bounded as the ledger's others are.
      conn.query({ text: 'SET DateStyle TO ISO' }, (e: Error | null) => (e ? failed(e) : done(null, conn)));
    });
  };
}
