/**
 * `lifecycle run --today` of a past day while today's tick is under way, or died half-way: the
 * past day's tick does not expire what today's would (licenses whose last day fell between the
 * two), so it must not record today's tick as finished when it takes the watermark over. If it did,
 * and then failed itself, today's tick run again found today recorded and skipped it: the
 * licenses due since the past day stayed valid until the next day's tick.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe.each(BACKENDS)('a tick of a past day over today’s under way ($name)', (backend) => {
  const ws = realDayWorkspace({ backend });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('leaves today’s tick to be done, even when it fails itself', async () => {
    const today = lifecycleToday(ws.config)();
    const past = addDays(today, -5);
    // Due today, not on the past day: its last valid day was the day before yesterday.
    await ws.commit(1, addDays(today, -2), { phone: '13912340041' });
    // Today's tick began and died before it expired anything.
    await ws.ledger.beginLifecycleTick({
      pipeline: ws.pipeline,
      day: today,
      runId: `lifecycle-${today}-died`,
    });
    // The past day's tick fails on its first page (the ledger gone a moment).
    const ledger = await ws.rt.ledger();
    vi.spyOn(ledger, 'expireDuePage').mockRejectedValueOnce(new Error('ledger: connection lost'));
    await expect(lifecycleTick(ws.rt, { today: past })).rejects.toThrow('connection lost');
    expect((await ws.ledger.lifecycleWatermark(ws.pipeline))?.day).not.toBe(today);
    // Today's tick, run again, expires what is due today.
    const again = await lifecycleTick(ws.rt);
    expect(again.pipelines).toEqual([
      expect.objectContaining({ pipeline: ws.pipeline, outcome: 'ticked', expired: 1 }),
    ]);
    expect(await ws.ledger.getRun(`lifecycle-${today}-died`)).toMatchObject({
      extractedAt: expect.any(Date),
    });
  });
});
