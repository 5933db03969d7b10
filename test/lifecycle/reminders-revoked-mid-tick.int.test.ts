/**
 * A tick sending many reminders takes a while (a gateway answering in a second, thousands due):
 * a license revoked or re-dated by a run meanwhile is not reminded that it runs out. The tick
 * reads the license again once it has claimed the reminder, and closes it `dropped` instead.
 */
import { describe, expect, it } from 'vitest';
import { tickChangingOnFirst } from './reminder-gateways.js';
import { blockWorkspace } from './reminders-fixture.js';

describe('a license that changes while its tick sends reminders', () => {
  const ws = blockWorkspace();

  it('revoked, or re-dated, after the tick read it: its reminder is dropped, not sent', async () => {
    for (const n of [1, 2, 3]) await ws.commit(n, '2027-03-31', { phone: `1391239${n}000` });
    // While the first reminder is out, a run revokes license 2 and moves license 3's date.
    const { s, references } = await tickChangingOnFirst(ws, '2027-03-10', async () => {
      await ws.commit(2, '2027-03-31', { phone: '13912392000' }, undefined, undefined, 'revoked');
      await ws.commit(3, '2029-03-31', { phone: '13912393000' });
    });
    expect(s).toMatchObject({ due: 3, sent: 1, dropped: 2 });
    expect(references).toEqual([`${ws.licenseId(1)}:1:30`]);
    const rows = await ws.ledger.reminders.forLicenses([2, 3].map(ws.licenseId));
    expect(rows.map((r) => [r.licenseId, r.state, r.reason])).toEqual([
      [ws.licenseId(2), 'dropped', 'license-not-valid'],
      [ws.licenseId(3), 'dropped', 'valid-to-changed'],
    ]);
    const audit = (await ws.ledger.readAudit({ limit: 10_000 })).filter((e) => e.action === 'remind');
    expect(audit.map((e) => JSON.parse(e.detail).state).sort()).toEqual(['dropped', 'dropped', 'sent']);
  });
});
