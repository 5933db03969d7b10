/**
 * A renewal read by a run while the tick sends reminders (a tick sending thousands takes minutes
 * to hours): the holder of the renewed license is not told that the number they keep runs out.
 * The tick reads `renewed` again once it has claimed the reminder, as its first step does, and
 * closes the reminder `dropped` (`renewed`) instead of sending it.
 */
import { describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { tickChangingOnFirst } from './reminder-gateways.js';
import { blockWorkspace } from './reminders-fixture.js';
import { renewLicense } from './renew-license.js';

describe('a license renewed while its tick sends reminders', () => {
  const ws = blockWorkspace();

  it('renewed after the tick read it: its reminder is dropped (renewed), not sent', async () => {
    for (const n of [1, 2]) await ws.commit(n, '2027-03-31', { phone: `1391239${n}100` });
    // While the first reminder is out, a run reads the renewal of license 2 (same number).
    const { s, references } = await tickChangingOnFirst(ws, '2027-03-10', async () => {
      await renewLicense(ws, 2, '2032-03-31');
    });
    expect(s).toMatchObject({ due: 2, sent: 1, dropped: 1 });
    expect(references).toEqual([`${ws.licenseId(1)}:1:30`]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(2)]);
    expect(rows.map((r) => [r.state, r.reason])).toEqual([['dropped', 'renewed']]);
    // Nothing is due for it later either: its holder has renewed.
    expect(await sendDueReminders(ws.rt, { today: '2027-03-28' })).toMatchObject({ sent: 1, due: 1 });
    expect(ws.messagesOf(2)).toEqual([]);
  });
});
