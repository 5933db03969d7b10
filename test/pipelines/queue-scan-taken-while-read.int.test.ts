/**
 * A scan of a queue's unfinished jobs (pipelines/queue-scan.ts) read each state a page at a time,
 * oldest first, by position. Workers take the oldest waiting jobs meanwhile: every job taken
 * before the next page moved the jobs still waiting that many places nearer the start, and as
 * many of them were read by neither page. They were still waiting, so no later state met them
 * either: a sweep asking which owed versions a job holds (heldVersionIds) queued theirs a second
 * time, and a queue holding a pipeline's only job there said it held none of it
 * (queueHoldsPipeline), so a scheduled run queued its deliveries again beside that job. The jobs
 * are taken here, right after the scan's first read of `waiting`, as a worker's loop takes them.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { heldVersionIds, queueHoldsPipeline } from '../../pipelines/sweep.js';
import { queueTakenByHand } from '../support/hand-taken-queue.js';

const PREFIX = `lb-scan-taken-${randomUUID()}`;
/** More waiting jobs than one page of a scan (500). */
const JOBS = 1000;
/** Jobs the workers take while the scan reads. */
const TAKEN = 100;

describe('jobs taken by workers while their queue is scanned', () => {
  const { queue, worker } = queueTakenByHand('deliver-city', PREFIX);

  /** Waiting jobs `0..JOBS-1`, job `i` holding version `i + 1` of the pipeline `pipelineOf(i)`. */
  async function waiting(pipelineOf: (i: number) => string): Promise<void> {
    await queue.addBulk(
      Array.from({ length: JOBS }, (_, i) => ({
        name: 'deliver',
        data: { pipeline: pipelineOf(i), runId: 'r', target: 'city', versionIds: [i + 1] },
      })),
    );
    expect(await queue.getWaitingCount()).toBe(JOBS);
  }

  /** Right after the scan's first read of `waiting`, the workers take the `TAKEN` oldest jobs. */
  function takenAfterFirstWaitingRead(): void {
    const read = queue.getRanges.bind(queue);
    let done = false;
    vi.spyOn(queue, 'getRanges').mockImplementation(async (...args) => {
      const ids = await read(...args);
      const [types] = args;
      if (!done && Array.isArray(types) && types[0] === 'waiting') {
        done = true;
        for (let i = 0; i < TAKEN; i++) {
          if (!(await worker.getNextJob(randomUUID(), { block: false }))) throw new Error('no job taken');
        }
        expect(await queue.getActiveCount()).toBe(TAKEN);
      }
      return ids;
    });
  }

  it('finds every owed version a job holds', async () => {
    await waiting(() => 'p');
    const owed = Array.from({ length: JOBS }, (_, i) => i + 1);
    takenAfterFirstWaitingRead();
    const held = await heldVersionIds(queue, 'p', owed);
    expect(owed.filter((id) => !held.has(id))).toEqual([]);
  });

  it("finds a pipeline's only job among the others", async () => {
    // The job of `p` is one of those a second page by position stepped over.
    await waiting((i) => (i === 550 ? 'p' : 'other'));
    takenAfterFirstWaitingRead();
    expect(await queueHoldsPipeline(queue, 'p')).toBe(true);
  });
});
