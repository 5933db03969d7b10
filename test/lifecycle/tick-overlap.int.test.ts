/**
 * A tick that runs past midnight overlaps the next day's: the next day's tick closes the day it
 * finds under way and ticks its own day, and the late tick then ends its last page and records its
 * day. That record must not take the watermark back to the day before: the day ticked stays
 * ticked (a second tick of it is `done-today`, no new run), and a tick of it that dies half-way
 * is resumed under its own run rather than left `running` for good.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe.each(BACKENDS)('ticks of two days at once ($name)', (backend) => {
  const ws = realDayWorkspace({ backend });

  it('the day before’s tick ending late does not take the watermark back', async () => {
    const today = lifecycleToday(ws.config)();
    const yesterday = addDays(today, -1);
    await ws.commit(1, addDays(today, -3), { phone: '13912340031' });
    // Yesterday's tick began shortly before midnight and is still at work.
    const late = `lifecycle-${yesterday}-late`;
    await ws.ledger.beginLifecycleTick({ pipeline: ws.pipeline, day: yesterday, runId: late });
    const first = await lifecycleTick(ws.rt);
    expect(first.pipelines).toEqual([
      expect.objectContaining({ pipeline: ws.pipeline, outcome: 'ticked', expired: 1 }),
    ]);
    const todays = first.pipelines[0]?.runId;
    // Yesterday's tick ends its last page (nothing left for it) and records its day.
    await ws.ledger.finishLifecycleTick({ pipeline: ws.pipeline, day: yesterday, runId: late, expired: 0 });
    expect(await ws.ledger.lifecycleWatermark(ws.pipeline)).toMatchObject({
      day: today,
      pendingDay: null,
      runId: todays,
    });
    // Its run is over all the same, so it can complete.
    expect((await ws.ledger.getRun(late))?.extractedAt).not.toBeNull();
    const again = await lifecycleTick(ws.rt);
    expect(again.pipelines).toEqual([
      expect.objectContaining({ pipeline: ws.pipeline, outcome: 'done-today', runId: todays, expired: 0 }),
    ]);
  });

  it('a late tick ending while the next day’s is under way leaves that one to resume', async () => {
    const today = addDays(lifecycleToday(ws.config)(), 1);
    const yesterday = addDays(today, -1);
    await ws.ledger.beginLifecycleTick({ pipeline: ws.pipeline, day: yesterday, runId: 'late-2' });
    // The next day's tick closes yesterday's and begins; it dies before its day is recorded.
    await ws.ledger.finishLifecycleTick({
      pipeline: ws.pipeline,
      day: yesterday,
      runId: 'late-2',
      expired: 0,
    });
    await ws.ledger.beginLifecycleTick({ pipeline: ws.pipeline, day: today, runId: 'next-2' });
    // Yesterday's tick, still at work, records its day meanwhile.
    await ws.ledger.finishLifecycleTick({
      pipeline: ws.pipeline,
      day: yesterday,
      runId: 'late-2',
      expired: 0,
    });
    expect(await ws.ledger.lifecycleWatermark(ws.pipeline)).toMatchObject({
      pendingDay: today,
      runId: 'next-2',
    });
  });
});
