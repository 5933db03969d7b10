/**
 * A run whose work is complete but that nobody marked `done` yet: its extraction over and every
 * version signed and ended at every target, while the job that would have marked it failed for
 * good (the completion check after the extraction), so it stays `running` until the pipeline's next
 * run finds it complete. `status` never shows a run `running` whose work is complete
 * (docs/operations.md): it was shown `delivering` with nothing left to deliver, and, its process
 * gone, `abandoned` with "its process stopped before the work was done", exit 3.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runAttention } from '../../pipelines/observability/findings-attention.js';
import { runStage } from '../../pipelines/observability/run-stage.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';

const PIPELINE = 'food-business-licenses';
const TARGETS = ['province'];
/** No process has this id: the kernel's pid_max is at most 2^22. */
const DEAD_PID = 4_194_304 + 23;

describe('status: a run whose work is complete, not marked done yet', () => {
  let db: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
  });

  const stageOf = async (runId: string) => {
    const run = await ledger.getRun(runId);
    if (!run) throw new Error(`no run ${runId}`);
    const stage = await runStage(ledger, run, 'district-seal', TARGETS);
    return { stage, notes: runAttention(PIPELINE, run, stage) };
  };

  it('shows a scheduled run extracted with nothing left to sign or deliver as done', async () => {
    await ledger.startRun({ runId: 'scheduled-1', pipeline: PIPELINE, mode: 'incremental' });
    await ledger.markExtracted('scheduled-1');
    expect(await stageOf('scheduled-1')).toEqual({ stage: 'done', notes: [] });
  });

  it('does not call a complete run abandoned because its process is gone', async () => {
    await ledger.startRun({
      runId: 'run-2',
      pipeline: PIPELINE,
      mode: 'incremental',
      owner: `${hostname()} ${DEAD_PID}`,
    });
    await ledger.markExtracted('run-2');
    expect(await stageOf('run-2')).toEqual({ stage: 'done', notes: [] });
  });

  it('still shows a run abandoned whose extraction its gone process left unfinished', async () => {
    await ledger.startRun({
      runId: 'run-3',
      pipeline: PIPELINE,
      mode: 'incremental',
      owner: `${hostname()} ${DEAD_PID}`,
    });
    const { stage, notes } = await stageOf('run-3');
    expect(stage).toBe('abandoned');
    expect(notes.map((n) => n.kind)).toEqual(['run-abandoned']);
  });
});
