/**
 * A page lands only in a run still running (ledger/commit-page-run.ts). The extract stage looks at
 * the run before each page, but another process can end the run between that look and the page's
 * commit: the commit itself refuses the page then, writing nothing of it — on both backends, and on
 * PostgreSQL also when the ending is still uncommitted while the page's transaction waits on it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { PageRunEnded } from '../../ledger/commit-page-run.js';
import type { CommitPageInput, Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, PG_URL, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';

function page(pipeline: string, runId: string): CommitPageInput {
  const cands = candidates(1, 3, { pipeline });
  return {
    pipeline,
    runId,
    checkpoint: encodeKeyPosition({ cursor: '2024-01-01 00:00:00', key: 'k3' }),
    rowsRead: cands.length + 1,
    candidates: cands,
    quarantined: [{ sourceKey: `${pipeline}-q`, reasons: [{ code: 'LB_LICENSE_INVALID', message: 'm' }] }],
  };
}

describe.each(BACKENDS)('commitPage in a run another process ended ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  // Another process's ledger on the same database: a `licbridge run` giving up, a stall sweep.
  let other: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    other = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await other?.close();
    await ledger?.close();
    await database?.dispose();
  });

  it.each(['failed', 'abandoned', 'done'] as const)(
    'refuses the page of a run ended %s since the look, and writes nothing of it',
    async (state) => {
      const pipeline = uniqueName('p');
      const runId = uniqueName('run');
      await ledger.startRun({ runId, pipeline, mode: 'incremental' });
      // The extract stage's look before the page: still running.
      expect((await ledger.getRun(runId))?.state).toBe('running');
      await other.finishRun(runId, state === 'done' ? { state } : { state, error: 'run: gave up' });

      const error = await ledger.commitPage(page(pipeline, runId)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PageRunEnded);
      expect(error).toMatchObject({ state, code: 'LB_LEDGER', retryable: false });
      expect((error as Error).message).toContain(`run ${runId} has ended (${state})`);

      expect(await ledger.getRun(runId)).toMatchObject({ state, read: 0, created: 0, quarantined: 0 });
      expect(await ledger.runVersionIds(runId)).toEqual([]);
      expect(await ledger.getCheckpoint(pipeline)).toBeNull();
      expect(await ledger.openQuarantineCount(pipeline)).toBe(0);
    },
  );

  it('still commits the page of a run that is running', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await ledger.commitPage(page(pipeline, runId));
    expect(result.created).toHaveLength(3);
    expect(await ledger.getRun(runId)).toMatchObject({ state: 'running', read: 4, created: 3 });
  });
});

describe('commitPage waiting on an uncommitted ending of its run (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('sees the ending once it commits (read committed) and refuses the page', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const schema = new URL(database.url).searchParams.get('schema') as string;
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    try {
      await holder.query(`set search_path to "${schema}"`);
      const { rows } = await holder.query<{ pid: number }>('select pg_backend_pid() as pid');
      await holder.query('begin');
      await holder.query(
        `update runs set state = 'failed', finished_at = now() where run_id = $1 and state = 'running'`,
        [runId],
      );
      const commit = ledger.commitPage(page(pipeline, runId)).then(
        () => 'committed',
        (e: unknown) => e,
      );
      // The page's transaction has reached the run's row and waits on the ending's lock.
      const watcher = new pg.Client({ connectionString: PG_URL });
      await watcher.connect();
      try {
        for (;;) {
          const waiting = await watcher.query(
            'select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
            [rows[0]?.pid],
          );
          if (waiting.rows[0].n > 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await watcher.end();
      }
      await holder.query('commit');
      const outcome = await commit;
      expect(outcome).toBeInstanceOf(PageRunEnded);
      expect(outcome).toMatchObject({ state: 'failed' });
    } finally {
      await holder.end();
    }
    expect(await ledger.getRun(runId)).toMatchObject({ state: 'failed', read: 0, created: 0 });
    expect(await ledger.runVersionIds(runId)).toEqual([]);
    expect(await ledger.getCheckpoint(pipeline)).toBeNull();
  });
});
