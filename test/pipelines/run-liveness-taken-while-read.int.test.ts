/**
 * Which runs an unfinished extract job works (runsWithExtractJob) was read a page of 500 at a
 * time, oldest first, by position. Workers take the oldest waiting jobs meanwhile: every job taken
 * before the next page moved the jobs still waiting that many places nearer the start, and as many
 * of them were read by no page, though still waiting. Their runs were said to have no extract job:
 * `status` showed such a run abandoned, and a sweep's recovery queued its extraction again beside
 * the job still waiting to do it. The jobs are taken here right after the first read of `waiting`,
 * as a worker's loop takes them.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runsWithExtractJob } from '../../pipelines/run-liveness.js';
import { afterFirstRead } from '../support/after-first-read.js';
import { queueTakenByHand } from '../support/hand-taken-queue.js';

const PREFIX = `lb-liveness-taken-${randomUUID()}`;
/** More waiting extract jobs than one page of the read (500). */
const JOBS = 1000;
/** Jobs the workers take while the runs are read. */
const TAKEN = 100;

describe('extract jobs taken by workers while the runs they work are read', () => {
  const { queue, worker } = queueTakenByHand('extract', PREFIX);

  /** Right after the first read of `waiting` (ids or whole jobs), the workers take the `TAKEN` oldest. */
  function takenAfterFirstWaitingRead(): void {
    const waiting = (types: unknown) => Array.isArray(types) && types[0] === 'waiting';
    afterFirstRead(queue, waiting, async () => {
      for (let i = 0; i < TAKEN; i++) {
        if (!(await worker.getNextJob(randomUUID(), { block: false }))) throw new Error('no job taken');
      }
      expect(await queue.getActiveCount()).toBe(TAKEN);
    });
  }

  it('counts the run of every extract job still waiting or taken', async () => {
    const runs = Array.from({ length: JOBS }, (_, i) => `run-${randomUUID()}-${i}`);
    await queue.addBulk(
      runs.map((runId) => ({ name: 'extract', data: { pipeline: 'p', runId, full: false } })),
    );
    expect(await queue.getWaitingCount()).toBe(JOBS);
    takenAfterFirstWaitingRead();
    const held = await runsWithExtractJob(queue);
    expect(runs.filter((r) => !held.has(r))).toEqual([]);
  });
});
