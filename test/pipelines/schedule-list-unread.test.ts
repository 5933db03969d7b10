/**
 * `licbridge schedule --list` reads the installed schedulers from Redis after it has reached it.
 * A Redis that then stopped answering held the list with no end (queue commands wait for Redis to
 * come back), and nothing was printed for a monitoring check to read. Each queue is now read within
 * the probe's time, as `status` reads it, and a schedule it could not read is listed as unknown with
 * why (a problem, so the command exits 3), never as not installed.
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { QueueSet } from '../../pipelines/queues.js';
import { listSchedules } from '../../pipelines/schedule-list.js';

const NOW = Date.parse('2026-12-03T10:00:00.000Z');

const config = {
  pipelines: { food: { schedule: '0 2 * * *' } },
  reconcile: { schedule: '0 3 * * *' },
  lifecycle: { timeZone: 'Asia/Shanghai', schedule: '5 0 * * *' },
} as unknown as Config;

const queue = (name: string, getJobSchedulers: () => Promise<unknown>) =>
  ({ name, getJobSchedulers }) as unknown as Queue;

const lifecycleRead = queue('lifecycle', async () => [
  { key: 'lifecycle-tick', pattern: '5 0 * * *', tz: 'Asia/Shanghai', next: NOW + 60_000 },
]);

describe('schedule --list: the installed schedules not read', () => {
  it('a queue Redis stopped answering on, and one it refused: each schedule unknown, with why', async () => {
    const queues = {
      extract: queue('extract', () => new Promise(() => undefined)),
      reconcile: queue('reconcile', () => Promise.reject(new Error('Connection is closed.'))),
      lifecycle: lifecycleRead,
    } as unknown as QueueSet;
    const list = await listSchedules(queues, config, NOW, 50);
    expect(list.map((s) => [s.queue, s.id, s.problem ?? null])).toEqual([
      ['lifecycle', 'lifecycle-tick', null],
      [
        'extract',
        'schedule-food',
        'whether `pipelines.food.schedule` is installed is unknown: the installed schedules could not be read (queues: installed schedules of `extract`: no answer within 50 ms); run `licbridge schedule --list` again once Redis answers',
      ],
      [
        'reconcile',
        'reconcile-food',
        'whether `reconcile.schedule` is installed is unknown: the installed schedules could not be read (Connection is closed.); run `licbridge schedule --list` again once Redis answers',
      ],
    ]);
  });

  it('a queue not read where the config wants no schedule: the queue said unknown', async () => {
    const queues = {
      extract: queue('extract', () => new Promise(() => undefined)),
      reconcile: queue('reconcile', async () => [
        { key: 'reconcile-food', pattern: '0 3 * * *', tz: 'Asia/Shanghai', next: NOW + 60_000 },
      ]),
      lifecycle: queue('lifecycle', async () => []),
    } as unknown as QueueSet;
    const unscheduled = { ...config, pipelines: { food: {} } } as unknown as Config;
    const list = await listSchedules(queues, unscheduled, NOW, 50);
    expect(list.filter((s) => s.queue === 'extract')).toEqual([
      {
        id: '*',
        queue: 'extract',
        pattern: null,
        tz: null,
        next: null,
        problem:
          'whether any schedule of the `extract` queue is installed is unknown: the installed schedules could not be read (queues: installed schedules of `extract`: no answer within 50 ms); run `licbridge schedule --list` again once Redis answers',
      },
    ]);
    // The queues read are still read against the config.
    expect(list.find((s) => s.id === 'reconcile-food')?.problem).toBeUndefined();
    expect(list.find((s) => s.id === 'lifecycle-tick')?.problem).toBe(
      '`lifecycle.schedule` is not installed: run `licbridge schedule`',
    );
  });
});
