/**
 * A tick of a day the watermark covers (`done-today`) while a tick of a later day is under way, or
 * died (a `lifecycle run` on another host): the watermark's run is then that tick's, not the one
 * that ticked the covered day. It was reported as the covered day's, so `lifecycle run --today`
 * printed the other tick's deliveries as "that tick's versions", and held it as its own: it beat
 * for it and let it go when it ended, and the run of the process still driving it was left with no
 * owner, never shown `abandoned` once that process died. The covered day's run is reported only
 * while the watermark holds it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe('a done-today tick while a tick of a later day is under way', () => {
  const ws = realDayWorkspace();

  it('neither reports nor holds the later tick’s run', async () => {
    const today = lifecycleToday(ws.config)();
    const past = addDays(today, -2);
    await ws.commit(1, addDays(today, -5), { phone: '13912340181' });
    const first = await lifecycleTick(ws.rt, { today: past, pipelines: [ws.pipeline] });
    expect(first.pipelines).toEqual([expect.objectContaining({ outcome: 'ticked', expired: 1 })]);
    const ticked = first.pipelines[0]?.runId;

    // The next day's tick, begun by a `lifecycle run` on another host that still drives it.
    const other = { owner: 'other-host 4242', runId: `lifecycle-${addDays(past, 1)}-${randomUUID()}` };
    await ws.ledger.beginLifecycleTick({ pipeline: ws.pipeline, day: addDays(past, 1), ...other });

    const hold = { owner: 'this-host 1', runs: [] as string[] };
    const again = await lifecycleTick(ws.rt, { today: past, pipelines: [ws.pipeline], hold });
    expect(again.pipelines).toEqual([expect.objectContaining({ outcome: 'done-today', coveredBy: past })]);
    expect([ticked, null]).toContain(again.pipelines[0]?.runId);
    expect(hold.runs).not.toContain(other.runId);

    // As `lifecycle run` beats for its runs and lets them go when it ends (run-tick.ts).
    await ws.ledger.heartbeatRuns(hold.runs, hold.owner);
    await ws.ledger.disownRuns(hold.runs, hold.owner);
    expect((await ws.ledger.getRun(other.runId))?.owner).toBe(other.owner);
  });
});
