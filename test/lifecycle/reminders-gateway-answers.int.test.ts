/**
 * What the reminder step keeps of a gateway's answers: a message id that may carry the holder's
 * number never reaches the ledger or the audit chain as it came.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

/** A gateway that answers every message with `reply(recipient)`. */
async function fakeGateway(reply: (recipient: string) => { status: number; body: unknown }): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const { recipient } = JSON.parse(body) as { recipient: string };
      const r = reply(recipient);
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('reminders and what the gateway answers', () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('a message id carrying the number in another form than the one sent is stored and audited only as a digest', async () => {
    // Written with spaces and a country code, sent as +8613912340002; the gateway's id holds the
    // national form.
    await ws.commit(2, '2027-03-31', { phone: '+86 139 1234 0002' });
    const gw = await fakeGateway((recipient) => ({
      status: 200,
      body: { code: 0, messageId: `sms-${recipient.replace(/^\+86/, '')}-0001` },
    }));
    const rt = new Runtime(ws.withGateway(gw.url), ws.rt.logger);
    try {
      expect(await sendDueReminders(rt, { today: '2027-03-20' })).toMatchObject({ sent: 1 });
    } finally {
      await rt.close();
      await gw.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(2)]);
    expect(row).toMatchObject({ state: 'sent' });
    expect(row?.messageId).toMatch(/^sha256:[0-9a-f]{32}$/);
    const audit = (await ws.ledger.readAudit({ limit: 10_000 })).filter((e) => e.action === 'remind');
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.detail ?? '{}').messageId).toBe(row?.messageId);
    const text = JSON.stringify(await ws.ledger.reminders.list()) + JSON.stringify(audit);
    expect(text).not.toContain('13912340002');
    expect(text).not.toContain('1234000');
  });
});
