/**
 * A tick of the real day still sending its reminders past midnight (begun late, or with thousands
 * to send) sends them on the next day: each says the days left on the day it goes out, and a
 * license whose last day was the tick's own is not told it runs out "today" once that day is over
 * (still `valid` in the ledger until the next day's tick expires it). The tick judged both on the
 * day it began. Days are the ledger's (its clock tells a tick's days, ledger/db-clock.ts): the
 * tick here began on the day before the ledger's today.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('reminders sent past midnight by a tick of the day before', () => {
  let ws: ReminderWorkspace;
  const saved = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    delete process.env.LICBRIDGE_TODAY;
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    if (saved !== undefined) process.env.LICBRIDGE_TODAY = saved;
    await ws?.close();
  });

  it('drop a reminder whose license ran out at midnight, and say the days left as of the day sent', async () => {
    // A gateway that takes every message.
    const bodies: { params: { number: string; daysLeft: number } }[] = [];
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
    // The ledger's today, in Asia/Shanghai (`lifecycle.timeZone`'s default).
    const today = localDate('Asia/Shanghai', await ws.ledger.lostTicks.now());
    const dayBefore = addDays(today, -1);
    try {
      await ws.commit(1, dayBefore, { phone: '13912340401' }); // its last day is the tick's
      await ws.commit(2, addDays(today, 3), { phone: '13912340402' });
      // The tick of the day before sends once the ledger's clock reads today.
      const summary = await sendDueReminders(rt, { today: dayBefore, realDay: true });
      expect(summary).toMatchObject({ due: 2, sent: 1, dropped: 1 });
    } finally {
      await rt.close();
      await new Promise((r) => gateway.close(r));
    }
    expect(bodies.map((b) => [b.params.number, b.params.daysLeft])).toEqual([[ws.number(2), 3]]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1), ws.licenseId(2)]);
    expect(rows.map((r) => [r.licenseId, r.state, r.reason, r.daysLeft]).sort()).toEqual(
      [
        [ws.licenseId(1), 'dropped', 'expired', 0],
        [ws.licenseId(2), 'sent', null, 3],
      ].sort(),
    );
  });
});
