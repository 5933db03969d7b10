/**
 * `licbridge status` prints a line per queue. Jobs given a priority sit in BullMQ's `prioritized`
 * set, not in `waiting`, and a paused queue's workers take nothing: the line showed neither, so a
 * queue holding only prioritized jobs, or paused with jobs waiting, read as one with nothing to do
 * or being worked. The line now counts the prioritized jobs and says the queue is paused.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { statusText } from '../../cli/commands/status.js';
import { queueStats } from '../../pipelines/observability/queue-stats.js';
import type { StatusReport } from '../../pipelines/observability/status-types.js';

const queue = new Queue(`test-${randomUUID()}`, { connection: { host: '127.0.0.1', port: 6379 } });

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

const queueLine = async (): Promise<string | undefined> =>
  statusText({
    generatedAt: new Date().toISOString(),
    pipelines: [],
    queues: [await queueStats(queue)],
    attention: [],
    information: [],
  } as unknown as StatusReport)
    .split('\n')
    .find((l) => l.startsWith(`queue ${queue.name}:`));

describe('status: the queue line', () => {
  it('counts prioritized jobs, and says a paused queue is paused', async () => {
    await queue.add('extract', { pipeline: 'food' }, { priority: 5 });
    await queue.add('extract', { pipeline: 'food' }, { priority: 7 });
    expect(await queueLine()).toBe(
      `queue ${queue.name}: waiting 0, prioritized 2, active 0, delayed 0, failed 0, completed 0; workers 0`,
    );

    await queue.pause();
    await queue.add('extract', { pipeline: 'food' });
    expect(await queueLine()).toBe(
      `queue ${queue.name}: paused; waiting 1, prioritized 2, active 0, delayed 0, failed 0, completed 0; workers 0`,
    );
  });
});
