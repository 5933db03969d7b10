/**
 * A scheduled run's extract job whose worker was starved past its lock: BullMQ's stalled check
 * hands the job to a second worker, which takes the run's pipeline lease (the same run) and reads,
 * while the first copy still runs. The first copy, finishing, let the pipeline's lease go — the
 * lease is the run's, not the copy's — and left the second copy reading with no lease: a third
 * extraction (the next firing, a `licbridge run`) could start beside it. Only the copy that still
 * holds the job lets the lease go now; the second copy does when it ends.
 */

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { takePipeline } from '../../pipelines/pipeline-lease.js';
import { SCHEDULED } from '../../pipelines/run-liveness.js';
import { staleExtractCopy } from '../support/stale-extract-copy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 40;
const copies = staleExtractCopy(ROWS);

describe("a stalled extract job's first copy ending while its second still reads", () => {
  it("leaves the pipeline's lease to the second copy, which lets it go when it ends", async () => {
    // A scheduled job queued again after it stalled out carries its run id; it takes the lease here.
    const runId = `${SCHEDULED}lease-${randomUUID()}`;
    const { job, ledgerA, ledgerB, endFirst, releaseSecond } = await copies.twoCopies(runId);
    expect((await ledgerB.pipelineLeases.holderOf(PIPELINE))?.runId).toBe(runId);

    // The first copy reads the run to its end; closing its worker waits for it.
    await endFirst();
    expect((await ledgerA.getRun(runId))?.extractedAt).toBeInstanceOf(Date);

    // The second copy still runs: the pipeline is still its run's, and a third extraction is refused.
    expect((await ledgerB.pipelineLeases.holderOf(PIPELINE))?.runId).toBe(runId);
    const third = await takePipeline(ledgerB, PIPELINE, `third-${randomUUID()}`);
    expect(third?.runId).toBe(runId);

    // The second copy, overtaken, waits and finds the run extracted; ending, it lets the lease go.
    releaseSecond();
    await until(async () => (await job.getState()) === 'completed', 40_000, { what: 'the job completed' });
    expect(await ledgerB.pipelineLeases.holderOf(PIPELINE)).toBeNull();
  }, 60_000);
});
