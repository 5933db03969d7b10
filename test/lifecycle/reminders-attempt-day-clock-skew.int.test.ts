/**
 * A reminder whose send failed counts for the day it failed on by the ledger's clock
 * (ledger/db-clock.ts), as the tick tells its today, on both ledger backends: tried again by the
 * first tick of the next day, and not by another tick of the same day (migration 039). Before, the
 * day a failed send stored and the last day a tick took as "tried today" came from the sending
 * host's clock. A host minutes ahead of the ledger's at midnight stamped a send failed on the
 * ledger's day with the next day: a tick of the same day sent it again (a holder reached twice in
 * a day when the gateway took the first without answering), and the next day's tick deferred it.
 * A host behind stamped a send failed past the ledger's midnight with the day before: the new
 * day's tick sent it again minutes later. Each host here is this process with `Date` faked, 5
 * minutes on the other side of the ledger's midnight in Asia/Shanghai (`lifecycle.timeZone`'s
 * default); the database keeps its own time. The gateway the skewed hosts send to is down.
 */
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS, type Backend } from '../ledger/backends.js';
import { atHost } from '../ledger/clock-skew.js';
import { type ReminderWorkspace, realDayWorkspace } from './reminders-fixture.js';

const ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no summer time). */
const ZONE_OFFSET_MS = 8 * 3_600_000;
const FIVE_MINUTES = 5 * 60_000;

/** The ledger's day, and how far off the clocks of hosts 5 minutes past its next midnight and 5 minutes before its last are. */
async function ledgerDay(ws: ReminderWorkspace) {
  const now = await ws.ledger.lostTicks.now();
  const sinceMidnight = (now.getTime() + ZONE_OFFSET_MS) % DAY_MS;
  return {
    day: localDate(ZONE, now),
    aheadMs: DAY_MS - sinceMidnight + FIVE_MINUTES,
    behindMs: -(sinceMidnight + FIVE_MINUTES),
  };
}

/** `work` with the workspace's notify target pointed at a port nothing listens on: each send fails. */
async function gatewayDown<T>(ws: ReminderWorkspace, work: (rt: Runtime) => Promise<T>): Promise<T> {
  const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
  try {
    return await work(down);
  } finally {
    await down.close();
  }
}

function skewedWorkspace(backend: Backend) {
  const ws = realDayWorkspace({ backend });
  const row = async (n: number) => (await ws.ledger.reminders.forLicenses([ws.licenseId(n)]))[0];
  return { ws, row };
}

describe.each(BACKENDS)('the day of a failed reminder, told by the ledger clock ($name)', (backend) => {
  describe('a tick on a host ahead of the ledger at midnight', () => {
    const { ws, row } = skewedWorkspace(backend);

    it("counts the failed send for the ledger's day: not sent again that day, sent by the next day's tick", async () => {
      const { day, aheadMs } = await ledgerDay(ws);
      await ws.commit(1, addDays(day, 5), { phone: '13912340501' });
      // The host reads 00:05 of the next day; the tick's today is the ledger's.
      const first = await gatewayDown(ws, (down) => atHost(aheadMs, () => lifecycleTick(down)));
      expect(first.today).toBe(day);
      expect(first.reminders).toMatchObject({ due: 1, sent: 0, failed: 1 });
      expect(await row(1)).toMatchObject({ state: 'pending', attempts: 1 });

      // Another tick of the ledger's day, on a host on time, the gateway up: the holder is not
      // reached a second time that day.
      const again = await lifecycleTick(ws.rt);
      expect(again.today).toBe(day);
      expect(again.reminders).toMatchObject({ sent: 0, failed: 0, deferred: 1 });
      expect(ws.messagesOf(1)).toEqual([]);
      expect(await row(1)).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: day });

      // The next day's tick (its day named: the ledger's clock is not moved here) sends it.
      const next = await sendDueReminders(ws.rt, { today: addDays(day, 1) });
      expect(next).toMatchObject({ sent: 1, deferred: 0 });
      expect(ws.messagesOf(1)).toEqual([{ threshold: 7, daysLeft: 4 }]);
    });
  });

  describe("a tick run past the ledger's midnight on a host behind it", () => {
    const { ws, row } = skewedWorkspace(backend);

    it("counts the failed send for the ledger's new day: the new day's tick leaves it to the day after", async () => {
      const { day, behindMs } = await ledgerDay(ws);
      await ws.commit(2, addDays(day, 5), { phone: '13912340502' });
      // The tick of the day before, still sending once the ledger's clock has turned (as tick.ts
      // hands its reminders the real day it began on); the host still reads 23:55 of that day.
      const late = await gatewayDown(ws, (down) =>
        atHost(behindMs, () => sendDueReminders(down, { today: addDays(day, -1), realDay: true })),
      );
      expect(late).toMatchObject({ due: 1, sent: 0, failed: 1 });
      expect(await row(2)).toMatchObject({ state: 'pending', attempts: 1 });

      // The ledger's day's tick, minutes later on a host on time, the gateway up: the send failed
      // on its day already, so it is not made again before the day after.
      const today = await lifecycleTick(ws.rt);
      expect(today.today).toBe(day);
      expect(today.reminders).toMatchObject({ sent: 0, failed: 0, deferred: 1 });
      expect(ws.messagesOf(2)).toEqual([]);
      expect(await row(2)).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: day });
    });
  });
});
