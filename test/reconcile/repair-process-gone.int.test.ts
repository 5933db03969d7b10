/**
 * A repair whose process is gone (SIGKILL, a crash, its host down) leaves its run `running`, owned
 * by that process. The next `licbridge run` closed it `abandoned` saying "its extract job is gone",
 * though a repair without a re-read never had one: now it says the repair's process is gone. The
 * next repair took the dead repair's lease over and left its run `running`: now it ends it
 * `abandoned` too, naming itself. Needs Redis and the demo workspace.
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import type { RepairPlan } from '../../pipelines/reconcile/repair.js';
import { closeOrphanedRuns } from '../../pipelines/run-liveness.js';
import { demoRuntime } from '../support/demo-runtime.js';

const PIPELINE = 'food-business-licenses';
/** A pid no process has: the owner of a repair killed on this host. */
const DEAD_OWNER = `${hostname()} 4194001`;
const logger = createLogger({ level: 'silent' });

const t = demoRuntime(6, logger);

/** A repair with nothing to do but take the pipeline over. */
const NOTHING: RepairPlan = {
  reportId: 'test',
  pipeline: PIPELINE,
  items: [],
  byAction: { 're-read': 0, revoke: 0, cancel: 0, 'adopt-revoke': 0, 're-deliver': 0, flag: 0 },
};

describe("a repair's run whose process is gone", () => {
  it('is closed by the next run saying the repair process is gone, not an extract job', async () => {
    // A repair without a re-read: it queued sign jobs only, never an extract job.
    await t.ledger.startRun({ runId: 'repair-killed', pipeline: PIPELINE, mode: 'full', owner: DEAD_OWNER });
    const closed = await closeOrphanedRuns(t.ledger, t.queues.extract, { takenOverBy: () => 'run-next' });
    expect(closed.map((r) => r.runId)).toEqual(['repair-killed']);
    const run = await t.ledger.getRun('repair-killed');
    expect(run?.state).toBe('abandoned');
    expect(run?.error).toContain('the process of its repair');
    expect(run?.error).toContain('run run-next took the pipeline over');
    expect(run?.error).not.toContain('extract job');
  });

  it('is ended abandoned by the next repair, which takes its lease over', async () => {
    const dead = 'repair-killed-holding';
    await t.ledger.startRun({ runId: dead, pipeline: PIPELINE, mode: 'full', owner: DEAD_OWNER });
    const forMs = 60_000;
    expect(
      await t.ledger.pipelineLeases.claim({ pipeline: PIPELINE, runId: dead, holder: DEAD_OWNER, forMs }),
    ).toBeNull();
    const applied = await applyRepairs(t.rt, NOTHING, { logger, idleTimeoutMs: 20_000 });
    expect((await t.ledger.getRun(applied.runId))?.state).toBe('done');
    const run = await t.ledger.getRun(dead);
    expect(run?.state).toBe('abandoned');
    expect(run?.error).toContain('the process of its repair');
    expect(run?.error).toContain(`repair ${applied.runId} took the pipeline over`);
    expect(await t.ledger.runningRuns()).toEqual([]);
  }, 60_000);

  it('a dead run whose work is complete is marked done by the next repair, not abandoned', async () => {
    // A `licbridge run` killed after its work was done (extracted, nothing left to sign or deliver)
    // and before it said so: `licbridge run` marks such a run done (run-recovery.ts).
    const dead = 'run-killed-complete';
    await t.ledger.startRun({ runId: dead, pipeline: PIPELINE, mode: 'incremental', owner: DEAD_OWNER });
    await t.ledger.markExtracted(dead);
    await applyRepairs(t.rt, NOTHING, { logger, idleTimeoutMs: 20_000 });
    const run = await t.ledger.getRun(dead);
    expect(run?.state).toBe('done');
    expect(run?.error ?? null).toBeNull();
  }, 60_000);
});
