/**
 * `completeRun` says whether the run is done. A run whose work is complete but which another
 * process fails meanwhile (a `licbridge worker` whose job failed for good), between the run's read
 * and its update, keeps its failure, and `completeRun` says it is not done: `licbridge run` then
 * reports what the ledger says (pipelines/run-settle.ts), not `done`.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, PG_URL, quietLogger, type TestDatabase } from './backends.js';

/** Another process's transaction failing the run, held open until `commit`. */
interface HeldFailure {
  /** Resolves once `completeRun`'s update waits on it (PostgreSQL), or after a while (SQLite). */
  waitedOn(): Promise<void>;
  commit(): Promise<void>;
}

async function holdFailure(url: string, runId: string): Promise<HeldFailure> {
  const update = `update runs set state = 'failed', error = 'sign: the key is gone' where run_id = '${runId}'`;
  if (url.startsWith('sqlite://')) {
    const db = new Database(url.slice('sqlite://'.length));
    db.exec(`begin immediate; ${update};`);
    return {
      waitedOn: () => new Promise((resolve) => setTimeout(resolve, 500)),
      async commit() {
        db.exec('commit');
        db.close();
      },
    };
  }
  const schema = new URL(url).searchParams.get('schema') ?? 'public';
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`set search_path to "${schema}"`);
  await client.query('begin');
  await client.query(update);
  return {
    async waitedOn() {
      for (let i = 0; i < 200; i++) {
        const r = await client.query(
          "select count(*)::int as n from pg_locks where not granted and locktype = 'transactionid'",
        );
        if (r.rows[0].n > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async commit() {
      await client.query('commit');
      await client.end();
    },
  };
}

describe.each(BACKENDS)('completeRun on $name', (backend) => {
  let db: TestDatabase;
  let ledger: Ledger;
  beforeAll(async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
  });

  it('marks an extracted run whose work is complete done, and says so', async () => {
    await ledger.startRun({ runId: 'r-done', pipeline: 'p', mode: 'incremental' });
    await ledger.markExtracted('r-done');
    expect(await ledger.completeRun('r-done', 'seal', ['province'])).toBe(true);
    expect((await ledger.getRun('r-done'))?.state).toBe('done');
    expect(await ledger.completeRun('r-done', 'seal', ['province'])).toBe(true);
  });

  it('says a run failed while it was being marked done is not done, and keeps the failure', async () => {
    await ledger.startRun({ runId: 'r-failed', pipeline: 'p', mode: 'incremental' });
    await ledger.markExtracted('r-failed');
    const held = await holdFailure(db.url, 'r-failed');
    const done = ledger.completeRun('r-failed', 'seal', ['province']);
    await held.waitedOn();
    await held.commit();
    expect(await done).toBe(false);
    expect(await ledger.getRun('r-failed')).toMatchObject({
      state: 'failed',
      error: 'sign: the key is gone',
    });
  });
});
