/**
 * A tick job of a day the ledger's clock has not reached when the job is taken up (fired at
 * midnight by a worker a little ahead of the ledger, or a restored tick such a worker queued just
 * after it) waits for that day and ticks it (tick-job.ts). Given up, it was recorded lost for the
 * day before, the ledger's day when it was taken up: `status` named a day whose tick had not
 * failed, and a tick of that day — the `lifecycle run --today` its finding invites — settled the
 * loss while the lost day's expiries were still undone. It is recorded lost for the day it ticks.
 * The ledger's clock is played by `lostTicks.now`, a moment before its midnight and then after it;
 * the database keeps its own time.
 */
import { describe, expect, it, vi } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
import { startOfLocalDay } from '../../pipelines/lifecycle/calendar.js';
import { recordLostTick } from '../../pipelines/lifecycle/lost-ticks.js';
import { restoredTickId } from '../../pipelines/lifecycle/restored-tick.js';
import { lifecycleSettings } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { LIFECYCLE_SCHEDULER_ID } from '../../pipelines/schedules.js';
import { realDayWorkspace } from './reminders-fixture.js';

const KINDS = [
  {
    kind: 'scheduled',
    jobId: (_day: string, midnight: number) => `repeat:${LIFECYCLE_SCHEDULER_ID}:${midnight}`,
  },
  { kind: 'restored', jobId: (day: string) => restoredTickId(day) },
];

describe.each(KINDS)('a $kind tick of the day the ledger has not reached, given up', ({ jobId }) => {
  const ws = realDayWorkspace();

  it('is lost for the day it ticks, and settled by a tick of that day only', async () => {
    const zone = lifecycleSettings(ws.rt.config).timeZone;
    const day = localDate(zone, await ws.ledger.lostTicks.now());
    const next = addDays(day, 1);
    const midnight = startOfLocalDay(next, zone).getTime();
    // Valid through `day`: the tick of the next day expires it.
    await ws.commit(41, day, { phone: '13912340141' });
    const id = jobId(next, midnight);
    const ledgerNow = vi.spyOn(ws.ledger.lostTicks, 'now');
    try {
      // Taken up two seconds before the ledger's midnight; the worker's clock is whatever it is.
      ledgerNow.mockResolvedValue(new Date(midnight - 2_000));
      await recordLostTick(ws.rt, { id, processedOn: Date.now() }, 'given up');
      const lost = (await ws.ledger.lostTicks.unsettled()).find((t) => t.jobId === id);
      expect(lost?.day).toBe(next);

      // The ledger past its midnight: a tick of the day before, started after the loss, did not
      // tick the lost day and leaves the loss waiting.
      ledgerNow.mockResolvedValue(new Date(midnight + 60_000));
      await lifecycleTick(ws.rt, { today: day });
      expect((await ws.ledger.lostTicks.unsettled()).some((t) => t.jobId === id)).toBe(true);
      const before = (await ws.ledger.reminders.licenseStates([ws.licenseId(41)])).get(ws.licenseId(41));
      expect(before?.status).toBe('valid');

      // The lost day's tick expires what it owed and settles the loss.
      await lifecycleTick(ws.rt);
      const after = (await ws.ledger.reminders.licenseStates([ws.licenseId(41)])).get(ws.licenseId(41));
      expect(after?.status).toBe('expired');
      expect((await ws.ledger.lostTicks.unsettled()).some((t) => t.jobId === id)).toBe(false);
    } finally {
      ledgerNow.mockRestore();
    }
  });
});
