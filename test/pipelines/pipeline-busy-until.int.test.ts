/**
 * A pipeline held by the lease of a process on another host — killed there after its run ended —
 * refuses the next run until the lease runs out unrenewed (30 s after its last renewal, by the
 * ledger's clock): this host cannot tell that process is gone. The refusal said which run held it
 * and on which host, not which process or for how long, so an operator could not tell a live run
 * from a dead holder that frees the pipeline by itself within seconds. It now names the holder's
 * pid and when the lease runs out unless renewed; once it has, the pipeline is taken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { holdPipelines, PIPELINE_LEASE_MS, PipelineBusy } from '../../pipelines/pipeline-lease.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';

describe('a pipeline held by a process on another host whose run has ended', () => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  /** A run of `pipeline` leased to `holder` for `forMs`, then ended `done`. */
  async function heldElsewhere(pipeline: string, holder: string, forMs: number): Promise<string> {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    expect(await ledger.pipelineLeases.claim({ pipeline, runId, holder, forMs })).toBeNull();
    await ledger.finishRun(runId, { state: 'done' });
    return runId;
  }

  it('refuses the next run naming the holder, its pid and when its lease runs out', async () => {
    const pipeline = uniqueName('p');
    const holder = `elsewhere-${uniqueName('h')} 4242`;
    const runId = await heldElsewhere(pipeline, holder, PIPELINE_LEASE_MS);
    const held = await ledger.pipelineLeases.holderOf(pipeline);
    const refusal = await holdPipelines(ledger, [{ pipeline, runId: uniqueName('run') }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(PipelineBusy);
    const message = (refusal as PipelineBusy).message;
    expect(message).toContain(`pipeline ${pipeline} is being run by run ${runId} started at `);
    expect(message).toContain(`on host ${holder.split(' ')[0]} (pid 4242)`);
    expect(message).toMatch(
      new RegExp(
        `; its lease runs out at ${held?.until.toISOString()} unless that process renews it; not started$`,
      ),
    );
  });

  it('is taken by the next run once that lease has run out', async () => {
    const pipeline = uniqueName('p');
    await heldElsewhere(pipeline, `elsewhere-${uniqueName('h')} 4242`, 1);
    // The lease ran out 1 ms after it was taken; the ledger's clock has moved past it once read again.
    const next = uniqueName('run');
    for (;;) {
      const held = await ledger.pipelineLeases.holderOf(pipeline);
      if (held === null || held.until.getTime() < held.readAt.getTime()) break;
    }
    await holdPipelines(ledger, [{ pipeline, runId: next }]);
    expect((await ledger.pipelineLeases.holderOf(pipeline))?.runId).toBe(next);
  });
});
