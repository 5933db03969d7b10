/**
 * The reminder step and the `lifecycle reminders` preview take today from the same place as the
 * tick (lifecycleToday): a pinned `LICBRIDGE_TODAY` is the day for all three, so the preview
 * shows what the pinned tick will send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReminders } from '../../pipelines/lifecycle/reminder-list.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const PINNED = '2031-03-01';

describe('reminders on a pinned day', () => {
  let ws: ReminderWorkspace;
  const saved = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await reminderWorkspace();
    process.env.LICBRIDGE_TODAY = PINNED;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = saved;
    await ws?.close();
  });

  it('the preview lists what the pinned tick then sends', async () => {
    await ws.commit(1, '2031-03-05', { phone: '13912340101' }); // 4 days from the pinned day
    const preview = await listReminders(ws.config, ws.rt.logger);
    expect(preview.today).toBe(PINNED);
    expect(preview.due.map((d) => [d.licenseId, d.threshold, d.daysLeft])).toEqual([[ws.licenseId(1), 7, 4]]);

    const tick = await lifecycleTick(ws.rt, { pipelines: [ws.pipeline] });
    expect(tick.today).toBe(PINNED);
    expect(tick.reminders).toMatchObject({ today: PINNED, due: 1, sent: 1 });
    expect(ws.sim.messages().map((m) => m.params.daysLeft)).toEqual([4]);
  });

  it('the reminder step alone uses the pinned day too', async () => {
    const summary = await sendDueReminders(ws.rt);
    expect(summary.today).toBe(PINNED);
  });
});
