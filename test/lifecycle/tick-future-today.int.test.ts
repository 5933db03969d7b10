/**
 * `lifecycle run --today` of a day after today records that day in the tick watermark. The real
 * daily tick, on a day before it, must still expire what is due on its own day: a watermark later
 * than the real today covers no real day.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe('a tick of a later day', () => {
  const ws = realDayWorkspace();

  it('does not make the real tick skip its day', async () => {
    const today = lifecycleToday(ws.config)();
    const later = addDays(today, 40);
    await ws.commit(1, addDays(today, 5), { phone: '13912340021' });
    const trial = await lifecycleTick(ws.rt, { today: later });
    expect(trial.pipelines).toEqual([
      expect.objectContaining({ pipeline: ws.pipeline, outcome: 'ticked', expired: 1 }),
    ]);
    // Read since: a license whose last valid day was yesterday.
    await ws.commit(2, addDays(today, -1), { phone: '13912340022' });
    const real = await lifecycleTick(ws.rt);
    expect(real.today).toBe(today);
    expect(real.pipelines).toEqual([
      expect.objectContaining({ pipeline: ws.pipeline, outcome: 'ticked', expired: 1 }),
    ]);
    // A second real tick on the same day is the usual no-op.
    const again = await lifecycleTick(ws.rt);
    expect(again.pipelines).toEqual([
      expect.objectContaining({ pipeline: ws.pipeline, outcome: 'done-today', expired: 0 }),
    ]);
    // And the later day's tick, run again, expires nothing twice.
    const trialAgain = await lifecycleTick(ws.rt, { today: later });
    expect(trialAgain.pipelines[0]).toMatchObject({ expired: 0 });
  });
});
