/**
 * Emptying its queues once its work is done, `licbridge run` waited up to `drainTimeoutMs` (30 s)
 * for jobs still queued even after a signal asked it to stop: the stop began only after. A stop
 * now ends the wait, and the jobs left are the next run's.
 */
import type { Queue } from 'bullmq';
import { expect, it, vi } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { ANSWER_MIN_MS } from '../../core/within.js';
import { drainQueues } from '../../pipelines/drain-queues.js';

/** A queue that always holds one waiting job nobody takes. */
function busyQueue(): { queue: Queue; reads: () => number } {
  let reads = 0;
  const queue = {
    getJobCounts: async () => {
      reads += 1;
      return { waiting: 1, prioritized: 0, active: 0 };
    },
    getRanges: async () => [],
  } as unknown as Queue;
  return { queue, reads: () => reads };
}

it('stops waiting for the queues once the run is asked to stop', async () => {
  const { queue, reads } = busyQueue();
  const stop = new AbortController();
  // Far longer than the test may take: only the stop can end this wait.
  const drained = drainQueues([queue], 3_600_000, createLogger({ level: 'silent' }), undefined, stop.signal);
  while (reads() < 2) await new Promise((r) => setTimeout(r, 10));
  stop.abort('SIGTERM');
  await expect(drained).resolves.toBe(false);
});

it('does not read the queues at all when the stop came first', async () => {
  const { queue, reads } = busyQueue();
  const stop = new AbortController();
  stop.abort('SIGINT');
  await expect(
    drainQueues([queue], 3_600_000, createLogger({ level: 'silent' }), undefined, stop.signal),
  ).resolves.toBe(false);
  expect(reads()).toBe(0);
});

it('ends, its jobs left to the next run, when Redis does not answer a look', async () => {
  // A Redis that took the command and never answers: BullMQ waits for good.
  const silent = {
    getJobCounts: () => new Promise(() => undefined),
    getDelayed: async () => [],
  } as unknown as Queue;
  vi.useFakeTimers();
  try {
    let drained: boolean | undefined;
    void drainQueues([silent], 1000, createLogger({ level: 'silent' })).then((d) => {
      drained = d;
    });
    // Given the least a step on Redis is given, however short the drain's time.
    await vi.advanceTimersByTimeAsync(ANSWER_MIN_MS - 1);
    expect(drained).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(drained).toBe(false);
  } finally {
    vi.useRealTimers();
  }
});

it('stops waiting on a look Redis does not answer once the run is asked to stop', async () => {
  let looked = false;
  // A Redis that took the command and never answers: only the stop can end this wait.
  const silent = {
    getJobCounts: () => {
      looked = true;
      return new Promise(() => undefined);
    },
    getDelayed: async () => [],
  } as unknown as Queue;
  const stop = new AbortController();
  const drained = drainQueues([silent], 3_600_000, createLogger({ level: 'silent' }), undefined, stop.signal);
  expect(looked).toBe(true);
  stop.abort('SIGTERM');
  await expect(drained).resolves.toBe(false);
});
