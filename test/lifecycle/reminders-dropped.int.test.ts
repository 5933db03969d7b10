/**
 * A reminder closed as `dropped` was never sent: it must not count as the holder having been
 * reminded. When what dropped it passes — reminders switched off for the license type and on
 * again while the reminder waited through a gateway outage — the reminder still due goes out, once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('a dropped reminder', () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('switched off while pending and on again: the 30-day reminder goes out once', async () => {
    await ws.commit(1, '2026-03-31', { phone: '13912340001' });
    // 30 days left, the gateway down: pending.
    expect(await ws.tick(ws.withGateway('http://127.0.0.1:9', 300), '2026-03-01')).toMatchObject({
      sent: 0,
      failed: 1,
    });
    // Reminders switched off for the type: the pending one is closed.
    expect(await ws.tick(ws.remindersOff(), '2026-03-02')).toMatchObject({ dropped: 1, sent: 0 });
    // On again, 28 days left: the holder has heard nothing, and the 30-day reminder is due.
    expect(await ws.tick(ws.config, '2026-03-03')).toMatchObject({ due: 1, sent: 1 });
    expect(await ws.tick(ws.config, '2026-03-04')).toMatchObject({ due: 0, sent: 0 });
    expect(ws.messagesOf(1)).toEqual([{ threshold: 30, daysLeft: 28 }]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(rows.map((r) => [r.threshold, r.state])).toEqual([[30, 'sent']]);
    // The audit chain tells the whole story: dropped, then sent.
    const audit = (await ws.ledger.readAudit({ limit: 10_000 }))
      .filter((e) => e.action === 'remind' && e.licenseId === ws.licenseId(1))
      .map((e) => JSON.parse(e.detail) as { state: string; reason?: string });
    expect(audit).toEqual([
      expect.objectContaining({ state: 'dropped', reason: 'reminders-off' }),
      expect.objectContaining({ state: 'sent' }),
    ]);
    // And the 7-day one when it is due.
    expect(await ws.tick(ws.config, '2026-03-25')).toMatchObject({ due: 1, sent: 1 });
    expect(ws.messagesOf(1)).toHaveLength(2);
  });

  it('made pending again, it counts as written then: not stale at once when the gateway is down', async () => {
    await ws.commit(2, '2027-03-31', { phone: '13912340002' });
    const down = ws.withGateway('http://127.0.0.1:9', 300);
    expect(await ws.tick(down, '2027-03-01')).toMatchObject({ failed: 1 });
    expect(await ws.tick(ws.remindersOff(), '2027-03-02')).toMatchObject({ dropped: 1 });
    // The row was written two days before it is due again.
    const db = new Database(join(dirname(ws.config.file), 'ledger.db'));
    try {
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
      db.prepare('UPDATE reminders SET created_at = ? WHERE license_id = ?').run(twoDaysAgo, ws.licenseId(2));
    } finally {
      db.close();
    }
    // Due again while the gateway is down: pending, and pending since now, not since two days ago.
    expect(await ws.tick(down, '2027-03-03')).toMatchObject({ due: 1, failed: 1 });
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(2)]);
    expect(row).toMatchObject({
      state: 'pending',
      daysLeft: 28,
      dueDay: '2027-03-03',
      reason: expect.any(String),
    });
    expect(await ws.ledger.reminders.stalePending(new Date(Date.now() - 86_400_000))).toEqual([]);
  });

  it('made pending again, it goes to the notify target the config names now', async () => {
    await ws.commit(3, '2028-03-31', { phone: '13912340003' });
    expect(await ws.tick(ws.withGateway('http://127.0.0.1:9', 300), '2028-03-01')).toMatchObject({
      failed: 1,
    });
    expect(await ws.tick(ws.remindersOff(), '2028-03-02')).toMatchObject({ dropped: 1 });
    // On again, with the gateway's target under a new name and the old name gone.
    expect(await ws.tick(ws.renamedTarget(), '2028-03-03')).toMatchObject({ due: 1, sent: 1, failed: 0 });
    expect(ws.messagesOf(3)).toEqual([{ threshold: 30, daysLeft: 28 }]);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(3)]);
    expect(row).toMatchObject({ state: 'sent', target: 'gateway-b' });
  });

  it('pending when its notify target is renamed: closed, and sent through the target named now', async () => {
    await ws.commit(4, '2029-03-31', { phone: '13912340004' });
    expect(await ws.tick(ws.withGateway('http://127.0.0.1:9', 300), '2029-03-01')).toMatchObject({
      failed: 1,
    });
    expect(await ws.tick(ws.renamedTarget(), '2029-03-02')).toMatchObject({ dropped: 1, sent: 1, failed: 0 });
    expect(ws.messagesOf(4)).toEqual([{ threshold: 30, daysLeft: 29 }]);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(4)]);
    expect(row).toMatchObject({ state: 'sent', target: 'gateway-b' });
  });
  /**
   * A gateway in front of the simulator that holds each message until `release()`: the answer of a
   * send in flight, while another tick closes its row.
   */
  async function heldGateway() {
    let arrived!: () => void;
    const arrival = new Promise<void>((r) => {
      arrived = r;
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', async () => {
        arrived();
        await gate;
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            (e): e is [string, string] =>
              typeof e[1] === 'string' && !['host', 'content-length'].includes(e[0]),
          ),
        );
        const answer = await fetch(`${ws.sim.url}${req.url ?? '/'}`, {
          method: req.method ?? 'POST',
          headers,
          body: Buffer.concat(parts),
        });
        const replayed = answer.headers.get('idempotent-replayed');
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
          ...(replayed === null ? {} : { 'idempotent-replayed': replayed }),
        });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      arrival,
      release,
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
  }

  it('switched off while its send was in flight and the gateway took it: recorded sent, never sent again', async () => {
    await ws.commit(5, '2030-03-31', { phone: '13912340005' });
    const held = await heldGateway();
    try {
      // One tick sends the 30-day reminder; the gateway has it and has not answered yet. Its
      // request waits for the whole second tick: at the fixture's 2 s, a second tick slowed by a
      // loaded machine timed it out, and the send this case is about failed instead.
      const first = ws.tick(ws.withGateway(held.url, 30_000), '2030-03-01');
      await held.arrival;
      // Another tick meanwhile, with reminders switched off for the type: the pending row is the
      // first tick's (its claim), and is left to it rather than closed under its send.
      expect(await ws.tick(ws.remindersOff(), '2030-03-01')).toMatchObject({ dropped: 0 });
      held.release();
      expect(await first).toMatchObject({ sent: 1 });
    } finally {
      await held.close();
    }
    expect(ws.messagesOf(5)).toEqual([{ threshold: 30, daysLeft: 30 }]);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(5)]);
    expect(row).toMatchObject({ state: 'sent', messageId: expect.any(String) });
    // On again, under a renamed target (another idempotency key): the holder was reminded already.
    expect(await ws.tick(ws.renamedTarget(), '2030-03-02')).toMatchObject({ due: 0, sent: 0 });
    expect(ws.messagesOf(5)).toHaveLength(1);
    const audit = (await ws.ledger.readAudit({ limit: 10_000 }))
      .filter((e) => e.action === 'remind' && e.licenseId === ws.licenseId(5))
      .map((e) => (JSON.parse(e.detail) as { state: string }).state);
    expect(audit).toEqual(['sent']);
  });
});
