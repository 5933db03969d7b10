/**
 * PostgreSQL plans a join from its statistics of the tables, and autovacuum refreshes them about
 * once a minute — later still on a busy server. A ledger that has just taken in a hundred
 * thousand licenses can still be planned as if empty, and an anti-join that is a hash join at
 * that size becomes an index lookup per row on a barely selective index: seen taking seven
 * minutes instead of a fraction of a second. The queries that join whole tables to find unfinished
 * work (the sweep's backlog), and a page's quarantine update, first refresh the statistics of
 * tables that changed much since their last analysis; a cheap look at `pg_stat_user_tables` when
 * they are fresh.
 *
 * A page's signatures (read by every page of delivery, and of signing) are named by a few hundred
 * version ids. Planned with no statistics of `signatures`, whose key is two columns (so no unique
 * index tells the planner one row per version), the `IN` list reads as half the table: a hash
 * join over a sequential scan of every version, the page's read growing with the ledger (31 →
 * 147 ms a page over a 60,000-row run on a server whose autovacuum was off). That read looks too,
 * at most once every few seconds.
 */
import { type Db, toInt } from './db.js';

/** Changed rows since the last analysis that make a table's statistics stale: a fifth of it, at least 200. */
const STALE_SHARE = 5;
const STALE_MIN = 200;

/** How often the statements of every page look at their tables' statistics, at most, per ledger handle. */
export const PAGE_STATISTICS_EVERY_MS = 5_000;

/** When each table was last looked at by a caller that looks at most every so often, per ledger handle. */
const lookedAt = new WeakMap<Db, Map<string, number>>();

/**
 * Analyzes those of `tables` whose statistics are stale. With `everyMs`, a table looked at in the
 * last `everyMs` through this `db` is not looked at again: for the statements of every page.
 * Called outside any write's transaction: the look and the ANALYZE take a pool connection of their
 * own (db.ts `read`), and inside a transaction ANALYZE would hold its lock until the commit.
 */
export async function freshenStatistics(
  db: Db,
  tables: readonly string[],
  options: { everyMs?: number } = {},
): Promise<void> {
  if (db.dialect !== 'postgres' || tables.length === 0) return;
  if (options.everyMs !== undefined) {
    const now = Date.now();
    const seen = lookedAt.get(db) ?? new Map<string, number>();
    lookedAt.set(db, seen);
    tables = tables.filter((t) => now - (seen.get(t) ?? Number.NEGATIVE_INFINITY) >= (options.everyMs ?? 0));
    if (tables.length === 0) return;
    for (const t of tables) seen.set(t, now);
  }
  const stale = await db.read('freshenStatistics', async (k) => {
    const res: { rows: { relname: string; changed: unknown; live: unknown }[] } = await k.raw(
      `select relname, n_mod_since_analyze as changed, n_live_tup as live
         from pg_stat_user_tables where schemaname = current_schema() and relname = any(?)`,
      [[...tables]],
    );
    return res.rows
      .filter((r) => toInt(r.changed) > Math.max(STALE_MIN, toInt(r.live) / STALE_SHARE))
      .map((r) => r.relname);
  });
  for (const table of stale) await db.read('freshenStatistics', (k) => k.raw('analyze ??', [table]));
}
