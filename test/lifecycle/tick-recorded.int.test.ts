/**
 * A tick learns whether it recorded its day from the write that records it, not from reading the
 * watermark back: a later day's tick beginning between the two (past midnight) would have the
 * tick that did record its day report `taken-over`.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe.each(BACKENDS)('a tick that recorded its day ($name)', (backend) => {
  const ws = realDayWorkspace({ backend });

  it('the ledger says whether the finish recorded the day', async () => {
    const today = lifecycleToday(ws.config)();
    const pipeline = ws.pipeline;
    await ws.ledger.beginLifecycleTick({ pipeline, day: today, runId: 'own' });
    await ws.ledger.beginLifecycleTick({ pipeline, day: addDays(today, 1), runId: 'later' });
    expect(await ws.ledger.finishLifecycleTick({ pipeline, day: today, runId: 'own', expired: 0 })).toBe(
      false,
    );
    expect(
      await ws.ledger.finishLifecycleTick({ pipeline, day: addDays(today, 1), runId: 'later', expired: 0 }),
    ).toBe(true);
    // Once recorded, a second finish records nothing more.
    expect(
      await ws.ledger.finishLifecycleTick({ pipeline, day: addDays(today, 1), runId: 'later', expired: 0 }),
    ).toBe(false);
  });

  it('is ticked though the next day’s tick begins right after it recorded its day', async () => {
    const today = lifecycleToday(ws.config)();
    const yesterday = addDays(today, -1);
    await ws.commit(1, addDays(today, -3), { phone: '13912340051' });
    const original = ws.ledger.finishLifecycleTick.bind(ws.ledger);
    ws.ledger.finishLifecycleTick = async (input) => {
      const recorded = await original(input);
      if (input.day === yesterday) {
        await ws.ledger.beginLifecycleTick({ pipeline: ws.pipeline, day: today, runId: 'next-day' });
      }
      return recorded;
    };
    try {
      // The first test's day lies after the real today: it covers no day, yesterday is not ticked.
      const late = await lifecycleTick(ws.rt, { today: yesterday, pipelines: [ws.pipeline] });
      expect(late.pipelines).toEqual([
        expect.objectContaining({ pipeline: ws.pipeline, outcome: 'ticked', expired: 1 }),
      ]);
    } finally {
      ws.ledger.finishLifecycleTick = original;
    }
  });
});
