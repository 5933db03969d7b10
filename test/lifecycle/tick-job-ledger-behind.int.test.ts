/**
 * The scheduled tick of a day, fired at the very start of it (`lifecycle.schedule: "0 0 * * *"`) by
 * a worker whose clock is a little ahead of the ledger's: the tick tells its day by the ledger's
 * clock (tick.ts), which still read the day before, so the tick took itself for a second tick of
 * that day (`done-today`), expired nothing, and the day's expiries waited for the next day's tick
 * (a reminder due on their last day, a 0 threshold, never went out). The job's id names the time
 * the scheduler fired it for (`repeat:lifecycle-tick:<ms>`, BullMQ's job schedulers): the tick now
 * waits for the ledger's clock to reach that day, then ticks it. The ledger's clock is played by
 * its first readings, a moment before the ledger's midnight; the database keeps its own time.
 */
import { describe, expect, it, vi } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { startOfLocalDay } from '../../pipelines/lifecycle/calendar.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { Runtime } from '../../pipelines/runtime.js';
import { LIFECYCLE_SCHEDULER_ID } from '../../pipelines/schedules.js';
import { ticksTheDayOnceTheLedgerReachesIt, ZONE } from './ledger-behind-tick.js';
import { realDayWorkspace, tickJobQueues } from './reminders-fixture.js';

describe('the scheduled tick fired at midnight by a worker ahead of the ledger', () => {
  const ws = realDayWorkspace();

  it("ticks the day it was fired for once the ledger's clock reaches it", async () => {
    await ticksTheDayOnceTheLedgerReachesIt(
      ws,
      31,
      (_, midnight) => `repeat:${LIFECYCLE_SCHEDULER_ID}:${midnight}`,
    );
  });

  it("names the ledger's day when it gives up waiting for it", async () => {
    const day = localDate(ZONE, await ws.ledger.lostTicks.now());
    const { config, queues, close } = tickJobQueues(ws);
    const logger = createLogger({ level: 'silent' });
    const warn = vi.spyOn(logger, 'warn');
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const midnight = startOfLocalDay(day, ZONE).getTime();
      const behind = startOfLocalDay(addDays(day, -1), ZONE).getTime() - 40;
      // The worker's clock two days ahead of the ledger's: read once two days behind, by which time
      // the wait is over (Date.now past its bound); then as it goes on, the wait given up.
      const now = ledger.lostTicks.now.bind(ledger.lostTicks);
      const realNow = Date.now.bind(Date);
      let readings = 0;
      vi.spyOn(ledger.lostTicks, 'now').mockImplementation(async () => {
        readings += 1;
        if (readings > 1) return now();
        const waitOver = realNow() + 6 * 60_000;
        vi.spyOn(Date, 'now').mockImplementation(() => (readings === 1 ? waitOver : realNow()));
        return new Date(behind);
      });
      await lifecycleJob(rt, queues, `repeat:${LIFECYCLE_SCHEDULER_ID}:${midnight}`);
      const lines = warn.mock.calls.map((c) => String(c[1]));
      const givenUp = lines.find((l) => l.includes("found the ledger's clock"));
      expect(givenUp).toContain(`the tick of ${day} found the ledger's clock on ${addDays(day, -2)}`);
    } finally {
      vi.restoreAllMocks();
      await close();
      await rt.close();
    }
  });
});
