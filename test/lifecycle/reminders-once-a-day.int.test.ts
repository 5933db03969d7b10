/**
 * A reminder whose send failed is tried again on a later day, not by another tick of the same
 * day (migration 039): a tick started again that afternoon leaves it pending and says so
 * (`deferred`), and the first tick of the next day sends it. A tick that tells the day by the clock
 * tells it by the ledger's (ledger/db-clock.ts): those tests take their days from the ledger's today.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
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
});

describe("a failed reminder is tried once a day, its day told by the ledger's clock", () => {
  // A workspace each: a reminder one test leaves pending is not one another test's ticks read.
  let ws: ReminderWorkspace;
  /** The ledger's today in Asia/Shanghai (`lifecycle.timeZone`'s default). */
  const ledgerDay = async () => localDate('Asia/Shanghai', await ws.ledger.lostTicks.now());
  const saved = process.env.LICBRIDGE_TODAY;

  beforeEach(async () => {
    delete process.env.LICBRIDGE_TODAY;
    ws = await reminderWorkspace();
  });
  afterEach(async () => {
    if (saved !== undefined) process.env.LICBRIDGE_TODAY = saved;
    await ws?.close();
  });

  it('counts a failed send made past midnight for the day it was made, not the day the tick began', async () => {
    // Two ticks of the day before the ledger's today, begun late, each failing: one sends before
    // midnight (the clock still on its day: LICBRIDGE_TODAY pins it), the other once the ledger's
    // clock reads today. The second send was made today, so today's tick leaves it alone.
    const today = await ledgerDay();
    const dayBefore = addDays(today, -1);
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    const saved = process.env.LICBRIDGE_TODAY;
    try {
      await ws.commit(2, addDays(today, 3), { phone: '13912340102' });
      process.env.LICBRIDGE_TODAY = dayBefore;
      try {
        expect(await sendDueReminders(down)).toMatchObject({ today: dayBefore, failed: 1 });
      } finally {
        if (saved === undefined) delete process.env.LICBRIDGE_TODAY;
        else process.env.LICBRIDGE_TODAY = saved;
      }
      await ws.commit(3, addDays(today, 3), { phone: '13912340103' });
      expect(await sendDueReminders(down, { today: dayBefore, realDay: true })).toMatchObject({
        today: dayBefore,
        failed: 1,
        deferred: 1,
      });
    } finally {
      await down.close();
    }
    const days = (await ws.ledger.reminders.forLicenses([ws.licenseId(2), ws.licenseId(3)]))
      .map((r) => [r.licenseId, r.lastAttemptDay])
      .sort();
    expect(days).toEqual(
      [
        [ws.licenseId(2), dayBefore],
        [ws.licenseId(3), today],
      ].sort(),
    );
    // Today's tick, the gateway up: only the reminder tried the day before goes out today.
    const second = await sendDueReminders(ws.rt, { today });
    expect(second).toMatchObject({ sent: 1, deferred: 1 });
    const numbers = ws.sim.messages().map((m) => m.params.number);
    expect(numbers).toContain(ws.number(2));
    expect(numbers).not.toContain(ws.number(3));
  });

  it("leaves to tomorrow what today's tick tried this morning, in a tick of an earlier day run this afternoon", async () => {
    // Today's tick fails license 6's reminder in the morning; that afternoon an operator runs the
    // tick of the day before (`lifecycle run --today`, catching up on a lost tick): the attempt
    // made this morning is today's, so it is not made again.
    const today = await ledgerDay();
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    const row = async () => (await ws.ledger.reminders.forLicenses([ws.licenseId(6)]))[0];
    try {
      await ws.commit(6, addDays(today, 3), { phone: '13912340106' });
      expect(await sendDueReminders(down)).toMatchObject({ today, due: 1, failed: 1 });
      expect(await row()).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: today });
      expect(await sendDueReminders(down, { today: addDays(today, -1) })).toMatchObject({
        failed: 0,
        deferred: 1,
      });
      // The gateway was not asked again: no second attempt counted.
      expect(await row()).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: today });
      // A later day's rehearsal is no real day: it tries the reminder, and holds back no real tick.
      const later = addDays(today, 2);
      expect(await sendDueReminders(down, { today: later })).toMatchObject({ failed: 1, deferred: 0 });
      expect(await row()).toMatchObject({ attempts: 2, lastAttemptDay: later });
    } finally {
      await down.close();
    }
    // Tomorrow's tick sends it.
    expect(await sendDueReminders(ws.rt, { today: addDays(today, 1) })).toMatchObject({
      sent: 1,
      deferred: 0,
    });
    expect(ws.sim.messages().filter((m) => m.params.number === ws.number(6))).toHaveLength(1);
  });

  it("reads first, in a tick of an earlier day, the pending reminders today's tick did not try", async () => {
    // Today's tick fails license 8's reminder in the morning; license 9's was left pending, never
    // sent, by a tick that died (later in the oldest-first order). That afternoon the tick of the
    // day before (`--today`, catching up) defers license 8's: its pending limit goes to license
    // 9's, not to the one it would only defer.
    const today = await ledgerDay();
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    const rows = async () =>
      new Map(
        (await ws.ledger.reminders.forLicenses([ws.licenseId(8), ws.licenseId(9)])).map((r) => [
          r.licenseId,
          r.attempts,
        ]),
      );
    try {
      await ws.commit(8, addDays(today, 3), { phone: '13912340108' });
      expect(await sendDueReminders(down)).toMatchObject({ today, due: 1, failed: 1 });
      await ws.commit(9, addDays(today, 3), { phone: '13912340109' });
      await ws.ledger.reminders.open([
        {
          licenseId: ws.licenseId(9),
          version: 1,
          pipeline: ws.pipeline,
          target: 'holder-sms',
          threshold: 7,
          validTo: addDays(today, 3),
          daysLeft: 4,
          dueDay: addDays(today, -1),
        },
      ]);
      expect(await sendDueReminders(down, { today: addDays(today, -1), pendingLimit: 1 })).toMatchObject({
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
      await down.close();
    }
  });
});
