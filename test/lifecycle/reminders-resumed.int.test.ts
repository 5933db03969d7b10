/**
 * "The same reminder", to a holder, is the same license, `validTo` and threshold at the same
 * target: a suspension and a resume in between write new versions of the license, and change
 * none of that. A reminder the gateway took before the suspension (its answer lost, so the ledger
 * kept it `pending` and the suspension closed it `dropped`) is due again once the license is
 * resumed: it goes out under its first key, and the gateway replays its answer instead of
 * sending the holder the same reminder a second time. A `validTo` moved meanwhile is another
 * reminder, and goes out.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocal } from '../support/listen-local.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

/** A gateway in front of the simulator that hands it every message and loses every answer. */
async function answerLosingGateway(upstream: string) {
  const local = await listenLocal(
    createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', async () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            (e): e is [string, string] =>
              typeof e[1] === 'string' && !['host', 'content-length'].includes(e[0]),
          ),
        );
        // Taken by the gateway (the simulator remembers the key and sends the message) ...
        await fetch(`${upstream}${req.url ?? '/'}`, { method: 'POST', headers, body: Buffer.concat(parts) });
        // ... and the answer lost on the way back.
        res.destroy();
      });
    }),
  );
  return { url: local.origin, close: local.close };
}

describe('a reminder across a suspension and a resume', () => {
  let ws: ReminderWorkspace;
  let losing: Awaited<ReturnType<typeof answerLosingGateway>>;
  beforeAll(async () => {
    ws = await reminderWorkspace();
    losing = await answerLosingGateway(ws.sim.url);
  });
  afterAll(async () => {
    await losing?.close();
    await ws?.close();
  });

  /** License `n` suspended, ticked while suspended (its pending reminder dropped), then resumed. */
  async function suspendAndResume(n: number, validTo: string, days: [string, string], resumedTo = validTo) {
    const contact = { phone: `1391234000${n}` };
    await ws.commit(n, validTo, contact, '长江中路1号', ws.pipeline, 'suspended');
    expect(await ws.tick(ws.config, days[0])).toMatchObject({ dropped: 1, sent: 0 });
    await ws.commit(n, resumedTo, contact);
    return ws.tick(ws.config, days[1]);
  }

  it('taken by the gateway before the suspension: the holder hears it once after the resume', async () => {
    await ws.commit(1, '2026-03-31', { phone: '13912340001' });
    expect(await ws.tick(ws.withGateway(losing.url), '2026-03-01')).toMatchObject({ sent: 0, failed: 1 });
    expect(ws.messagesOf(1)).toEqual([{ threshold: 30, daysLeft: 30 }]);

    // Resumed under a new version, validTo unchanged: the same reminder, under the same key.
    expect(await suspendAndResume(1, '2026-03-31', ['2026-03-02', '2026-03-03'])).toMatchObject({
      due: 1,
      sent: 1,
      replayed: 1,
    });
    expect(ws.messagesOf(1)).toEqual([{ threshold: 30, daysLeft: 30 }]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(rows.map((r) => [r.key, r.version, r.threshold, r.state])).toEqual([
      [`${ws.licenseId(1)}:1:30`, 3, 30, 'sent'],
    ]);
    expect(await ws.tick(ws.config, '2026-03-04')).toMatchObject({ due: 0, sent: 0 });

    // The 7-day reminder is another one, and goes out when due.
    expect(await ws.tick(ws.config, '2026-03-25')).toMatchObject({ due: 1, sent: 1, replayed: 0 });
    expect(ws.messagesOf(1)).toHaveLength(2);
  });

  it('resumed with its validTo moved: a new reminder, sent', async () => {
    await ws.commit(2, '2027-03-31', { phone: '13912340002' });
    expect(await ws.tick(ws.withGateway(losing.url), '2027-03-01')).toMatchObject({ failed: 1 });
    const resumed = await suspendAndResume(2, '2027-03-31', ['2027-03-02', '2027-03-03'], '2027-04-01');
    expect(resumed).toMatchObject({ due: 1, sent: 1, replayed: 0 });
    expect(ws.messagesOf(2)).toEqual([
      { threshold: 30, daysLeft: 30 },
      { threshold: 30, daysLeft: 29 },
    ]);
  });

  it('sent and recorded before the suspension: nothing again after the resume', async () => {
    await ws.commit(3, '2028-03-31', { phone: '13912340003' });
    expect(await ws.tick(ws.config, '2028-03-01')).toMatchObject({ sent: 1 });
    await ws.commit(3, '2028-03-31', { phone: '13912340003' }, '长江中路1号', ws.pipeline, 'suspended');
    await ws.commit(3, '2028-03-31', { phone: '13912340003' });
    expect(await ws.tick(ws.config, '2028-03-02')).toMatchObject({ due: 0, sent: 0 });
    expect(ws.messagesOf(3)).toHaveLength(1);
  });

  it('revoked for good, then a new version still revoked: the dropped reminder stays dropped', async () => {
    await ws.commit(4, '2029-03-31', { phone: '13912340004' });
    expect(await ws.tick(ws.withGateway(losing.url), '2029-03-01')).toMatchObject({ failed: 1 });
    const contact = { phone: '13912340004' };
    await ws.commit(4, '2029-03-31', contact, '长江中路1号', ws.pipeline, 'revoked');
    expect(await ws.tick(ws.config, '2029-03-02')).toMatchObject({ dropped: 1, sent: 0 });
    await ws.commit(4, '2029-03-31', contact, '长江中路2号', ws.pipeline, 'revoked');
    expect(await ws.tick(ws.config, '2029-03-03')).toMatchObject({ due: 0, sent: 0 });
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(4)]);
    expect(rows.map((r) => [r.key, r.state])).toEqual([[`${ws.licenseId(4)}:1:30`, 'dropped']]);
    expect(ws.messagesOf(4)).toEqual([{ threshold: 30, daysLeft: 30 }]);
  });
});
