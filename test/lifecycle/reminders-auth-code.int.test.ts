/**
 * A gateway answering every request with HTTP 200 that says in its `code` its credentials were
 * refused (`{"code":401}`: a token expired) took nothing: the tick's reminder was closed `skipped`
 * for good, as a message the gateway refused, and the holder was never reminded once the
 * credentials were put right. It now stays `pending`, its failed attempt counted, and the next
 * day's tick sends it.
 */
import { describe, expect, it } from 'vitest';
import { gatewayAnswering } from './reminder-gateways.js';
import { blockWorkspace } from './reminders-fixture.js';

describe('a gateway refusing its credentials in a 200', () => {
  const ws = blockWorkspace();

  it('leaves the reminder pending, and the next day sends it', async () => {
    await ws.commit(1, '2027-03-31', { phone: '13912391000' });
    const refusing = await gatewayAnswering(() => ({ code: 401, reason: 'TOKEN_EXPIRED' }));
    try {
      const s = await ws.tick(ws.withGateway(refusing.url), '2027-03-10');
      expect(s).toMatchObject({ due: 1, sent: 0, skipped: 0, failed: 1 });
      expect(refusing.references.length).toBeGreaterThan(0);
    } finally {
      await refusing.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(row?.state).toBe('pending');
    expect(row?.reason).toContain('credentials refused: gateway code 401 (TOKEN_EXPIRED)');
    expect(row?.reason).not.toContain('13912391000');

    const taking = await gatewayAnswering(() => ({ code: 0, messageId: 'm-1' }));
    try {
      const s = await ws.tick(ws.withGateway(taking.url), '2027-03-11');
      expect(s).toMatchObject({ sent: 1, skipped: 0, failed: 0 });
      expect(taking.references).toEqual([`${ws.licenseId(1)}:1:30`]);
    } finally {
      await taking.close();
    }
  });
});
