/**
 * A license renewed under the same number (延续): the old license stays `valid` until its own date,
 * but its holder has renewed. A reminder that the number they keep runs out would mislead them:
 * the one pending for the old license is closed (`renewed`), and no later threshold is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';
import { renewLicense } from './renew-license.js';

describe('reminders of a renewed license', () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  const messagesOf = (n: number) =>
    ws.sim.messages().filter((m) => m.reference.startsWith(`${ws.licenseId(n)}:`));

  const renew = (n: number, validTo: string, status?: License['status']) =>
    renewLicense(ws, n, validTo, status);

  it('closes the reminder pending for the old license and sends no later one', async () => {
    await ws.commit(1, '2026-03-31', { phone: '13912340001' });
    // 30 days left, the gateway down: pending.
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      expect(await sendDueReminders(down, { today: '2026-03-01' })).toMatchObject({ failed: 1 });
    } finally {
      await down.close();
    }
    // The holder renews; the old license is untouched and still valid until 31 March.
    await renew(1, '2031-03-31');
    expect(await sendDueReminders(ws.rt, { today: '2026-03-02' })).toMatchObject({ sent: 0, dropped: 1 });
    expect(await sendDueReminders(ws.rt, { today: '2026-03-25' })).toMatchObject({ due: 0, sent: 0 });
    expect(messagesOf(1)).toEqual([]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(rows.map((r) => [r.threshold, r.state, r.reason])).toEqual([[30, 'dropped', 'renewed']]);
  });

  it('a renewal taken back (revoked, withdrawn) leaves the old license reminded', async () => {
    await ws.commit(3, '2028-03-31', { phone: '13912340003' });
    await renew(3, '2033-03-31', 'revoked');
    await ws.commit(4, '2028-03-31', { phone: '13912340004' });
    await renew(4, '2033-03-31', 'withdrawn');
    expect(await sendDueReminders(ws.rt, { today: '2028-03-01' })).toMatchObject({ due: 2, sent: 2 });
    expect(messagesOf(3)).toHaveLength(1);
    expect(messagesOf(4)).toHaveLength(1);
  });

  it('a license with another number is still reminded', async () => {
    await ws.commit(2, '2027-03-31', { phone: '13912340002' });
    expect(await sendDueReminders(ws.rt, { today: '2027-03-01' })).toMatchObject({ due: 1, sent: 1 });
    expect(messagesOf(2)).toHaveLength(1);
  });
});
