/**
 * PostgreSQL plans a join from its statistics of the tables, and autovacuum refreshes them about
 * once a minute — later still on a busy server. A ledger that has just taken in a hundred
 * thousand licenses can still be planned as if empty, and an anti-join that is a hash join at
 * that size becomes an index lookup per row on a barely selective index: seen taking seven
 * minutes instead of a fraction of a second. The queries that join whole tables to find unfinished
 * work (the sweep's backlog), and a page's quarantine update, first refresh the statistics of
 * tables that changed much since their last analysis; a cheap look at `pg_stat_user_tables` when
 * they are fresh.
 */
import { type Db, toInt } from './db.js';

/** Changed rows since the last analysis that make a table's statistics stale: a fifth of it, at least 200. */
const STALE_SHARE = 5;
const STALE_MIN = 200;

export async function freshenStatistics(db: Db, tables: readonly string[]): Promise<void> {
  if (db.dialect !== 'postgres' || tables.length === 0) return;
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
