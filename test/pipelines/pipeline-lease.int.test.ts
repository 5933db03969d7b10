/**
 * One run of a pipeline at a time, on both ledger backends (pipelines/pipeline-lease.ts): a run
 * takes the pipeline's lease before it reads, and a second run finds it held and is told by whom.
 * A lease ends when its holder lets it go, when it runs out (its process killed, nobody renews
 * it), or at once when its process is gone from this host. Before, nothing kept
 * two runs apart: both read the source, and the checkpoint went back.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import {
  busyMessage,
  holdPipelines,
  PipelineBusy,
  releasePipelines,
  renewPipelines,
  takePipeline,
} from '../../pipelines/pipeline-lease.js';
import { processOwner } from '../../pipelines/run-liveness.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';
import { deadPid } from '../support/dead-pid.js';

describe.each(BACKENDS)('the lease of a pipeline ($name)', (backend) => {
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

  it('refuses a second run while the first holds it, naming the run, its start and its host', async () => {
    const pipeline = uniqueName('p');
    const [first, second] = [uniqueName('run'), uniqueName('run')];
    await ledger.startRun({ runId: first, pipeline, mode: 'incremental' });
    expect(await takePipeline(ledger, pipeline, first)).toBeNull();
    // The run's own claim again (its extract job looking) keeps it.
    expect(await takePipeline(ledger, pipeline, first, 'worker-host 1')).toBeNull();
    const held = await takePipeline(ledger, pipeline, second);
    expect(held).toMatchObject({ pipeline, runId: first, holder: processOwner() });
    const refused = await holdPipelines(ledger, [{ pipeline, runId: second }]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PipelineBusy);
    expect((refused as PipelineBusy).code).toBe('LB_PIPELINE_BUSY');
    expect((refused as PipelineBusy).message).toBe(
      `run: pipeline ${pipeline} is being run by run ${first} started at ${held?.startedAt.toISOString()} on host ${hostname()} (pid ${process.pid}); its lease runs out at ${held?.until.toISOString()} unless that process renews it; not started`,
    );
    expect(busyMessage(held!)).toBe((refused as PipelineBusy).message);
    // Let go, the pipeline is the next run's.
    await releasePipelines(ledger, [{ pipeline, runId: first }]);
    expect(await takePipeline(ledger, pipeline, second)).toBeNull();
    expect(await renewPipelines(ledger, [{ pipeline, runId: first }])).toEqual([pipeline]);
  });

  it('takes none of the pipelines when one is held', async () => {
    const [free, busy] = [uniqueName('p'), uniqueName('p')];
    const [holder, run] = [uniqueName('run'), uniqueName('run')];
    await ledger.startRun({ runId: holder, pipeline: busy, mode: 'incremental' });
    expect(await takePipeline(ledger, busy, holder)).toBeNull();
    await expect(
      holdPipelines(ledger, [
        { pipeline: free, runId: run },
        { pipeline: busy, runId: run },
      ]),
    ).rejects.toBeInstanceOf(PipelineBusy);
    expect(await ledger.pipelineLeases.holderOf(free)).toBeNull();
  });

  it('is taken over once it ran out, once let go, or at once when its process is gone', async () => {
    const pipeline = uniqueName('p');
    const runs = Array.from({ length: 4 }, () => uniqueName('run'));
    for (const runId of runs) await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const [killed, ended, gone, next] = runs as [string, string, string, string];
    // A holder on another host, killed: its lease, no longer renewed, ran out a moment ago.
    expect(
      await ledger.pipelineLeases.claim({
        pipeline,
        runId: killed,
        holder: 'other-host 4242',
        forMs: -1,
      }),
    ).toBeNull();
    expect(await takePipeline(ledger, pipeline, ended, 'other-host 4243')).toBeNull();
    // A run that ended holds its lease while its holder keeps it (pipeline-lease-run-ended), and
    // nothing once its holder let it go.
    expect(await takePipeline(ledger, pipeline, gone)).toMatchObject({ runId: ended });
    await ledger.finishRun(ended, { state: 'failed', error: 'x' });
    expect(await takePipeline(ledger, pipeline, gone)).toMatchObject({ runId: ended });
    await releasePipelines(ledger, [{ pipeline, runId: ended }], 'other-host 4243');
    expect(await takePipeline(ledger, pipeline, gone, `${hostname()} ${await deadPid()}`)).toBeNull();
    // Its process gone from this host, the lease is taken over at once.
    expect(await takePipeline(ledger, pipeline, next)).toBeNull();
    expect(await ledger.pipelineLeases.holderOf(pipeline)).toMatchObject({ runId: next });
  });
});
