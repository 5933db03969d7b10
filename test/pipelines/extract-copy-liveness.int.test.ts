/**
 * A run's extract job that stalled out is queued again as `<id>-stalled-1` (workers/stalled-extract.ts).
 * While that copy waits or works, the run is not orphaned: asked of the job itself
 * (`ownExtractJobUnfinished`), the copy counts as the run's own job, for a started run and a
 * scheduled one alike.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ownExtractJobUnfinished, SCHEDULED } from '../../pipelines/run-liveness.js';
import { useExtractQueue } from './extract-queue.js';

describe('an extract job queued again after it stalled out', () => {
  const queue = useExtractQueue();

  it("is the run's own unfinished job while it waits", async () => {
    const runId = randomUUID();
    expect(await ownExtractJobUnfinished(queue, runId)).toBe(false);
    await queue.add(
      'extract',
      { pipeline: 'p', runId, full: false },
      { jobId: `extract_${runId}-stalled-1` },
    );
    expect(await ownExtractJobUnfinished(queue, runId)).toBe(true);
  });

  it("is a scheduled run's own unfinished job too", async () => {
    // A job scheduler's job id: `repeat:<scheduler id>:<time>` (BullMQ).
    const jobId = `repeat:pipeline-${randomUUID()}:1796170000000`;
    const runId = `${SCHEDULED}${jobId}`;
    expect(await ownExtractJobUnfinished(queue, runId)).toBe(false);
    await queue.add('extract', { pipeline: 'p', runId, full: false }, { jobId: `${jobId}-stalled-1` });
    expect(await ownExtractJobUnfinished(queue, runId)).toBe(true);
  });
});
