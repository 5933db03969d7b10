/**
 * What a worker installs again (pipelines/schedule-keeper.ts): every scheduler of its config once
 * Redis has lost its data (FLUSHDB on a database of its own), only the missing ones, and never one
 * a newer `licbridge schedule` removed while the worker still runs the config from before.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { keepSchedules, reinstallMissing } from '../../pipelines/schedule-keeper.js';
import { syncSchedules } from '../../pipelines/schedules.js';

const REDIS = 'redis://127.0.0.1:6379/11';
const logger = createLogger({ level: 'silent' });

const config = (pipelines: Record<string, string>) =>
  ({
    pipelines: Object.fromEntries(Object.entries(pipelines).map(([name, schedule]) => [name, { schedule }])),
    reconcile: { schedule: '0 2 * * *' },
    lifecycle: { timeZone: 'Asia/Shanghai', schedule: '5 0 * * *' },
  }) as unknown as Config;

const ids = async (queues: QueueSet): Promise<string[]> => {
  const out: string[] = [];
  for (const q of [queues.extract, queues.reconcile, queues.lifecycle])
    for (const s of await q.getJobSchedulers(0, -1)) out.push(`${s.key} ${s.pattern}`);
  return out.sort();
};

describe('a worker installs again the schedules Redis lost', () => {
  let queues: QueueSet;
  let redis: Redis;
  const before = config({ food: '0 2 * * *', drugs: '0 3 * * *' });
  beforeAll(() => {
    queues = createQueues(queueConnection(REDIS), `test-${randomUUID()}`, []);
    redis = new Redis(REDIS);
  });
  afterAll(async () => {
    await redis.flushdb();
    redis.disconnect();
    await queues.close();
  });

  it('installs every schedule of the config after FLUSHDB, and nothing when none is missing', async () => {
    await syncSchedules(before, queues);
    const installed = await ids(queues);
    await redis.flushdb();
    const done = await reinstallMissing(before, queues, logger);
    expect(done.map((w) => w.id).sort()).toEqual(
      ['schedule-food', 'schedule-drugs', 'reconcile-food', 'reconcile-drugs', 'lifecycle-tick'].sort(),
    );
    expect(await ids(queues)).toEqual(installed);
    expect(await reinstallMissing(before, queues, logger)).toEqual([]);
    expect(await ids(queues)).toEqual(installed);
  });

  it('leaves a schedule a newer `licbridge schedule` removed or changed as that left it', async () => {
    const after = config({ food: '0 4 * * *' });
    await syncSchedules(after, queues);
    const installed = await ids(queues);
    expect(installed).toContain('schedule-food 0 4 * * *');
    expect(installed.some((s) => s.includes('drugs'))).toBe(false);
    // A worker started with the config from before: drugs was removed, not lost; food was moved.
    expect(await reinstallMissing(before, queues, logger)).toEqual([]);
    expect(await ids(queues)).toEqual(installed);
    // One of the newer schedules deleted: installed again, from the worker's config.
    await queues.lifecycle.removeJobScheduler('lifecycle-tick');
    const done = await reinstallMissing(before, queues, logger);
    expect(done.map((w) => w.id)).toEqual(['lifecycle-tick']);
    expect(await ids(queues)).toEqual(installed);
  });

  it('does not bring back a schedule `licbridge schedule` removes while a check is under way', async () => {
    await syncSchedules(before, queues);
    const after = config({ food: '0 2 * * *' });
    const removed = (await ids(queues)).filter((s) => !s.includes('drugs'));
    // The check finds drugs missing just after the newer `licbridge schedule` removed it, having
    // read the record of installed ids before that `licbridge schedule` began.
    const lookup = queues.extract.getJobScheduler.bind(queues.extract);
    const spy = vi.spyOn(queues.extract, 'getJobScheduler').mockImplementation(async (id) => {
      if (id === 'schedule-drugs') {
        spy.mockRestore();
        await syncSchedules(after, queues);
      }
      return lookup(id);
    });
    try {
      expect(await reinstallMissing(before, queues, logger)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect(await ids(queues)).toEqual(removed);
  });

  it('does not bring back a schedule a check finds missing while `licbridge schedule` removes it', async () => {
    await syncSchedules(before, queues);
    const after = config({ food: '0 2 * * *' });
    const removed = (await ids(queues)).filter((s) => !s.includes('drugs'));
    // A whole check runs between `licbridge schedule` removing drugs and that call's end.
    const remove = queues.extract.removeJobScheduler.bind(queues.extract);
    const checks: string[][] = [];
    const spy = vi.spyOn(queues.extract, 'removeJobScheduler').mockImplementation(async (id) => {
      const out = await remove(id);
      checks.push((await reinstallMissing(before, queues, logger)).map((w) => w.id));
      return out;
    });
    try {
      await syncSchedules(after, queues);
    } finally {
      spy.mockRestore();
    }
    expect(checks).toEqual([[]]);
    expect(await ids(queues)).toEqual(removed);
  });

  it('checks again when the connection to Redis is ready after a loss', async () => {
    await syncSchedules(before, queues);
    const installed = await ids(queues);
    // No periodic check in this test's time: only the reconnect can bring them back.
    const keeper = await keepSchedules(before, queues, logger, 3_600_000);
    try {
      await keeper.settled();
      await redis.flushdb();
      expect(await ids(queues)).toEqual([]);
      (await queues.extract.getBackend().client).disconnect(true);
      while ((await ids(queues)).length < installed.length) await new Promise((r) => setTimeout(r, 50));
      await keeper.settled();
      expect(await ids(queues)).toEqual(installed);
    } finally {
      keeper.stop();
    }
  });
});
