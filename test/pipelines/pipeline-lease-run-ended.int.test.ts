/**
 * A pipeline's lease outlives its run's end while its holder keeps it, on both ledger backends
 * (ledger/pipeline-leases.ts): `licbridge run` goes on after its run is marked `done`, emptying
 * the queues and making its light check. Before, a lease whose run had ended held nothing, and
 * another run took the pipeline beside that check. Such a lease is free once its holder lets it
 * go, once it runs out unrenewed, or at once when its process is gone from this host.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import {
  holdPipelines,
  liveHolder,
  PipelineBusy,
  releasePipelines,
  renewPipelines,
  takePipeline,
} from '../../pipelines/pipeline-lease.js';
import { processOwner } from '../../pipelines/run-liveness.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';
import { deadPid } from '../support/dead-pid.js';

describe.each(BACKENDS)('the lease of a pipeline whose run has ended ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  /** A pipeline leased to a run, then the run ended `state`. */
  async function endedRun(
    state: 'done' | 'failed' | 'abandoned',
    holder = processOwner(),
    forMs?: number,
  ): Promise<{ pipeline: string; runId: string }> {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    if (forMs === undefined) expect(await takePipeline(ledger, pipeline, runId, holder)).toBeNull();
    else expect(await ledger.pipelineLeases.claim({ pipeline, runId, holder, forMs })).toBeNull();
    await ledger.finishRun(runId, { state, ...(state === 'done' ? {} : { error: 'x' }) });
    return { pipeline, runId };
  }

  it.each(['done', 'failed', 'abandoned'] as const)(
    'refuses another run while its holder keeps it (%s), and is free once let go',
    async (state) => {
      const held = await endedRun(state);
      const { pipeline, runId } = held;
      const other = uniqueName('run');
      // Another host's run, and a second `licbridge run` here, find it held by the ended run.
      expect(await takePipeline(ledger, pipeline, other, 'other-host 4242')).toMatchObject({ runId });
      const refused = await holdPipelines(ledger, [{ pipeline, runId: other }]).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PipelineBusy);
      expect((refused as PipelineBusy).code).toBe('LB_PIPELINE_BUSY');
      // `status` and `source forget` say so as the claim judges it.
      expect(await liveHolder(ledger, pipeline)).toMatchObject({ runId, holder: processOwner() });
      // Its holder renews it as before: not lost.
      expect(await renewPipelines(ledger, [held])).toEqual([]);
      expect(await takePipeline(ledger, pipeline, other, 'other-host 4242')).toMatchObject({ runId });
      // Only its holder lets it go.
      await releasePipelines(ledger, [held], 'other-host 4242');
      expect(await liveHolder(ledger, pipeline)).toMatchObject({ runId });
      await releasePipelines(ledger, [held]);
      expect(await liveHolder(ledger, pipeline)).toBeNull();
      expect(await takePipeline(ledger, pipeline, other, 'other-host 4242')).toBeNull();
    },
  );

  it('is taken over once it ran out unrenewed, its holder on another host', async () => {
    const { pipeline, runId } = await endedRun('done', 'other-host 4243', -1);
    expect(await ledger.pipelineLeases.holderOf(pipeline)).toMatchObject({ runId });
    expect(await liveHolder(ledger, pipeline)).toBeNull();
    const next = uniqueName('run');
    expect(await takePipeline(ledger, pipeline, next)).toBeNull();
    expect(await ledger.pipelineLeases.holderOf(pipeline)).toMatchObject({ runId: next });
  });

  it('is taken over at once when its process is gone from this host', async () => {
    const { pipeline, runId } = await endedRun('done', `${hostname()} ${await deadPid()}`);
    expect(await ledger.pipelineLeases.holderOf(pipeline)).toMatchObject({ runId });
    expect(await liveHolder(ledger, pipeline)).toBeNull();
    const next = uniqueName('run');
    expect(await takePipeline(ledger, pipeline, next)).toBeNull();
    expect(await ledger.pipelineLeases.holderOf(pipeline)).toMatchObject({ runId: next });
  });
});
