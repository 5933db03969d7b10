/**
 * A tick of a past day (`lifecycle run --today`, catching up on a lost tick) expires what was due
 * on that day, but its reminders go out now: they are judged on the real day, as a reminder
 * re-sent late says the days left on the day it goes out. Judged on the past day, a holder whose
 * license ran out yesterday heard "0 days left" today, and one 8 days from expiry heard 9.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const TODAY = '2031-03-02';
const PAST = '2031-03-01';

describe('the reminders of a tick of a past day', () => {
  let ws: ReminderWorkspace;
  const saved = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await reminderWorkspace();
    process.env.LICBRIDGE_TODAY = TODAY;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = saved;
    await ws?.close();
  });

  it('are judged on the real day: none for a license whose last day has passed, the days left as of today', async () => {
    await ws.commit(1, PAST, { phone: '13912340301' }); // its last valid day was yesterday
    await ws.commit(2, '2031-03-10', { phone: '13912340302' }); // 8 days left today

    const tick = await lifecycleTick(ws.rt, { today: PAST });
    // The past day's expiries: nothing ran out before it.
    expect(tick.pipelines).toEqual([expect.objectContaining({ pipeline: ws.pipeline, expired: 0 })]);
    expect(tick.reminders).toMatchObject({ today: TODAY, due: 1, sent: 1 });
    expect(ws.messagesOf(1)).toEqual([]);
    expect(ws.messagesOf(2)).toEqual([{ threshold: 30, daysLeft: 8 }]);

    // Today's tick then expires license 1 and reminds nobody again.
    const today = await lifecycleTick(ws.rt);
    expect(today.pipelines).toEqual([expect.objectContaining({ pipeline: ws.pipeline, expired: 1 })]);
    expect(today.reminders).toMatchObject({ due: 0, sent: 0 });
    expect(ws.messagesOf(1)).toEqual([]);
    expect(ws.messagesOf(2)).toHaveLength(1);
  });
});
