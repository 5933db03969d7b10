/**
 * A reminder whose send failed is tried again on a later day, not by another tick of the same
 * day (migration 039): a tick started again that afternoon leaves it pending and says so
 * (`deferred`), and the first tick of the next day sends it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('a failed reminder is tried once a day', () => {
  let ws: ReminderWorkspace;

  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('leaves a reminder that failed this morning to tomorrow, and sends it then', async () => {
    await ws.commit(1, '2031-03-05', { phone: '13912340101' });
    // Nothing listens on port 9: the send fails, and the row stays pending.
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      const morning = await sendDueReminders(down, { today: '2031-03-01' });
      expect(morning).toMatchObject({ due: 1, sent: 0, failed: 1, deferred: 0 });
    } finally {
      await down.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: '2031-03-01' });

    // The afternoon's tick, the gateway up again: the holder is not reached a second time today.
    const afternoon = await sendDueReminders(ws.rt, { today: '2031-03-01' });
    expect(afternoon).toMatchObject({ due: 0, sent: 0, failed: 0, deferred: 1 });
    expect(ws.sim.messages()).toHaveLength(0);
    expect((await ws.ledger.reminders.forLicenses([ws.licenseId(1)]))[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
    });

    const nextDay = await sendDueReminders(ws.rt, { today: '2031-03-02' });
    expect(nextDay).toMatchObject({ due: 0, sent: 1, failed: 0, deferred: 0 });
    expect(ws.sim.messages().map((m) => [m.params.number, m.params.daysLeft])).toEqual([[ws.number(1), 3]]);
  });

  it('counts a failed send made past midnight for the day it was made, not the day the tick began', async () => {
    // Two ticks of the real day 2031-04-01 in Asia/Shanghai (lifecycle.timeZone's default), begun
    // late: the gateway's clock reads 23:59:59.999 at one's send and 00:00:00.000 of the 2nd at the
    // other's (each fails). The second send was made on the 2nd, so the 2nd's tick leaves it alone.
    let sendsAt = '';
    const gateway = createServer((req, res) => {
      vi.setSystemTime(new Date(sendsAt));
      req.resume();
      res.writeHead(503).end();
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const { port } = gateway.address() as AddressInfo;
    const down = new Runtime(ws.withGateway(`http://127.0.0.1:${port}`, 2000), ws.rt.logger);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Each reminder becomes due (its license read) just before the tick that sends it.
      const tick = async (n: number, at: string) => {
        vi.setSystemTime(new Date('2031-04-01T23:50:00.000+08:00'));
        await ws.commit(n, '2031-04-05', { phone: `139123401${String(n).padStart(2, '0')}` });
        sendsAt = at;
        return sendDueReminders(down);
      };
      expect(await tick(2, '2031-04-01T23:59:59.999+08:00')).toMatchObject({
        today: '2031-04-01',
        failed: 1,
      });
      expect(await tick(3, '2031-04-02T00:00:00.000+08:00')).toMatchObject({
        today: '2031-04-01',
        failed: 1,
        deferred: 1,
      });
    } finally {
      vi.useRealTimers();
      await down.close();
      await new Promise((r) => gateway.close(r));
    }
    const days = (await ws.ledger.reminders.forLicenses([ws.licenseId(2), ws.licenseId(3)]))
      .map((r) => [r.licenseId, r.lastAttemptDay])
      .sort();
    expect(days).toEqual(
      [
        [ws.licenseId(2), '2031-04-01'],
        [ws.licenseId(3), '2031-04-02'],
      ].sort(),
    );
    // The 2nd's tick, the gateway up: only the reminder tried on the 1st goes out that day.
    const second = await sendDueReminders(ws.rt, { today: '2031-04-02' });
    expect(second).toMatchObject({ sent: 1, deferred: 1 });
    const numbers = ws.sim.messages().map((m) => m.params.number);
    expect(numbers).toContain(ws.number(2));
    expect(numbers).not.toContain(ws.number(3));
  });

  it('reads the pending reminders not tried today before those it defers, within the pending limit', async () => {
    // License 4's reminder fails this morning; license 5's was left pending, never sent, by a tick
    // that died (written after the first: later in the oldest-first order).
    await ws.commit(4, '2031-05-05', { phone: '13912340104' });
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      expect(await sendDueReminders(down, { today: '2031-05-01' })).toMatchObject({ due: 1, failed: 1 });
    } finally {
      await down.close();
    }
    await ws.commit(5, '2031-05-05', { phone: '13912340105' });
    const [left] = await ws.ledger.reminders.open([
      {
        licenseId: ws.licenseId(5),
        version: 1,
        pipeline: ws.pipeline,
        target: 'holder-sms',
        threshold: 7,
        validTo: '2031-05-05',
        daysLeft: 4,
        dueDay: '2031-05-01',
      },
    ]);
    expect(left).toMatchObject({ state: 'pending', attempts: 0 });
    // A pending limit of one: the afternoon's tick spends it on the reminder it can send, not on
    // the one it would only defer (a backlog of those would otherwise hold back every other).
    const afternoon = await sendDueReminders(ws.rt, { today: '2031-05-01', pendingLimit: 1 });
    expect(afternoon).toMatchObject({ due: 0, sent: 1 });
    const numbers = ws.sim.messages().map((m) => m.params.number);
    expect(numbers).toContain(ws.number(5));
    expect(numbers).not.toContain(ws.number(4));
  });

  it("leaves to tomorrow what today's tick tried this morning, in a tick of an earlier day run this afternoon", async () => {
    // The real day is 2 June 2031 in Asia/Shanghai. Today's tick fails license 6's reminder in the
    // morning; that afternoon an operator runs the tick of the day before (`lifecycle run --today`,
    // catching up on a lost tick): the attempt made this morning is today's, so it is not made again.
    vi.useFakeTimers({ toFake: ['Date'] });
    const at = (time: string) => vi.setSystemTime(new Date(`2031-06-02T${time}+08:00`));
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    const row = async () => (await ws.ledger.reminders.forLicenses([ws.licenseId(6)]))[0];
    try {
      at('09:00:00');
      await ws.commit(6, '2031-06-05', { phone: '13912340106' });
      expect(await sendDueReminders(down)).toMatchObject({ today: '2031-06-02', due: 1, failed: 1 });
      expect(await row()).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: '2031-06-02' });
      at('15:00:00');
      expect(await sendDueReminders(down, { today: '2031-06-01' })).toMatchObject({
        failed: 0,
        deferred: 1,
      });
      // The gateway was not asked again: no second attempt counted.
      expect(await row()).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: '2031-06-02' });
      // A later day's rehearsal is no real day: it tries the reminder, and holds back no real tick.
      at('16:00:00');
      expect(await sendDueReminders(down, { today: '2031-06-04' })).toMatchObject({ failed: 1, deferred: 0 });
      expect(await row()).toMatchObject({ attempts: 2, lastAttemptDay: '2031-06-04' });
    } finally {
      vi.useRealTimers();
      await down.close();
    }
    // The 3rd's tick sends it (the simulator checks its HMAC timestamps on the real clock).
    expect(await sendDueReminders(ws.rt, { today: '2031-06-03' })).toMatchObject({ sent: 1, deferred: 0 });
    expect(ws.sim.messages().filter((m) => m.params.number === ws.number(6))).toHaveLength(1);
  });

  it("reads first, in a tick of an earlier day, the pending reminders today's tick did not try", async () => {
    // The real day is 2 July 2031. Today's tick fails license 8's reminder in the morning; license
    // 9's was left pending, never sent, by a tick that died (later in the oldest-first order). That
    // afternoon the tick of the 1st (`--today`, catching up) defers license 8's: its pending limit
    // goes to license 9's, not to the one it would only defer.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-07-02T09:00:00+08:00'));
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    const rows = async () =>
      new Map(
        (await ws.ledger.reminders.forLicenses([ws.licenseId(8), ws.licenseId(9)])).map((r) => [
          r.licenseId,
          r.attempts,
        ]),
      );
    try {
      await ws.commit(8, '2031-07-05', { phone: '13912340108' });
      expect(await sendDueReminders(down)).toMatchObject({ today: '2031-07-02', due: 1, failed: 1 });
      await ws.commit(9, '2031-07-05', { phone: '13912340109' });
      await ws.ledger.reminders.open([
        {
          licenseId: ws.licenseId(9),
          version: 1,
          pipeline: ws.pipeline,
          target: 'holder-sms',
          threshold: 7,
          validTo: '2031-07-05',
          daysLeft: 4,
          dueDay: '2031-07-01',
        },
      ]);
      vi.setSystemTime(new Date('2031-07-02T15:00:00+08:00'));
      expect(await sendDueReminders(down, { today: '2031-07-01', pendingLimit: 1 })).toMatchObject({
        failed: 1,
        deferred: 0,
      });
      expect(await rows()).toEqual(
        new Map([
          [ws.licenseId(8), 1],
          [ws.licenseId(9), 1],
        ]),
      );
    } finally {
      vi.useRealTimers();
      await down.close();
    }
  });
});
