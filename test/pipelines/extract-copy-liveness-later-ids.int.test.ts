/**
 * A run's extract job that stalled out is queued again as `<id>-stalled-1`, or, that id kept by the
 * queue (a copy retried by hand, stalled out again), as the next `<id>-stalled-<n>` it does not keep
 * (workers/stalled-out.ts). Only `-stalled-1` was asked after: a copy under a later id, waiting or
 * working, was no job of its run's, and the run was closed as orphaned beside it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ownExtractJobUnfinished, SCHEDULED } from '../../pipelines/run-liveness.js';
import { REQUEUE_IDS, requeuedJobId, STALL_REQUEUES } from '../../pipelines/workers/stalled-out.js';
import { useExtractQueue } from './extract-queue.js';

describe('an extract job queued again after it stalled out, under a later id', () => {
  const queue = useExtractQueue();

  it("is the run's own unfinished job while it waits as -stalled-2", async () => {
    const runId = randomUUID();
    await queue.add(
      'extract',
      { pipeline: 'p', runId, full: false },
      { jobId: `extract_${runId}-stalled-2` },
    );
    expect(await ownExtractJobUnfinished(queue, runId)).toBe(true);
  });

  it("is a scheduled run's own unfinished job under the last id a copy is given", async () => {
    const jobId = `repeat:pipeline-${randomUUID()}:1796170000000`;
    const runId = `${SCHEDULED}${jobId}`;
    const last = requeuedJobId(jobId, STALL_REQUEUES + REQUEUE_IDS);
    await queue.add('extract', { pipeline: 'p', runId, full: false }, { jobId: last });
    expect(await ownExtractJobUnfinished(queue, runId)).toBe(true);
  });

  it("is not another run's job", async () => {
    const runId = randomUUID();
    await queue.add('extract', { pipeline: 'p', full: false }, { jobId: `extract_${runId}x-stalled-3` });
    expect(await ownExtractJobUnfinished(queue, runId)).toBe(false);
  });
});
