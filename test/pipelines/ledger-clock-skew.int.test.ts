/**
 * A run's heartbeat and a pipeline's lease by the ledger's clock, not each host's (ledger/db-clock.ts),
 * on both ledger backends. Each host here is this process with its clock set 10 minutes behind, on
 * time or 10 minutes ahead (`Date` faked; the database keeps its own time). Before, the heartbeat
 * and the lease's end were stamped with the writer's clock and judged with the reader's: a run
 * beating from a host behind was judged abandoned by one on time and its pipeline taken over (its
 * work done twice), and a run that stopped on a host ahead was kept alive, its pipeline blocked,
 * for 10 minutes more. Time passing on the ledger is simulated by moving a stamp back in the
 * database itself: waiting out `STALE_MS` would take 30 seconds a case.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runStage } from '../../pipelines/observability/run-stage.js';
import {
  liveHolder,
  PIPELINE_LEASE_MS,
  renewPipelines,
  takePipeline,
} from '../../pipelines/pipeline-lease.js';
import { closeDeadOwnedRuns, runOwnerAlive, STALE_MS } from '../../pipelines/run-liveness.js';
import { BACKENDS, type Backend, PG_URL, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';

const SKEW_MS = 10 * 60_000;
/** Hosts whose clocks are 10 minutes behind, on time, and 10 minutes ahead. */
const HOSTS = [-SKEW_MS, 0, SKEW_MS] as const;
/** Processes on other hosts: the process table here cannot say they are gone. */
const WRITER = 'worker-a.internal 4242';
const OTHER = 'worker-b.internal 4343';

/** Runs `work` as a host whose clock is `skewMs` off. */
async function atHost<T>(skewMs: number, work: () => Promise<T>): Promise<T> {
  vi.useRealTimers();
  vi.setSystemTime(Date.now() + skewMs);
  try {
    return await work();
  } finally {
    vi.useRealTimers();
  }
}

/**
 * Moves `column` of the row `key` names back by `ms`: as if the ledger's clock had gone on that
 * long since the stamp was written.
 */
async function ageStamp(
  backend: Backend,
  database: TestDatabase,
  at: { table: 'runs' | 'pipeline_leases'; column: string; key: string; value: string },
  ms: number,
): Promise<void> {
  if (backend.name === 'postgres') {
    const schema = new URL(database.url).searchParams.get('schema') as string;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const changed = await client.query(
        `update "${schema}".${at.table} set ${at.column} = ${at.column} - $1 * interval '1 millisecond' where ${at.key} = $2`,
        [ms, at.value],
      );
      expect(changed.rowCount).toBe(1);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(new URL(database.url).pathname, { fileMustExist: true });
  try {
    const changed = db
      .prepare(
        `update ${at.table} set ${at.column} = strftime('%Y-%m-%dT%H:%M:%fZ', ${at.column}, ?) where ${at.key} = ?`,
      )
      .run(`-${(ms / 1000).toFixed(3)} seconds`, at.value);
    expect(changed.changes).toBe(1);
  } finally {
    db.close();
  }
}

describe.each(BACKENDS)(
  'liveness and leases by the ledger clock, hosts 10 minutes apart ($name)',
  (backend) => {
    let database: TestDatabase;
    let ledger: Ledger;

    beforeAll(async () => {
      database = await backend.create();
      ledger = await openLedger(database.url, { logger: quietLogger });
    });

    afterEach(() => {
      vi.useRealTimers();
    });

    afterAll(async () => {
      await ledger?.close();
      await database?.dispose();
    });

    it('a run beating from a host 10 minutes behind is alive to every host, and no host ends it', async () => {
      const pipeline = uniqueName('p');
      const runId = uniqueName('run');
      await atHost(-SKEW_MS, async () => {
        await ledger.startRun({ runId, pipeline, mode: 'incremental', owner: WRITER });
        await ledger.heartbeatRuns([runId], WRITER);
      });
      for (const skew of HOSTS) {
        await atHost(skew, async () => {
          const run = await ledger.getRun(runId);
          expect(run && runOwnerAlive(run), `host ${skew / 60_000} min`).toBe(true);
          // As `licbridge status` shows it.
          expect(run && (await runStage(ledger, run, 'seal', []))).toBe('extracting');
          expect(await closeDeadOwnedRuns(ledger, pipeline, uniqueName('taker'))).toEqual([]);
        });
      }
      expect((await ledger.getRun(runId))?.state).toBe('running');
    });

    it('a run that stopped beating on a host 10 minutes ahead is dead to every host once its beat is STALE_MS old by the ledger', async () => {
      const pipeline = uniqueName('p');
      const runId = uniqueName('run');
      await atHost(SKEW_MS, async () => {
        await ledger.startRun({ runId, pipeline, mode: 'incremental', owner: WRITER });
        await ledger.heartbeatRuns([runId], WRITER);
      });
      await ageStamp(
        backend,
        database,
        { table: 'runs', column: 'heartbeat_at', key: 'run_id', value: runId },
        STALE_MS + 1000,
      );
      for (const skew of HOSTS) {
        await atHost(skew, async () => {
          const run = await ledger.getRun(runId);
          expect(run && runOwnerAlive(run), `host ${skew / 60_000} min`).toBe(false);
          expect(run && (await runStage(ledger, run, 'seal', []))).toBe('abandoned');
        });
      }
      const taker = uniqueName('taker');
      const ended = await atHost(-SKEW_MS, () => closeDeadOwnedRuns(ledger, pipeline, taker));
      expect(ended.map((r) => [r.runId, r.state])).toEqual([[runId, 'abandoned']]);
    });

    it('a lease renewed from a host 10 minutes behind holds against a host 10 minutes ahead', async () => {
      const pipeline = uniqueName('p');
      const [holder, second] = [uniqueName('run'), uniqueName('run')];
      await atHost(-SKEW_MS, async () => {
        await ledger.startRun({ runId: holder, pipeline, mode: 'incremental' });
        expect(await takePipeline(ledger, pipeline, holder, WRITER)).toBeNull();
      });
      await atHost(SKEW_MS, async () => {
        expect(await liveHolder(ledger, pipeline)).toMatchObject({ runId: holder, holder: WRITER });
        expect(await takePipeline(ledger, pipeline, second, OTHER)).toMatchObject({ runId: holder });
      });
      expect(
        await atHost(-SKEW_MS, () => renewPipelines(ledger, [{ pipeline, runId: holder }], WRITER)),
      ).toEqual([]);
      await atHost(SKEW_MS, async () => {
        expect(await takePipeline(ledger, pipeline, second, OTHER)).toMatchObject({ runId: holder });
      });
    });

    it('a lease of a host 10 minutes ahead that stopped renewing runs out for a host 10 minutes behind', async () => {
      const pipeline = uniqueName('p');
      const [holder, next] = [uniqueName('run'), uniqueName('run')];
      await atHost(SKEW_MS, async () => {
        await ledger.startRun({ runId: holder, pipeline, mode: 'incremental' });
        expect(await takePipeline(ledger, pipeline, holder, WRITER)).toBeNull();
      });
      await ageStamp(
        backend,
        database,
        { table: 'pipeline_leases', column: 'claimed_until', key: 'pipeline', value: pipeline },
        PIPELINE_LEASE_MS + 1000,
      );
      await atHost(-SKEW_MS, async () => {
        expect(await liveHolder(ledger, pipeline)).toBeNull();
        expect(await takePipeline(ledger, pipeline, next, OTHER)).toBeNull();
      });
      expect(await ledger.pipelineLeases.holderOf(pipeline)).toMatchObject({ runId: next, holder: OTHER });
    });
  },
);
