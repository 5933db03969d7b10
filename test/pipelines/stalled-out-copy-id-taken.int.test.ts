/**
 * A job that stalled out is queued again as `<id>-stalled-1`. Retried by hand, the first job keeps
 * its data, so stalling out again it was queued again as `<id>-stalled-1` once more: BullMQ ignores
 * an add under an id it still keeps, saying nothing, and the tick was told queued again while no
 * job held it. The copy now goes under the next id the queue does not keep.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmq } from '../../pipelines/bullmq.js';
import { LIFECYCLE_QUEUE, type LifecycleJobData, type QueueSet } from '../../pipelines/queues.js';
import { settleStalledLifecycle } from '../../pipelines/workers/stalled-checks.js';

const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

describe('a stalled-out job retried by hand that stalls out again', () => {
  const prefix = `test-${randomUUID()}`;
  const queue = new bullmq.Queue<LifecycleJobData>(LIFECYCLE_QUEUE, { connection, prefix });
  const queues = { lifecycle: queue } as unknown as QueueSet;
  beforeAll(async () => {
    await queue.waitUntilReady();
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('is queued again under an id the queue does not keep, and is there', async () => {
    const job = await queue.add('lifecycle', { stops: 1 }, { jobId: 'tick-1' });
    // The copy its first stall-out queued, kept by the queue.
    await queue.add('lifecycle', { stops: 1 }, { jobId: 'tick-1-stalled-1' });
    const outcome = await settleStalledLifecycle(queues, LIFECYCLE_QUEUE, job);
    expect(outcome).toEqual({ kind: 'requeued', jobId: 'tick-1-stalled-2' });
    const copy = await queue.getJob('tick-1-stalled-2');
    expect(copy?.data).toEqual({ stops: 1, stalledOut: 1 });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 3 });
  });
});
