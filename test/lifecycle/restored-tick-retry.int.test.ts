/**
 * A restored tick of a past day (restored-tick.ts) whose attempt died after it recorded the day
 * and before it queued that day's `expire` versions (crash point `lifecycle-tick-recorded`, a
 * worker killed) is retried under the same job id. The retry found the day ticked and did nothing:
 * the versions stayed in the ledger only, and the licenses the made-up tick expired reached no
 * platform from it. It queues what the pipelines owe, as a scheduled tick's retry does
 * (`done-today`), and still ticks nothing again.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { restoredTickId } from '../../pipelines/lifecycle/restored-tick.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { obliterate } from '../support/demo-workspace.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe('a restored tick retried after it recorded its day', () => {
  const ws = realDayWorkspace();

  it('queues the versions its first attempt created', async () => {
    const today = lifecycleToday(ws.config)();
    const day = addDays(today, -1);
    await ws.commit(1, addDays(today, -3), { phone: '13912340095' });
    const config = { ...ws.config, queue: { ...ws.config.queue, prefix: `test-${randomUUID()}` } };
    const rt = new Runtime(config, ws.rt.logger);
    const queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province']);
    try {
      // The first attempt: the day's expiries recorded, then the worker died before queuing them.
      const first = await lifecycleTick(rt, { today: day });
      expect(first.pipelines).toEqual([expect.objectContaining({ outcome: 'ticked', expired: 1 })]);
      const owed = first.pipelines[0]?.created.map((c) => c.versionId) ?? [];
      expect(await queues.sign.getJobCounts()).toMatchObject({ waiting: 0 });
      // The retry, under the same job id.
      const done = await lifecycleJob(rt, queues, restoredTickId(day));
      expect(done.today).toBe(day);
      const jobs = await queues.sign.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
      const queued = jobs.flatMap((j) => (j.data as { versionIds?: number[] }).versionIds ?? []);
      expect(queued).toEqual(expect.arrayContaining(owed));
      // Nothing was ticked again.
      expect(await ws.ledger.lifecycleWatermark(ws.pipeline)).toMatchObject({ day, pendingDay: null });
    } finally {
      await queues.close();
      await obliterate(config.queue.prefix);
      await rt.close();
    }
  });
});
