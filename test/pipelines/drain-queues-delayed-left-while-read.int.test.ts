/**
 * Emptying its queues, `licbridge run` read the delayed jobs 1,000 at a time by position, earliest
 * first. A delayed job that left the list between two reads (its time came and a worker promoted
 * it, or it was removed) moved every job after it a place nearer the start, and the first of them
 * was read by no page. With more than 1,000 delayed jobs, an ended run's job past them was neither
 * promoted nor counted: the drain called the queues empty and left it delayed, with no worker to
 * take it. The job leaves here right after the drain's first read of the delayed list.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { bullmq } from '../../pipelines/bullmq.js';
import { drainQueues } from '../../pipelines/drain-queues.js';
import { afterFirstRead } from '../support/after-first-read.js';

const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const HOUR = 3_600_000;
/** Delayed jobs kept to their time, one read's worth. */
const KEPT = 1000;

describe('a delayed job leaving while a drain reads the delayed list', () => {
  const prefix = `test-${randomUUID()}`;
  const queue = new bullmq.Queue('sign', { connection, prefix });
  beforeAll(async () => {
    await queue.waitUntilReady();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  /** Right after the first read of the delayed list (ids or whole jobs), the earliest kept job leaves. */
  function leavesAfterFirstDelayedRead(): void {
    const delayed = (types: unknown) => (Array.isArray(types) ? types : [types]).includes('delayed');
    afterFirstRead(queue, delayed, async () => {
      await queue.remove('kept-0');
      expect(await queue.getDelayedCount()).toBe(KEPT);
    });
  }

  it("promotes an ended run's job behind them, and does not call the queues empty", async () => {
    const kept = Array.from({ length: KEPT }, (_, i) => ({
      name: 'sign',
      data: { runId: 'running' },
      opts: { jobId: `kept-${i}`, delay: HOUR },
    }));
    await queue.addBulk(kept);
    await queue.add('sign', { runId: 'ended' }, { jobId: 'ended-1', delay: 2 * HOUR });
    expect(await queue.getDelayedCount()).toBe(KEPT + 1);
    leavesAfterFirstDelayedRead();
    const keep = async (job: Job) => (job.data as { runId: string }).runId === 'running';
    // No worker takes the promoted job: the drain, finding it waiting, runs out its time.
    const emptied = await drainQueues([queue], 1000, createLogger({ level: 'silent' }), keep);
    expect(await queue.getJobState('ended-1')).toBe('waiting');
    expect(emptied).toBe(false);
    expect(await queue.getDelayedCount()).toBe(KEPT - 1);
  }, 60_000);
});
