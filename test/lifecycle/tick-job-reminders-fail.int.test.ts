/**
 * The scheduled tick records the day's expiries, sends the day's reminders, then queues what the
 * ticked pipelines owe. A reminder step that threw (the ledger failing a read of pending
 * reminders, a failure of any step of theirs) failed the job before the queuing: the licenses the
 * tick had just expired stayed in the ledger only, and each retry, `done-today`, threw at the
 * same step again, so none of them reached the platforms from the tick. The expiries are now
 * queued once they are recorded, before the reminders; the job still fails so that its retry
 * sends the reminders.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { Runtime } from '../../pipelines/runtime.js';
import { realDayWorkspace, tickJobQueues } from './reminders-fixture.js';

describe('the scheduled tick whose reminders fail', () => {
  const ws = realDayWorkspace();

  it('queues the day’s expiries before the reminders, and still fails for its retry', async () => {
    const today = lifecycleToday(ws.config)();
    await ws.commit(21, addDays(today, -1), { phone: '13912340081' });
    await ws.commit(22, addDays(today, 3), { phone: '13912340082' });
    const { config, queues, close } = tickJobQueues(ws);
    const rt = new Runtime(config, createLogger({ level: 'silent' }));
    try {
      const ledger = await rt.ledger();
      ledger.reminders.pending = async () => {
        throw new Error('ledger: pending reminders failed (a test fault)');
      };
      await expect(lifecycleJob(rt, queues, 'job-1')).rejects.toThrow(/a test fault/);
      expect((await ledger.lifecycleWatermark(ws.pipeline))?.day).toBe(today);
      // The expire version is queued for signing, and so for the platforms.
      const signJobs = await queues.sign.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
      expect(signJobs.length).toBeGreaterThan(0);
    } finally {
      await close();
      await rt.close();
    }
  });
});
