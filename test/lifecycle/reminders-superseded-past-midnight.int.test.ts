/**
 * Thresholds [7, 30], a license 8 days from expiry on 1 May: the tick of 1 May writes its 30-day
 * reminder. Sent past midnight (00:01 on 2 May), when 7 days are left, it went out worded "7
 * days", and 2 May's tick then wrote and sent the 7-day reminder too: the holder heard "7 days"
 * twice. Read again before its send, a reminder whose license a smaller threshold has reached since
 * is now dropped `superseded`, as the tick's first step drops one left pending (docs/lifecycle.md),
 * and the smaller threshold's reminder is the one message. Days are the ledger's (its clock tells
 * a tick's days, ledger/db-clock.ts): 1 May is the day before the ledger's today.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

for (const backend of BACKENDS) {
  describe(`a threshold crossed at midnight while a tick sends (${backend.name} ledger)`, () => {
    let ws: ReminderWorkspace;
    const saved = process.env.LICBRIDGE_TODAY;
    beforeAll(async () => {
      delete process.env.LICBRIDGE_TODAY;
      ws = await reminderWorkspace({ backend });
    });
    afterAll(async () => {
      if (saved !== undefined) process.env.LICBRIDGE_TODAY = saved;
      await ws?.close();
    });

    it('sends one message, the smaller threshold’s', async () => {
      const bodies: { reference: string; params: { daysLeft: number } }[] = [];
      const gateway = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 0, messageId: `m${bodies.length}` }));
        });
      });
      await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
      const { port } = gateway.address() as AddressInfo;
      const rt = new Runtime(ws.withGateway(`http://127.0.0.1:${port}`, 2000), ws.rt.logger);
      // The ledger's today (2 May), in Asia/Shanghai (`lifecycle.timeZone`'s default).
      const today = localDate('Asia/Shanghai', await ws.ledger.lostTicks.now());
      try {
        await ws.commit(1, addDays(today, 7), { phone: '13912340401' });
        // 1 May's tick, its sends past midnight.
        const first = await sendDueReminders(rt, { today: addDays(today, -1), realDay: true });
        expect(first).toMatchObject({ sent: 0, dropped: 1 });
        const second = await sendDueReminders(rt, { realDay: true });
        expect(second).toMatchObject({ today, sent: 1 });
      } finally {
        await rt.close();
        await new Promise((r) => gateway.close(r));
      }
      expect(bodies.map((b) => b.params.daysLeft)).toEqual([7]);
      const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
      expect(rows.map((r) => [r.threshold, r.state, r.reason]).sort()).toEqual([
        [30, 'dropped', 'superseded'],
        [7, 'sent', null],
      ]);
    });
  });
}
