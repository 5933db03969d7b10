/**
 * Two copies of one extract job (a stalled job BullMQ handed to a second worker while the first
 * still ran) work one run, and so claim one pipeline lease. Its renewal wrote whichever copy renewed
 * last as its holder, and its release let it go for the run, whoever held it: the copy holding the
 * job, ending first, let go of the lease the other copy still read under, and a third extraction
 * could take the pipeline beside it. A lease now answers to its holder: a copy's renewal keeps only
 * its own lease, taking the run's over only from a holder silent for a third of a lease, and a
 * copy's release lets go of its own lease only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import {
  PIPELINE_LEASE_MS,
  releasePipelines,
  renewPipelines,
  takePipeline,
} from '../../pipelines/pipeline-lease.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';

// Two worker processes on other hosts: neither is judged gone from here.
const COPY_A = 'worker-a.example 101';
const COPY_B = 'worker-b.example 202';

describe.each(BACKENDS)("the copies of one run's extraction sharing its lease ($name)", (backend) => {
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

  it('keep the pipeline while the first copy still reads, when the second ends first', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    expect(await takePipeline(ledger, pipeline, runId, COPY_A)).toBeNull();
    // The second copy takes the job, and claims the run's lease, which the first still renews.
    expect(await takePipeline(ledger, pipeline, runId, COPY_B)).toBeNull();
    // Its renewal leaves the lease to the first, which renews it: the run still holds the pipeline.
    expect(await renewPipelines(ledger, [{ pipeline, runId }], COPY_B)).toEqual([]);
    expect((await ledger.pipelineLeases.holderOf(pipeline))?.holder).toBe(COPY_A);
    expect(await renewPipelines(ledger, [{ pipeline, runId }], COPY_A)).toEqual([]);
    expect((await ledger.pipelineLeases.holderOf(pipeline))?.holder).toBe(COPY_A);

    // The second copy ends first: it lets go of no lease of its own, and the first still holds it.
    await releasePipelines(ledger, [{ pipeline, runId }], COPY_B);
    expect((await ledger.pipelineLeases.holderOf(pipeline))?.holder).toBe(COPY_A);
    const third = await takePipeline(ledger, pipeline, uniqueName('run'), 'worker-c.example 303');
    expect(third).toMatchObject({ runId, holder: COPY_A });

    await releasePipelines(ledger, [{ pipeline, runId }], COPY_A);
    expect(await ledger.pipelineLeases.holderOf(pipeline)).toBeNull();
  });

  it('pass to the second copy once the first stops renewing, which cannot take it back', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    expect(await takePipeline(ledger, pipeline, runId, COPY_A)).toBeNull();
    expect(await takePipeline(ledger, pipeline, runId, COPY_B)).toBeNull();
    // The first copy's last renewal, as it reads 29 s later: 1 s of its lease is left.
    expect(await ledger.pipelineLeases.renew(pipeline, runId, COPY_A, 1000)).toBe(true);

    // Silent that long, its lease is the second copy's at its next renewal.
    // The ledger's clock is this machine's: what follows reads it between these two readings.
    const before = Date.now();
    expect(await renewPipelines(ledger, [{ pipeline, runId }], COPY_B)).toEqual([]);
    expect((await ledger.pipelineLeases.holderOf(pipeline))?.holder).toBe(COPY_B);
    // The first copy renewing again, or ending, changes nothing of it.
    expect(await renewPipelines(ledger, [{ pipeline, runId }], COPY_A)).toEqual([]);
    expect((await ledger.pipelineLeases.holderOf(pipeline))?.holder).toBe(COPY_B);
    await releasePipelines(ledger, [{ pipeline, runId }], COPY_A);
    const held = await ledger.pipelineLeases.holderOf(pipeline);
    const after = Date.now();
    expect(held).toMatchObject({ runId, holder: COPY_B });
    // A whole lease of its own from its renewal, not what was left of the first copy's: less only
    // what went by since (2 ms for the clocks' readings cut to whole ms).
    expect(held!.until.getTime() - held!.readAt.getTime()).toBeGreaterThanOrEqual(
      PIPELINE_LEASE_MS - (after - before) - 2,
    );

    await releasePipelines(ledger, [{ pipeline, runId }], COPY_B);
    expect(await ledger.pipelineLeases.holderOf(pipeline)).toBeNull();
    // Let go, the run holds it no more: a copy renewing after that has lost it.
    expect(await renewPipelines(ledger, [{ pipeline, runId }], COPY_A)).toEqual([pipeline]);
  });
});
