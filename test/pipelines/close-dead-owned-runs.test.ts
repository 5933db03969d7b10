/**
 * `closeDeadOwnedRuns` (a repair that has just taken a pipeline's lease ends the pipeline's runs
 * whose process is gone) must end no run whose process lives: not one on another host whose
 * heartbeat is fresh (nothing here can see its process), not one on this host whose process the
 * process table shows, not another pipeline's, not a run without an owner (a scheduled run lives
 * by its extract job). A run on this host whose process is gone, or whose heartbeat is older than
 * the lease lasts (`STALE_MS`, after which the lease it held was free to take too), is ended.
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { FinishedRun, StoredRun } from '../../ledger/ledger.js';
import { closeDeadOwnedRuns, STALE_MS } from '../../pipelines/run-liveness.js';

const PIPELINE = 'food-business-licenses';
/** A pid no process has. */
const DEAD_PID = 4194001;

function run(runId: string, fields: Partial<StoredRun>): StoredRun {
  return {
    runId,
    pipeline: PIPELINE,
    mode: 'incremental',
    state: 'running',
    startedAt: new Date(Date.now() - 3_600_000),
    finishedAt: null,
    error: null,
    read: 0,
    created: 0,
    unchanged: 0,
    quarantined: 0,
    heartbeatAt: new Date(),
    ...fields,
  };
}

function ledgerOf(runs: StoredRun[]) {
  const ended = new Map<string, string | undefined>();
  return {
    ended,
    ledger: {
      runningRuns: async () => runs.filter((r) => !ended.has(r.runId)),
      finishRun: async (
        runId: string,
        outcome: { state: 'done' | 'failed' | 'abandoned'; error?: string },
      ): Promise<FinishedRun> => {
        ended.set(runId, outcome.error);
        const r = runs.find((x) => x.runId === runId) as StoredRun;
        return { ...r, state: outcome.state, applied: true };
      },
    },
  };
}

describe('closeDeadOwnedRuns', () => {
  it('ends only the runs whose process is gone, never a live one', async () => {
    const stale = new Date(Date.now() - STALE_MS - 5_000);
    const { ledger, ended } = ledgerOf([
      run('other-host-live', { owner: 'worker-b.internal 1234' }),
      run('this-process', { owner: `${hostname()} ${process.pid}` }),
      run('other-pipeline-dead', { pipeline: 'other', owner: `${hostname()} ${DEAD_PID}` }),
      run('scheduled-7', { owner: null, heartbeatAt: stale }),
      run('this-host-dead', { owner: `${hostname()} ${DEAD_PID}` }),
      run('other-host-stale', { owner: 'worker-b.internal 1234', heartbeatAt: stale }),
    ]);
    const closed = await closeDeadOwnedRuns(ledger, PIPELINE, 'repair-taker');
    expect(closed.map((r) => r.runId).sort()).toEqual(['other-host-stale', 'this-host-dead']);
    expect([...ended.keys()].sort()).toEqual(['other-host-stale', 'this-host-dead']);
    expect(ended.get('this-host-dead')).toContain('repair repair-taker took the pipeline over');
  });

  it("a heartbeat late by less than the lease's length leaves the run running", async () => {
    const late = new Date(Date.now() - STALE_MS + 5_000);
    const { ledger, ended } = ledgerOf([run('late', { owner: 'worker-b.internal 1234', heartbeatAt: late })]);
    expect(await closeDeadOwnedRuns(ledger, PIPELINE, 'repair-taker')).toEqual([]);
    expect(ended.size).toBe(0);
  });
});
