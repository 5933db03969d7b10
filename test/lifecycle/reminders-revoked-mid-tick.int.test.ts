/**
 * A tick sending many reminders takes a while (a gateway answering in a second, thousands due):
 * a license revoked or re-dated by a run meanwhile is not reminded that it runs out. The tick
 * reads the license again once it has claimed the reminder, and closes it `dropped` instead.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

/** A gateway that runs `onFirst` before answering its first message, and takes every message. */
async function gateway(onFirst: () => Promise<void>): Promise<{
  url: string;
  references: string[];
  close(): Promise<void>;
}> {
  const references: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      references.push((JSON.parse(body) as { reference: string }).reference);
      if (references.length === 1) await onFirst();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, messageId: `m-${references.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    references,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('a license that changes while its tick sends reminders', () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('revoked, or re-dated, after the tick read it: its reminder is dropped, not sent', async () => {
    for (const n of [1, 2, 3]) await ws.commit(n, '2027-03-31', { phone: `1391239${n}000` });
    // While the first reminder is out, a run revokes license 2 and moves license 3's date.
    const gw = await gateway(async () => {
      await ws.commit(2, '2027-03-31', { phone: '13912392000' }, undefined, undefined, 'revoked');
      await ws.commit(3, '2029-03-31', { phone: '13912393000' });
    });
    const rt = new Runtime(ws.withGateway(gw.url), ws.rt.logger);
    try {
      const s = await sendDueReminders(rt, { today: '2027-03-10' });
      expect(s).toMatchObject({ due: 3, sent: 1, dropped: 2 });
    } finally {
      await rt.close();
      await gw.close();
    }
    expect(gw.references).toEqual([`${ws.licenseId(1)}:1:30`]);
    const rows = await ws.ledger.reminders.forLicenses([2, 3].map(ws.licenseId));
    expect(rows.map((r) => [r.licenseId, r.state, r.reason])).toEqual([
      [ws.licenseId(2), 'dropped', 'license-not-valid'],
      [ws.licenseId(3), 'dropped', 'valid-to-changed'],
    ]);
    const audit = (await ws.ledger.readAudit({ limit: 10_000 })).filter((e) => e.action === 'remind');
    expect(audit.map((e) => JSON.parse(e.detail).state).sort()).toEqual(['dropped', 'dropped', 'sent']);
  });
});
