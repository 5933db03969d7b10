/**
 * A reminder left pending by a gateway outage, when the gateway is back: a smaller threshold due
 * by then supersedes it (closed, audited, never sent), and one still current goes out saying the
 * days left on the day it goes out — a holder hears one message with the right number of days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('pending reminders after an outage', () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  /** A tick on `today` against a gateway that is down: what it makes due stays pending. */
  async function tickWhileDown(today: string): Promise<void> {
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      expect(await sendDueReminders(down, { today })).toMatchObject({ sent: 0, failed: 1 });
    } finally {
      await down.close();
    }
  }
  const messagesOf = (n: number) =>
    ws.sim
      .messages()
      .filter((m) => m.reference.startsWith(`${ws.licenseId(n)}:`))
      .map((m) => ({ threshold: Number(m.reference.split(':').at(-1)), daysLeft: m.params.daysLeft }));

  it('a 30-day reminder still pending when the 7-day one is due is closed as superseded; only the 7-day one goes out', async () => {
    await ws.commit(1, '2026-03-31', { phone: '13912340001' });
    await tickWhileDown('2026-03-01'); // 30 days left
    // The gateway is back 25 days later: 5 days are left.
    const back = await sendDueReminders(ws.rt, { today: '2026-03-26' });
    expect(back).toMatchObject({ due: 1, sent: 1, dropped: 1, failed: 0 });
    expect(messagesOf(1)).toEqual([{ threshold: 7, daysLeft: 5 }]);

    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(rows.map((r) => [r.threshold, r.state, r.reason]).sort()).toEqual([
      [30, 'dropped', 'superseded'],
      [7, 'sent', null],
    ]);
    const audit = (await ws.ledger.readAudit({ limit: 10_000 }))
      .filter((e) => e.action === 'remind' && e.licenseId === ws.licenseId(1))
      .map((e) => JSON.parse(e.detail) as { threshold: number; state: string; reason?: string });
    expect(audit).toEqual([
      expect.objectContaining({ threshold: 30, state: 'dropped', reason: 'superseded' }),
      expect.objectContaining({ threshold: 7, state: 'sent', daysLeft: 5 }),
    ]);

    // Ticks after that send nothing more, for either threshold.
    expect(await sendDueReminders(ws.rt, { today: '2026-03-26' })).toMatchObject({ due: 0, sent: 0 });
    expect(await sendDueReminders(ws.rt, { today: '2026-03-29' })).toMatchObject({ due: 0, sent: 0 });
    expect(messagesOf(1)).toHaveLength(1);
  });

  it('a pending reminder whose threshold is still the current one goes out once, with the days left today', async () => {
    await ws.commit(2, '2027-03-31', { phone: '13912340002' });
    await tickWhileDown('2027-03-01'); // 30 days left
    const back = await sendDueReminders(ws.rt, { today: '2027-03-11' }); // 20 days left
    expect(back).toMatchObject({ due: 0, sent: 1, dropped: 0 });
    expect(messagesOf(2)).toEqual([{ threshold: 30, daysLeft: 20 }]);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(2)]);
    expect(row).toMatchObject({ threshold: 30, state: 'sent', daysLeft: 20 });
    // The 7-day one follows when it is due, once.
    expect(await sendDueReminders(ws.rt, { today: '2027-03-25' })).toMatchObject({ due: 1, sent: 1 });
    expect(await sendDueReminders(ws.rt, { today: '2027-03-26' })).toMatchObject({ due: 0, sent: 0 });
    expect(messagesOf(2)).toEqual([
      { threshold: 30, daysLeft: 20 },
      { threshold: 7, daysLeft: 6 },
    ]);
  });

  it('a 30-day reminder opened by a tick that died before sending it is superseded as well', async () => {
    await ws.commit(3, '2028-03-31', { phone: '13912340003' });
    // Written pending on 03-01 by a tick that died before asking the gateway.
    const [opened] = await ws.ledger.reminders.open([
      {
        licenseId: ws.licenseId(3),
        version: 1,
        pipeline: ws.pipeline,
        target: 'holder-sms',
        threshold: 30,
        validTo: '2028-03-31',
        daysLeft: 30,
        dueDay: '2028-03-01',
      },
    ]);
    expect(opened?.state).toBe('pending');
    const back = await sendDueReminders(ws.rt, { today: '2028-03-27' });
    expect(back).toMatchObject({ due: 1, sent: 1, dropped: 1 });
    expect(messagesOf(3)).toEqual([{ threshold: 7, daysLeft: 4 }]);
  });
});
