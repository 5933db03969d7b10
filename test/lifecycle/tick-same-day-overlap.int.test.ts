/**
 * Two ticks of the same day at once (a `lifecycle run` beside the scheduled tick, or two workers):
 * the second resumes the run of the first, which it finds under way, and the two share it. The one
 * that ends first records the day; the one that ends second finds the day recorded under its own
 * run. It must not report `taken-over` and have `lifecycle run` say the day is not recorded as
 * ticked: it is, and a third tick of the day is `done-today`.
 */
import { describe, expect, it } from 'vitest';
import { lifecycleRunText } from '../../cli/commands/lifecycle-run-output.js';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe.each(BACKENDS)('two ticks of the same day at once ($name)', (backend) => {
  const ws = realDayWorkspace({ backend });

  it('the one ending second says the day is ticked, as it is', async () => {
    const today = lifecycleToday(ws.config)();
    const pipeline = ws.pipeline;
    await ws.commit(1, addDays(today, -2), { phone: '13912340061' });
    // The first tick began (another process) and is at work under its run.
    const first = `lifecycle-${today}-first`;
    await ws.ledger.beginLifecycleTick({ pipeline, day: today, runId: first });
    // It ends while the second is at work: just before the second's first page of expiries.
    const original = ws.ledger.expireDuePage.bind(ws.ledger);
    let ended: boolean | undefined;
    ws.ledger.expireDuePage = async (input) => {
      ended ??= await ws.ledger.finishLifecycleTick({ pipeline, day: today, runId: first, expired: 0 });
      return original(input);
    };
    try {
      const second = await lifecycleTick(ws.rt, { pipelines: [pipeline] });
      expect(ended).toBe(true);
      expect(second.pipelines).toEqual([
        expect.objectContaining({ pipeline, runId: first, outcome: 'ticked', expired: 1 }),
      ]);
      expect(lifecycleRunText({ ...second, delivery: {} })).toContain(`  ${pipeline}: expired 1\n`);
    } finally {
      ws.ledger.expireDuePage = original;
    }
    // The ledger agrees: the day is ticked under that run, and a third tick of the day does nothing.
    expect(await ws.ledger.lifecycleWatermark(pipeline)).toMatchObject({
      day: today,
      pendingDay: null,
      runId: first,
    });
    const third = await lifecycleTick(ws.rt, { pipelines: [pipeline] });
    expect(third.pipelines).toEqual([expect.objectContaining({ outcome: 'done-today', coveredBy: today })]);
  });
});
