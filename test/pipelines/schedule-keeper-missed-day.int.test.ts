/**
 * A lifecycle tick missed across midnight. Its scheduler lost with Redis (a restart without
 * persistence, a flush) and put back by a worker after midnight — a tick at 23:50, the schedule
 * back at 00:10 — the worker queued the tick of today only once today's time had come (7dd7a1ba),
 * so yesterday's tick was made up by none: the licenses it should have expired stayed `valid` in the
 * ledger and at the platforms until today's tick, nearly a day on, and a reminder due then waited
 * for it too. The worker now queues the tick of the day the schedule last reached; that tick ticks
 * that day when the ledger has it unticked (its expiries, the day recorded, the reminders due now,
 * once), and does nothing when it was ticked before the schedule was lost.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { reinstallMissing } from '../../pipelines/schedule-keeper.js';
import { type ReminderWorkspace, reminderWorkspace } from '../lifecycle/reminders-fixture.js';
import { obliterate } from '../support/demo-workspace.js';

const REDIS = 'redis://127.0.0.1:6379';
const logger = createLogger({ level: 'silent' });
const TODAY = '2031-03-02';
const YESTERDAY = '2031-03-01';
/** 00:10 on TODAY in Asia/Shanghai (the workspace's lifecycle.timeZone): the worker's clock. */
const AFTER_MIDNIGHT = new Date('2031-03-01T16:10:00Z');

/** The workspace's config with the tick at 23:50. */
const lateTick = (config: Readonly<Config>): Readonly<Config> =>
  ({ ...config, lifecycle: { ...config.lifecycle, schedule: '50 23 * * *' } }) as Readonly<Config>;

/** The lifecycle jobs waiting to be taken now (not the scheduler's next tick, delayed). */
const ticksNow = async (queues: QueueSet) =>
  (await queues.lifecycle.getJobs(['waiting', 'prioritized'])).map((j) => j.id as string);

describe('a lifecycle tick whose schedule was put back after midnight', () => {
  const saved = process.env.LICBRIDGE_TODAY;
  let ws: ReminderWorkspace;
  let queues: QueueSet;
  let prefix: string;
  beforeAll(() => {
    process.env.LICBRIDGE_TODAY = TODAY;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = saved;
  });
  const open = async () => {
    ws = await reminderWorkspace();
    prefix = `test-${randomUUID()}`;
    queues = createQueues(queueConnection(REDIS), prefix, ['province'], logger);
  };
  const close = async () => {
    await queues?.close();
    await obliterate(prefix);
    await ws?.close();
  };

  it("is made up as yesterday's: its expiries, the day recorded, its reminders sent now, once", async () => {
    await open();
    try {
      // The last tick that ran was two days ago's (the 28th); yesterday's was missed.
      await lifecycleTick(ws.rt, { today: '2031-02-28' });
      await ws.commit(1, '2031-02-28', { phone: '13912340401' }); // ran out before yesterday
      await ws.commit(2, YESTERDAY, { phone: '13912340402' }); // its last day was yesterday
      await ws.commit(3, '2031-03-08', { phone: '13912340403' }); // 7 days left yesterday, 6 today

      await reinstallMissing(lateTick(ws.config), queues, logger, () => AFTER_MIDNIGHT);
      const jobs = await ticksNow(queues);
      expect(jobs).toEqual([`lifecycle-tick-restored-${YESTERDAY}`]);

      // A worker takes the job (workers/check-workers.ts).
      const done = await lifecycleJob(ws.rt, queues, jobs[0] as string);
      expect(done).toEqual({ today: YESTERDAY, expired: { [ws.pipeline]: 1 } });
      expect((await ws.ledger.lifecycleWatermark(ws.pipeline))?.day).toBe(YESTERDAY);
      // License 3 is reminded now, once, with the days left today; license 2 expires with today's tick.
      expect(ws.messagesOf(1)).toEqual([]);
      expect(ws.messagesOf(2)).toEqual([]);
      expect(ws.messagesOf(3)).toEqual([{ threshold: 7, daysLeft: 6 }]);

      // Taken again (a second worker, a retry): the day is ticked, nothing more goes out.
      expect(await lifecycleJob(ws.rt, queues, jobs[0] as string)).toEqual({ today: YESTERDAY, expired: {} });
      // Today's tick, at 23:50, expires license 2 and reminds nobody again.
      const today = await lifecycleJob(ws.rt, queues, 'repeat:lifecycle-tick:1');
      expect(today).toEqual({ today: TODAY, expired: { [ws.pipeline]: 1 } });
      expect(ws.messagesOf(3)).toHaveLength(1);
      expect(ws.sim.messages()).toHaveLength(1);
    } finally {
      await close();
    }
  }, 60_000);

  it('does nothing when yesterday was ticked before the schedule was lost', async () => {
    await open();
    try {
      await lifecycleTick(ws.rt, { today: YESTERDAY });
      await ws.commit(3, '2031-03-08', { phone: '13912340403' }); // due a reminder since yesterday

      await reinstallMissing(lateTick(ws.config), queues, logger, () => AFTER_MIDNIGHT);
      const jobs = await ticksNow(queues);
      expect(jobs).toEqual([`lifecycle-tick-restored-${YESTERDAY}`]);
      expect(await lifecycleJob(ws.rt, queues, jobs[0] as string)).toEqual({ today: YESTERDAY, expired: {} });
      // Its reminder waits for today's tick at the schedule's time, as any day's does.
      expect(ws.sim.messages()).toEqual([]);
      expect((await ws.ledger.lifecycleWatermark(ws.pipeline))?.day).toBe(YESTERDAY);
    } finally {
      await close();
    }
  }, 60_000);
});
