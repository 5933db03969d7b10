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
import { describe, it } from 'vitest';
import { restoredTickId } from '../../pipelines/lifecycle/restored-tick.js';
import { ticksTheDayOnceTheLedgerReachesIt } from './ledger-behind-tick.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe('a restored tick of a day the ledger has not reached yet', () => {
  const ws = realDayWorkspace();

  it("ticks its own day once the ledger's clock reaches it, not the day before", async () => {
    await ticksTheDayOnceTheLedgerReachesIt(ws, 41, (day) => restoredTickId(day));
  });
});
