/**
 * A sweep asks which of the versions the ledger says are owed (at most 100,000 a stage) the
 * unfinished jobs of the pipeline hold. It read every job of the queue to its end and kept every
 * version id they held: behind a slow signer or platform with a backlog larger than one sweep's
 * share, a set of all of it (a million ids) at every sweep, every job's data read again. Only the
 * owed ids are kept now, and the scan stops once each is found.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { heldVersionIds } from '../../pipelines/sweep.js';
import { obliterate } from '../support/demo-workspace.js';

const PREFIX = `lb-held-${randomUUID()}`;
const JOBS = 1200;
const PER_JOB = 3;

describe('the versions a queue holds, for a sweep', () => {
  let queue: Queue;

  beforeAll(async () => {
    queue = new Queue('sign', { connection: { host: '127.0.0.1', port: 6379 }, prefix: PREFIX });
    // Jobs of three versions each, oldest first; every tenth of another pipeline.
    const jobs = Array.from({ length: JOBS }, (_, i) => ({
      name: 'sign',
      data: {
        pipeline: i % 10 === 9 ? 'other' : 'p',
        runId: 'r',
        versionIds: Array.from({ length: PER_JOB }, (_, k) => i * PER_JOB + k + 1),
      },
      opts: { jobId: `s${i}` },
    }));
    for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
  }, 60_000);

  afterAll(async () => {
    await queue?.close();
    await obliterate(PREFIX);
  });

  it('keeps only the owed ids the pipeline holds, and reads no job past the last of them', async () => {
    // Owed: versions of the first 100 jobs (one of another pipeline's among them), and two no job holds.
    const owed = [1, 2, 3, 31, 32, 301, 28, 29, 10_000_000, 10_000_001];
    const client = await queue.getBackend().client;
    const reads = vi.spyOn(client, 'hget');
    try {
      const held = await heldVersionIds(queue, 'p', owed);
      expect([...held].sort((a, b) => a - b)).toEqual([1, 2, 3, 31, 32, 301]);
      // 28 and 29 are held by a job of the other pipeline (the tenth); the ids no job holds keep the scan going to the end.
      expect(reads.mock.calls.length).toBe(JOBS);

      reads.mockClear();
      const found = await heldVersionIds(queue, 'p', [1, 2, 3, 31, 32, 301]);
      expect(found.size).toBe(6);
      // All found in the first page of 500 jobs: the other 700 are not read.
      expect(reads.mock.calls.length).toBe(500);
    } finally {
      reads.mockRestore();
    }
  }, 60_000);
});
