/**
 * Emptying its queues, `licbridge run` read the first 1,000 delayed jobs of each queue a pass. Jobs
 * kept to their time (a running run's, or promoted once already) ahead of the rest filled that
 * read: the drain counted nothing left and ended, and a job past them, of a run that had ended,
 * was neither promoted nor counted — left delayed, with no worker, and the drain said the queues
 * were empty. Every delayed job is read now.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { bullmq } from '../../pipelines/bullmq.js';
import { drainQueues } from '../../pipelines/drain-queues.js';

const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const HOUR = 3_600_000;

describe('a drain with more delayed jobs than one read', () => {
  const prefix = `test-${randomUUID()}`;
  const queue = new bullmq.Queue('sign', { connection, prefix });
  beforeAll(async () => {
    await queue.waitUntilReady();
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it("promotes an ended run's job behind 1,000 jobs kept to their time, and does not call the queues empty", async () => {
    const kept = Array.from({ length: 1000 }, (_, i) => ({
      name: 'sign',
      data: { runId: 'running' },
      opts: { jobId: `kept-${i}`, delay: HOUR },
    }));
    await queue.addBulk(kept);
    await queue.add('sign', { runId: 'ended' }, { jobId: 'ended-1', delay: 2 * HOUR });
    const keep = async (job: Job) => (job.data as { runId: string }).runId === 'running';
    // No worker takes the promoted job: the drain, finding it waiting, runs out its time.
    const emptied = await drainQueues([queue], 1000, createLogger({ level: 'silent' }), keep);
    expect(await queue.getJobState('ended-1')).toBe('waiting');
    expect(emptied).toBe(false);
    expect(await queue.getDelayedCount()).toBe(1000);
  }, 60_000);
});
