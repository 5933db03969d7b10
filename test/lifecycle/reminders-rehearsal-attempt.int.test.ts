/**
 * A failed send counts for its day (migration 039): no other tick of that day tries the reminder
 * again. A rehearsal (a tick of a later day, `lifecycle run --today`) stored its own day there, so
 * when that day came its real tick took the reminder as tried already and left it to the day
 * after: the rehearsal of tomorrow run this afternoon, the gateway down, held back tomorrow's real
 * reminder by a day. A rehearsal's failed attempt is counted, and stores no day: it holds back no
 * real tick, before its day or on it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe("a rehearsal's failed reminder", () => {
  let ws: ReminderWorkspace;

  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });
  const pinned = process.env.LICBRIDGE_TODAY;
  afterEach(() => {
    if (pinned === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = pinned;
  });

  it("does not hold back the rehearsed day's real tick", async () => {
    // The real day is 1 August 2031 (LICBRIDGE_TODAY: the tick takes the real day from the
    // ledger's clock, which no test moves). Nothing listens on port 9: every send fails.
    const at = (day: string) => {
      process.env.LICBRIDGE_TODAY = day;
    };
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    const row = async () => (await ws.ledger.reminders.forLicenses([ws.licenseId(1)]))[0];
    try {
      at('2031-08-01');
      await ws.commit(1, '2031-08-06', { phone: '13912340101' });
      // This afternoon, the rehearsal of tomorrow.
      expect((await lifecycleTick(down, { today: '2031-08-02' })).reminders).toMatchObject({
        due: 1,
        failed: 1,
      });
      expect(await row()).toMatchObject({ state: 'pending', attempts: 1 });
      // Tomorrow's real tick tries it (and fails again): not deferred to the 3rd.
      at('2031-08-02');
      expect((await lifecycleTick(down)).reminders).toMatchObject({
        today: '2031-08-02',
        failed: 1,
        deferred: 0,
      });
      expect(await row()).toMatchObject({ state: 'pending', attempts: 2, lastAttemptDay: '2031-08-02' });
      // A second real tick that day leaves it to the 3rd, as for any reminder tried that day.
      at('2031-08-02');
      expect((await lifecycleTick(down)).reminders).toMatchObject({ failed: 0, deferred: 1 });
    } finally {
      await down.close();
    }
  });
});
