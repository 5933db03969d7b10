/**
 * A tick sending many reminders takes a while, and a run may write a holder's contact meanwhile
 * (a new mobile number in the business system, or none any more). The reminder goes to the
 * contact the ledger holds when it is sent, not to the one read before the tick's first message:
 * before, every reminder of a page (and of the up to 10,000 left pending by an earlier tick) went
 * to the contact read at its start, a number the holder may have given up since.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listenLocal } from '../support/listen-local.js';
import { blockWorkspace } from './reminders-fixture.js';

/** A gateway taking every message, running `onFirst` before answering the first; the recipients, in order. */
async function recordingGateway(onFirst: () => Promise<void>) {
  const recipients: string[] = [];
  const local = await listenLocal(
    createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', async () => {
        recipients.push((JSON.parse(body) as { recipient: string }).recipient);
        if (recipients.length === 1) await onFirst();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 0, messageId: `m-${recipients.length}` }));
      });
    }),
  );
  return { url: local.origin, recipients, close: local.close };
}

describe('a holder whose contact a run writes while the tick sends reminders', () => {
  const ws = blockWorkspace();

  it('is reminded at the contact the ledger holds when the reminder goes out', async () => {
    await ws.commit(1, '2027-03-31', { phone: '13912391000' });
    await ws.commit(2, '2027-03-31', { phone: '13912392000' });
    // While the first reminder is out, a run writes license 2's new number (same validTo).
    const gw = await recordingGateway(async () => {
      await ws.commit(2, '2027-03-31', { phone: '13912392999' });
    });
    try {
      const s = await ws.tick(ws.withGateway(gw.url), '2027-03-10');
      expect(s).toMatchObject({ due: 2, sent: 2 });
    } finally {
      await gw.close();
    }
    expect(gw.recipients).toHaveLength(2);
    expect(gw.recipients).toContain('13912392999');
    expect(gw.recipients).not.toContain('13912392000');
  });
});
