/**
 * Migration 045 on PostgreSQL reads every quarantine record to fill the totals, which on a ledger
 * of years takes a while; it runs in one transaction, and `ALTER TABLE runs` holds an ACCESS
 * EXCLUSIVE lock on `runs` until that transaction ends. Taken before the read, the lock kept every
 * reader and writer of `runs` waiting for the whole read: `licbridge status` and `serve`, and the
 * heartbeats and page commits of any process still running. The read now comes first: while it
 * runs, `runs` is not locked.
 */
import type { Knex } from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { until } from '../support/until.js';
import { PG_URL, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex, undoMigrationsSince } from './raw-knex.js';

describe('migration 045 (postgres): runs is not locked while the quarantine records are read', () => {
  let database: TestDatabase;
  let raw: Knex;
  let schema: string;
  let ledger: Ledger | undefined;

  beforeAll(async () => {
    database = await postgresBackend.create();
    schema = new URL(database.url).searchParams.get('schema') as string;
    await (await openLedger(database.url, { logger: quietLogger })).close();
    raw = rawKnex(database.url);
    await undoMigrationsSince(raw, '045-metric-counts');
    const at = new Date().toISOString();
    await raw('runs').insert({
      run_id: 'r1',
      pipeline: 'p',
      mode: 'incremental',
      state: 'abandoned',
      started_at: at,
      finished_at: at,
    });
    await raw('quarantine').insert({
      run_id: 'r1',
      pipeline: 'p',
      source_key: '1',
      reasons: JSON.stringify([{ code: 'LB_MAP_DATE', message: 'm' }]),
      created_at: at,
    });
  });

  afterAll(async () => {
    await ledger?.close();
    await raw?.destroy();
    await database?.dispose();
  });

  it('holds no lock on runs while it waits to read the quarantine records', async () => {
    // Another session keeps the quarantine table, so the migration waits at its first read of it.
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    let opening: Promise<Ledger> | undefined;
    try {
      await holder.query(`set search_path to "${schema}"`);
      await holder.query('begin');
      await holder.query('lock table quarantine in access exclusive mode');
      const holderPid = (await holder.query('select pg_backend_pid() as pid')).rows[0].pid as number;
      opening = openLedger(database.url, { logger: quietLogger });
      let migrating = 0;
      await until(async () => {
        // pg_stat_activity is read once per transaction unless its snapshot is cleared.
        await holder.query('select pg_stat_clear_snapshot()');
        const r = await holder.query(
          'select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
          [holderPid],
        );
        migrating = (r.rows[0]?.pid as number | undefined) ?? 0;
        return migrating > 0;
      });
      const locks = await holder.query(
        `select l.mode from pg_locks l
           join pg_class c on c.oid = l.relation
           join pg_namespace n on n.oid = c.relnamespace
          where l.pid = $1 and l.granted and n.nspname = $2 and c.relname = 'runs'`,
        [migrating, schema],
      );
      expect(locks.rows.map((r) => r.mode)).not.toContain('AccessExclusiveLock');
      await holder.query('rollback');
      ledger = await opening;
    } finally {
      await holder.end();
      if (opening && !ledger) ledger = await opening.catch(() => undefined);
    }
    // The migration then did all of its work.
    expect(await ledger?.quarantineReasonTotals()).toEqual([
      { pipeline: 'p', code: 'LB_MAP_DATE', count: 1 },
    ]);
    expect((await ledger?.runTotals())?.find((t) => t.pipeline === 'p')?.failedRuns).toBe(1);
  });
});
