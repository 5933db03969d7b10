/**
 * An extract job whose worker was starved past its lock: BullMQ's stalled check hands the job to a
 * second worker, which reads the run, while the first copy still runs. The first copy then fails on
 * what it counts as its job's last attempt. It failed the run in the ledger while the second copy
 * still read it (that copy then stopped at its next page, the run said over). The job is the second
 * copy's: BullMQ refuses the first copy's failure, and the run is left to the copy holding the job.
 */

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SCHEDULED } from '../../pipelines/run-liveness.js';
import { staleExtractCopy } from '../support/stale-extract-copy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 40;
const copies = staleExtractCopy(ROWS);

describe("a stalled extract job's first copy failing on its last attempt while its second still reads", () => {
  it('leaves the run running for the second copy, which reads it to its end', async () => {
    const runId = `${SCHEDULED}last-${randomUUID()}`;
    // One attempt: whatever the first copy fails on, it counts as the job's last.
    const { job, ledgerA, ledgerB, endFirst, releaseSecond } = await copies.twoCopies(runId, {
      firstFails: true,
    });

    // The first copy fails; closing its worker waits for it.
    await endFirst();
    const meanwhile = await ledgerA.getRun(runId);
    expect({ state: meanwhile?.state, error: meanwhile?.error }).toEqual({ state: 'running', error: null });
    // BullMQ kept the job for the second copy: the first copy's failure did not fail it.
    expect(await job.getState()).toBe('active');

    // The second copy reads every page of the run and marks it extracted.
    releaseSecond();
    await until(async () => (await job.getState()) === 'completed', 40_000, { what: 'the job completed' });
    const run = await ledgerB.getRun(runId);
    expect(run?.state).toBe('running');
    expect(run?.extractedAt).toBeInstanceOf(Date);
    expect(run?.read).toBe(ROWS);
    expect(await ledgerB.pipelineLeases.holderOf(PIPELINE)).toBeNull();
  }, 60_000);
});
