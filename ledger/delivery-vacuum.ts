/**
 * Room for new deliveries in the row versions their outcomes replaced (PostgreSQL).
 *
 * A delivery is written twice: its sender creates it, leased, and then records the platform's
 * answer. PostgreSQL writes the answer as a new row version and keeps the one it replaced until a
 * `VACUUM` marks its room free for new rows; until then each delivery takes its room twice
 * (~135 bytes more a license). Pruning, which PostgreSQL does as it reads a page, frees the room
 * within the page but tells no later insert of it: it is kept for updates of that page's rows, and
 * an accepted delivery is not updated again. Autovacuum does this vacuum, about once a fifth of a
 * table has changed; where it is off, or behind on a busy server, `deliveries` doubled for good.
 * An answer cannot be written in place (a HOT update) either: `state` is in `deliveries_open_idx`,
 * the index the dead-letter and overdue lookups read.
 *
 * So a sender about to claim a wave looks, at most every {@link RECLAIM_LOOK_EVERY_MS} per ledger
 * handle, at the table's dead row versions (`pg_stat_user_tables`), and when they pass a fifth of
 * its live rows (and {@link DEAD_MIN}), the autovacuum's own rule, starts a plain `VACUUM` of
 * `deliveries` beside the claim, which does not wait for it, with no statement timeout (see
 * vacuumAside). It neither locks the table against reads and writes nor returns room to the
 * operating system. It is not run while another vacuum (or an `ANALYZE`) holds the table, which
 * `SKIP_LOCKED` would skip with a warning in the server's log, every few seconds from every
 * process for as long as that vacuum takes; one that begins meanwhile is skipped (`SKIP_LOCKED`).
 * It leaves the table's last pages as they are (`TRUNCATE false`), whose cutting would lock out
 * the writers for a moment. Only the table's owner may vacuum it: PostgreSQL skips it for another
 * role with a warning, which its server log would then hold every few seconds from every process,
 * so a role that neither owns the table nor belongs to its owner (a ledger opened without
 * migrating, by a role given only reads and writes) runs none. Before PostgreSQL 12, which lacks
 * both options, nothing is run. Best effort: a look or a vacuum that fails is logged and the claim
 * goes on.
 */
import type { Db } from './db.js';
import { unboundedOn } from './pg-timeouts.js';

/** How often, at most, the claims of one ledger handle look at the table. */
export const RECLAIM_LOOK_EVERY_MS = 5_000;

/** Dead row versions that make a vacuum worth it: a fifth of the live rows, at least this many. */
const DEAD_SHARE = 5;
const DEAD_MIN = 1_000;

/** `SKIP_LOCKED` and `TRUNCATE` came with PostgreSQL 12. */
const FIRST_SERVER = 120_000;

const lookedAt = new WeakMap<Db, number>();

/**
 * What a look reads: `owner` is whether this role owns the table or belongs to its owner, `free`
 * whether no vacuum (autovacuum's, another process's), `ANALYZE` or index build holds it now.
 */
interface TableLook {
  dead: unknown;
  live: unknown;
  server: unknown;
  owner: unknown;
  free: unknown;
}

/** Starts a vacuum of `deliveries` when its dead row versions pass the share above; `true` when it did. */
export async function reclaimDeliveryRoom(db: Db): Promise<boolean> {
  if (db.dialect !== 'postgres') return false;
  const now = Date.now();
  if (now - (lookedAt.get(db) ?? Number.NEGATIVE_INFINITY) < RECLAIM_LOOK_EVERY_MS) return false;
  lookedAt.set(db, now);
  try {
    const res: { rows: TableLook[] } = await db.knex.raw(
      `select s.n_dead_tup as dead, s.n_live_tup as live,
              current_setting('server_version_num')::int as server, pg_has_role(c.relowner, 'USAGE') as owner,
              not exists (select 1 from pg_locks l
                           where l.relation = c.oid and l.mode = 'ShareUpdateExclusiveLock') as free
         from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.schemaname = current_schema() and s.relname = 'deliveries'`,
    );
    const row = res.rows[0];
    if (row === undefined || Number(row.server) < FIRST_SERVER || row.owner !== true || row.free !== true) {
      return false;
    }
    const dead = Number(row.dead);
    const live = Number(row.live);
    if (dead < Math.max(DEAD_MIN, live / DEAD_SHARE)) return false;
    if (vacuuming.has(db)) return false;
    const run: Vacuuming = { done: Promise.resolve() };
    vacuuming.set(db, run);
    run.done = vacuumAside(db, run, { dead, live }).finally(() => vacuuming.delete(db));
    return true;
  } catch (e) {
    db.log.warn({ error: e instanceof Error ? e.message : String(e) }, 'ledger: deliveries not vacuumed');
    return false;
  }
}

/** A vacuum this ledger handle runs: its end, and the server process running it once it started. */
interface Vacuuming {
  done: Promise<void>;
  pid?: number;
  /** The ledger closes: a vacuum not yet sent is not sent. */
  stopping?: boolean;
}

const vacuuming = new WeakMap<Db, Vacuuming>();

/**
 * The vacuum, beside the claim and not awaited by it, on a connection of the pool lent to it with
 * no statement timeout (pg-timeouts.ts unboundedOn): on a big ledger it may take minutes, which
 * `ledger.queryTimeoutMs` cut short (the connection dropped, a warning that it did not run, and on
 * a server checking for clients gone the vacuum cancelled, again at every look), while the claim
 * waited out the whole timeout. One at a time per ledger handle; logged, never thrown.
 */
async function vacuumAside(db: Db, run: Vacuuming, seen: { dead: number; live: number }): Promise<void> {
  const started = Date.now();
  try {
    const client = db.knex.client as PoolClient;
    const conn = await client.acquireConnection();
    try {
      run.pid = conn.processID;
      if (run.stopping) return;
      await unboundedOn(conn, () =>
        db.knex.raw('vacuum (skip_locked, truncate false) deliveries').connection(conn),
      );
    } finally {
      await client.releaseConnection(conn);
    }
    db.log.debug({ ...seen, ms: Date.now() - started }, 'ledger: deliveries vacuumed');
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    // Cancelled as the ledger closes (stopReclaiming): nothing went wrong.
    if (run.stopping) db.log.debug({ error }, 'ledger: deliveries vacuum stopped as the ledger closed');
    else db.log.warn({ error }, 'ledger: deliveries not vacuumed');
  }
}

/** knex's pool as this file uses it: a node-postgres client lent and given back. */
interface PoolClient {
  acquireConnection(): Promise<{ processID?: number }>;
  releaseConnection(conn: unknown): Promise<unknown>;
}

/**
 * Before the ledger's pool closes: cancels a vacuum still running (closing waits for every lent
 * connection, so a shutdown would otherwise wait for the vacuum's end) and waits for it to stop.
 * A vacuum cancelled keeps none of its work; the next claim's look finds the dead rows again.
 */
export async function stopReclaiming(db: Db): Promise<void> {
  const run = vacuuming.get(db);
  if (run === undefined) return;
  run.stopping = true;
  if (run.pid !== undefined) {
    await db.knex.raw('select pg_cancel_backend(?)', [run.pid]).catch(() => undefined);
  }
  await run.done;
}
