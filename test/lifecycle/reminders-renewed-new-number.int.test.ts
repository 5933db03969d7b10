/**
 * A license renewed under a new number (延续 where the unit renumbers): the renewal names the old
 * license as `previousIdentifier` but holds another number. Its holder has renewed as much as one
 * who kept the number: the reminder pending for the old license is closed (`renewed`) and no later
 * threshold is sent. A renewal withdrawn or revoked since, or a change under a new number, leaves
 * the old license reminded. On both ledgers (the lookup goes through migration 057's index).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { License, LicenseOperation } from '../../catalog/license.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';
import { renewLicense } from './renew-license.js';

/** Another license under a number of its own, naming license `n`'s latest version as its predecessor. */
const renewUnderNewNumber = (
  ws: ReminderWorkspace,
  n: number,
  validTo: string,
  options: { status?: License['status']; operation?: LicenseOperation } = {},
): Promise<string> => renewLicense(ws, n, validTo, options.status, { newNumber: true, ...options });

describe.each(BACKENDS)('reminders of a license renewed under a new number ($name)', (backend) => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace({ backend });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('closes the reminder pending for the old license and sends no later one', async () => {
    await ws.commit(1, '2026-03-31', { phone: '13912340001' });
    // 30 days left, the gateway down: pending.
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      expect(await sendDueReminders(down, { today: '2026-03-01' })).toMatchObject({ failed: 1 });
    } finally {
      await down.close();
    }
    // The holder renews under another number; the old license is untouched, valid until 31 March.
    await renewUnderNewNumber(ws, 1, '2031-03-31');
    expect(await sendDueReminders(ws.rt, { today: '2026-03-02' })).toMatchObject({ sent: 0, dropped: 1 });
    expect(await sendDueReminders(ws.rt, { today: '2026-03-25' })).toMatchObject({ due: 0, sent: 0 });
    expect(ws.messagesOf(1)).toEqual([]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(rows.map((r) => [r.threshold, r.state, r.reason])).toEqual([[30, 'dropped', 'renewed']]);
  });

  it('a renewal under a new number taken back (revoked, withdrawn) leaves the old license reminded', async () => {
    await ws.commit(3, '2028-03-31', { phone: '13912340003' });
    await renewUnderNewNumber(ws, 3, '2033-03-31', { status: 'revoked' });
    await ws.commit(4, '2028-03-31', { phone: '13912340004' });
    await renewUnderNewNumber(ws, 4, '2033-03-31', { status: 'withdrawn' });
    expect(await sendDueReminders(ws.rt, { today: '2028-03-01' })).toMatchObject({ due: 2, sent: 2 });
    expect(ws.messagesOf(3)).toHaveLength(1);
    expect(ws.messagesOf(4)).toHaveLength(1);
  });

  it('a change under a new number (变更) is no renewal: the old license is still reminded', async () => {
    await ws.commit(5, '2029-03-31', { phone: '13912340005' });
    await renewUnderNewNumber(ws, 5, '2034-03-31', { operation: 'change' });
    expect(await sendDueReminders(ws.rt, { today: '2029-03-01' })).toMatchObject({ due: 1, sent: 1 });
    expect(ws.messagesOf(5)).toHaveLength(1);
  });

  it('a renewal naming an earlier version of the old license counts too', async () => {
    await ws.commit(6, '2030-06-30', { phone: '13912340006' });
    await renewUnderNewNumber(ws, 6, '2035-06-30');
    // The old license moves on (a second version) after the renewal named its first.
    await ws.commit(6, '2030-06-30', { phone: '13912340006' }, '长江中路2号');
    expect(await sendDueReminders(ws.rt, { today: '2030-06-01' })).toMatchObject({ due: 0, sent: 0 });
    expect(ws.messagesOf(6)).toEqual([]);
  });
});
