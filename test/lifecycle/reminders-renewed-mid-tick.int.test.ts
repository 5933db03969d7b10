/**
 * A renewal read by a run while the tick sends reminders (a tick sending thousands takes minutes
 * to hours): the holder of the renewed license is not told that the number they keep runs out.
 * The tick reads `renewed` again once it has claimed the reminder, as its first step does, and
 * closes the reminder `dropped` (`renewed`) instead of sending it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';
import { renewLicense } from './renew-license.js';

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

describe('a license renewed while its tick sends reminders', () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('renewed after the tick read it: its reminder is dropped (renewed), not sent', async () => {
    for (const n of [1, 2]) await ws.commit(n, '2027-03-31', { phone: `1391239${n}100` });
    // While the first reminder is out, a run reads the renewal of license 2 (same number).
    const gw = await gateway(() => renewLicense(ws, 2, '2032-03-31'));
    const rt = new Runtime(ws.withGateway(gw.url), ws.rt.logger);
    try {
      const s = await sendDueReminders(rt, { today: '2027-03-10' });
      expect(s).toMatchObject({ due: 2, sent: 1, dropped: 1 });
    } finally {
      await rt.close();
      await gw.close();
    }
    expect(gw.references).toEqual([`${ws.licenseId(1)}:1:30`]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(2)]);
    expect(rows.map((r) => [r.state, r.reason])).toEqual([['dropped', 'renewed']]);
    // Nothing is due for it later either: its holder has renewed.
    expect(await sendDueReminders(ws.rt, { today: '2027-03-28' })).toMatchObject({ sent: 1, due: 1 });
    expect(ws.messagesOf(2)).toEqual([]);
  });
});
