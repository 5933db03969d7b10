/**
 * `lifecycle run --pipeline P` sends P's pending reminders again even when another pipeline has
 * more pending than the tick reads at most (`pendingLimit`, 10,000 by default; 2 here): the limit
 * counts P's rows alone, and the other pipeline's are left pending, untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const OTHER = 'other';

describe.each(BACKENDS)('pending reminders of one pipeline ($name)', (backend) => {
  let ws: ReminderWorkspace;

  beforeAll(async () => {
    ws = await reminderWorkspace({ backend });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it("re-sends the named pipeline's pending reminder past another pipeline's backlog", async () => {
    // Another pipeline's reminders, pending since before this one's (its gateway down for days).
    for (const n of [11, 12, 13]) {
      await ws.commit(n, '2031-03-05', { phone: `139123401${n}` }, undefined, OTHER);
    }
    const others = await ws.ledger.reminders.open(
      [11, 12, 13].map((n) => ({
        licenseId: ws.licenseId(n),
        version: 1,
        pipeline: OTHER,
        target: 'holder-sms',
        threshold: 7,
        validTo: '2031-03-05',
        daysLeft: 5,
        dueDay: '2031-02-28',
      })),
    );
    expect(others.map((r) => r.state)).toEqual(['pending', 'pending', 'pending']);

    await ws.commit(1, '2031-03-05', { phone: '13912340101' });
    // Nothing listens on port 9: the send fails, and the row stays pending.
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      const first = await sendDueReminders(down, { today: '2031-03-01', pipelines: [ws.pipeline] });
      expect(first).toMatchObject({ due: 1, sent: 0, failed: 1 });
    } finally {
      await down.close();
    }

    const next = await sendDueReminders(ws.rt, {
      today: '2031-03-02',
      pipelines: [ws.pipeline],
      pendingLimit: 2,
    });
    expect(next).toMatchObject({ due: 0, sent: 1, failed: 0, dropped: 0 });
    expect(ws.messagesOf(1)).toEqual([{ threshold: 7, daysLeft: 3 }]);
    // The other pipeline's are not this run's: still pending, never sent.
    const left = await ws.ledger.reminders.forLicenses([11, 12, 13].map((n) => ws.licenseId(n)));
    expect(left.map((r) => r.state)).toEqual(['pending', 'pending', 'pending']);
    expect([11, 12, 13].flatMap((n) => ws.messagesOf(n))).toEqual([]);
  });
});
