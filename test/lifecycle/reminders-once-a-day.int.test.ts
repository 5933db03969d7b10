/**
 * A reminder whose send failed is tried again on a later day, not by another tick of the same
 * day (migration 039): a tick started again that afternoon leaves it pending and says so
 * (`deferred`), and the first tick of the next day sends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('a failed reminder is tried once a day', () => {
  let ws: ReminderWorkspace;

  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('leaves a reminder that failed this morning to tomorrow, and sends it then', async () => {
    await ws.commit(1, '2031-03-05', { phone: '13912340101' });
    // Nothing listens on port 9: the send fails, and the row stays pending.
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      const morning = await sendDueReminders(down, { today: '2031-03-01' });
      expect(morning).toMatchObject({ due: 1, sent: 0, failed: 1, deferred: 0 });
    } finally {
      await down.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: '2031-03-01' });

    // The afternoon's tick, the gateway up again: the holder is not reached a second time today.
    const afternoon = await sendDueReminders(ws.rt, { today: '2031-03-01' });
    expect(afternoon).toMatchObject({ due: 0, sent: 0, failed: 0, deferred: 1 });
    expect(ws.sim.messages()).toHaveLength(0);
    expect((await ws.ledger.reminders.forLicenses([ws.licenseId(1)]))[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
    });

    const nextDay = await sendDueReminders(ws.rt, { today: '2031-03-02' });
    expect(nextDay).toMatchObject({ due: 0, sent: 1, failed: 0, deferred: 0 });
    expect(ws.sim.messages().map((m) => [m.params.number, m.params.daysLeft])).toEqual([[ws.number(1), 3]]);
  });
});
