/**
 * Thresholds [7, 30], a license 8 days from expiry on 1 May: the tick of 1 May writes its 30-day
 * reminder. Sent past midnight (00:01 on 2 May), when 7 days are left, it went out worded "7
 * days", and 2 May's tick then wrote and sent the 7-day reminder too: the holder heard "7 days"
 * twice. Read again before its send, a reminder whose license a smaller threshold has reached since
 * is now dropped `superseded`, as the tick's first step drops one left pending (docs/lifecycle.md),
 * and the smaller threshold's reminder is the one message.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
      vi.useRealTimers();
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
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(new Date('2031-05-01T12:00:00.000+08:00'));
        await ws.commit(1, '2031-05-09', { phone: '13912340401' });
        // 1 May's tick, its sends past midnight.
        vi.setSystemTime(new Date('2031-05-02T00:01:00.000+08:00'));
        const first = await sendDueReminders(rt, { today: '2031-05-01', realDay: true });
        expect(first).toMatchObject({ sent: 0, dropped: 1 });
        vi.setSystemTime(new Date('2031-05-02T00:05:00.000+08:00'));
        const second = await sendDueReminders(rt, { realDay: true });
        expect(second).toMatchObject({ sent: 1 });
      } finally {
        vi.useRealTimers();
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
