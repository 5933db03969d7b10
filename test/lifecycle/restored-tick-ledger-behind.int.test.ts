/**
 * A tick a worker queued when it put the lost lifecycle schedule back (`lifecycle-tick-restored-<day>`,
 * restored-tick.ts), of the day whose tick time its own clock had just reached, taken up while the
 * ledger's clock still read the day before: a worker whose clock is a little ahead of the ledger's,
 * Redis back with no schedule just after midnight (`lifecycle.schedule: "0 0 * * *"`). The job
 * stands in for that day's scheduled tick, which the schedule put back no longer fires (BullMQ
 * gives it its next tick only). It ticked the ledger's day, found it ticked (`done-today`) and
 * expired nothing: the day's expiries stayed valid in the ledger and at the platforms until the
 * next day's tick, and a reminder due on their last day never went out. It now waits for the
 * ledger's clock to reach its day, as the scheduled tick does (tick-job-ledger-behind), then
 * ticks it. The ledger's clock is played by its first readings, a moment before its midnight.
 */
import { describe, expect, it, vi } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { startOfLocalDay } from '../../pipelines/lifecycle/calendar.js';
import { restoredTickId } from '../../pipelines/lifecycle/restored-tick.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { Runtime } from '../../pipelines/runtime.js';
import { realDayWorkspace, tickJobQueues } from './reminders-fixture.js';

const ZONE = 'Asia/Shanghai';

describe('a restored tick of a day the ledger has not reached yet', () => {
  const ws = realDayWorkspace();

  it("ticks its own day once the ledger's clock reaches it, not the day before", async () => {
    const day = localDate(ZONE, await ws.ledger.lostTicks.now());
    // Valid through yesterday: the tick of `day` expires it.
    await ws.commit(41, addDays(day, -1), { phone: '13912340141' });
    // Yesterday's tick ran: its day is recorded.
    await lifecycleTick(ws.rt, { today: addDays(day, -1) });
    const { config, queues, close } = tickJobQueues(ws);
    const rt = new Runtime(config, createLogger({ level: 'silent' }));
    try {
      const ledger = await rt.ledger();
      const midnight = startOfLocalDay(day, ZONE).getTime();
      // The ledger's clock, read first three times 40 ms before its midnight; then as it goes on.
      const now = ledger.lostTicks.now.bind(ledger.lostTicks);
      let readings = 0;
      // The day the watermark read when the ledger's clock first reached `day`: nothing may have
      // ticked while the ledger still read the day before (not `day` at once, as a rehearsal).
      let markAtMidnight: string | null | undefined;
      vi.spyOn(ledger.lostTicks, 'now').mockImplementation(async () => {
        readings += 1;
        if (readings <= 3) return new Date(midnight - 40);
        if (readings === 4) markAtMidnight = (await ledger.lifecycleWatermark(ws.pipeline))?.day;
        return now();
      });
      const done = await lifecycleJob(rt, queues, restoredTickId(day));
      expect(done.today).toBe(day);
      expect(done.expired).toEqual({ [ws.pipeline]: 1 });
      const state = (await ledger.reminders.licenseStates([ws.licenseId(41)])).get(ws.licenseId(41));
      expect(state?.status).toBe('expired');
      expect((await ledger.lifecycleWatermark(ws.pipeline))?.day).toBe(day);
      expect(markAtMidnight).toBe(addDays(day, -1));
    } finally {
      vi.restoreAllMocks();
      await close();
      await rt.close();
    }
  });
});
