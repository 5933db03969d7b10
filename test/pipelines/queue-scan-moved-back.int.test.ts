/**
 * A scan of a queue's unfinished jobs (pipelines/queue-scan.ts) reads one state after another. A
 * job can go back from `active` to `waiting` while it reads: a platform's Retry-After puts a
 * deliver job back (BullMQ's rate limit), and the stalled check puts back a dead worker's job. Read
 * `waiting` first and `active` after, a job moved back in between was in neither, and a sweep
 * asking which owed versions a job holds (heldVersionIds) queued them a second time: a second
 * chain of jobs for a platform that asked every caller to wait. The move is made here at that
 * moment, with the call BullMQ's rate limit makes.
 */
import { randomUUID } from 'node:crypto';
import { type Job, Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { heldVersionIds, queueHoldsPipeline } from '../../pipelines/sweep.js';
import { obliterate } from '../support/demo-workspace.js';

const PREFIX = `lb-scan-${randomUUID()}`;
const connection = { host: '127.0.0.1', port: 6379 };

describe('a job put back to wait while its queue is scanned', () => {
  let queue: Queue;
  let worker: Worker;

  beforeAll(async () => {
    queue = new Queue('deliver-province', { connection, prefix: PREFIX });
    // No processor: jobs are taken by hand, as a worker's main loop takes them.
    worker = new Worker('deliver-province', null, { connection, prefix: PREFIX, lockDuration: 60_000 });
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await obliterate(PREFIX);
  });

  /** A job of pipeline `p` holding `versionIds`, taken by the worker (active) under `token`. */
  async function active(versionIds: number[], token: string): Promise<Job> {
    await queue.add('deliver', { pipeline: 'p', runId: 'r', target: 'province', versionIds });
    const job = await worker.getNextJob(token, { block: false });
    if (!job) throw new Error('no job taken');
    expect(await job.getState()).toBe('active');
    return job;
  }

  /** Moves `job` back to wait right after the scan has read the `waiting` jobs. */
  function movedBackAfterWaitingRead(job: Job, token: string) {
    const read = queue.getRanges.bind(queue);
    return vi.spyOn(queue, 'getRanges').mockImplementation(async (...args) => {
      const ids = await read(...args);
      const [types] = args;
      if (Array.isArray(types) && types[0] === 'waiting' && (await job.getState()) === 'active')
        await job.moveToWait(token);
      return ids;
    });
  }

  it('is still found holding its versions', async () => {
    const token = randomUUID();
    const job = await active([1, 2, 3], token);
    const spy = movedBackAfterWaitingRead(job, token);
    try {
      const held = await heldVersionIds(queue, 'p', [1, 2, 3, 4]);
      expect(await job.getState()).toBe('waiting');
      expect([...held].sort((a, b) => a - b)).toEqual([1, 2, 3]);
    } finally {
      spy.mockRestore();
      await job.remove();
    }
  });

  it('still holds its pipeline', async () => {
    const token = randomUUID();
    const job = await active([7], token);
    const spy = movedBackAfterWaitingRead(job, token);
    try {
      expect(await queueHoldsPipeline(queue, 'p')).toBe(true);
    } finally {
      spy.mockRestore();
      // Met while active, the scan stops there and the job is still this test's.
      if ((await job.getState()) === 'active') await job.moveToWait(token);
      await job.remove();
    }
  });
});
