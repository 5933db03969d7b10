/**
 * A `lifecycle run --today` of a past day that a tick of that very day already covers (catching up
 * on lost ticks, run twice) said `already ticked today`: today is not that day, and today's tick
 * may well not have run (the watermark holds the past day), so an operator catching up read that
 * today's expiries were done. It names the day it was ticked for; a tick of the real day still
 * says `already ticked today`.
 */
import { describe, expect, it } from 'vitest';
import { lifecycleRunText } from '../../cli/commands/lifecycle-run-output.js';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe('a past day ticked again', () => {
  const ws = realDayWorkspace();

  it('is said to be ticked for that day, not today', async () => {
    const today = lifecycleToday(ws.config)();
    const past = addDays(today, -3);
    await ws.commit(1, addDays(today, -5), { phone: '13912340081' });
    const first = await lifecycleTick(ws.rt, { today: past, pipelines: [ws.pipeline] });
    expect(first.pipelines).toEqual([expect.objectContaining({ outcome: 'ticked', expired: 1 })]);
    const again = await lifecycleTick(ws.rt, { today: past, pipelines: [ws.pipeline] });
    expect(again.pipelines).toEqual([expect.objectContaining({ outcome: 'done-today', coveredBy: past })]);
    const text = lifecycleRunText({ ...again, delivery: {} });
    expect(text).toContain(`  ${ws.pipeline}: already ticked for ${past}\n`);
    expect(text).not.toContain('today');
    // Today's tick has not run: it ticks, and a second one is `already ticked today`.
    const real = await lifecycleTick(ws.rt, { pipelines: [ws.pipeline] });
    expect(real.pipelines).toEqual([expect.objectContaining({ outcome: 'ticked' })]);
    const realAgain = await lifecycleTick(ws.rt, { pipelines: [ws.pipeline] });
    expect(lifecycleRunText({ ...realAgain, delivery: {} })).toContain(
      `  ${ws.pipeline}: already ticked today\n`,
    );
  });
});
