/**
 * A tick re-sends at most `pendingLimit` pending reminders (10,000 by default; 6 here). With one
 * notify target's gateway down for days and more of its reminders pending than the limit, the tick
 * tries five of them, takes the gateway for down and leaves the rest untried (reminder-sender.ts):
 * those keep their place at the head of the next day's read, and another target's pending
 * reminders, behind them, waited a day for every five of the down target's. Each target now has
 * its share of the limit: the other target's pending reminder is sent by the first tick.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace, TYPE } from './reminders-fixture.js';

/** The second pipeline's license type, reminded through the gateway that is down. */
const DOWN_TYPE = '11370200MB12345674002';
const DOWN_PIPELINE = 'fees';
const DOWN_TARGET = 'holder-sms-down';
/** Pending reminders of the target that is down: more than the limit, for days. */
const DOWN_ROWS = 20;

/** The workspace's config with a second pipeline whose reminders go to a gateway nobody answers at. */
function withTargetDown(c: Readonly<Config>): Readonly<Config> {
  const food = c.pipelines.food;
  const sms = c.targets['holder-sms'];
  const reminders = c.lifecycle?.reminders?.[TYPE];
  if (!food || sms?.kind !== 'notify' || !reminders) throw new Error('expected the reminder workspace');
  return {
    ...c,
    pipelines: { ...c.pipelines, [DOWN_PIPELINE]: { ...food, licenseType: DOWN_TYPE } },
    // Nothing listens on port 9: every send fails at once.
    targets: { ...c.targets, [DOWN_TARGET]: { ...sms, url: 'http://127.0.0.1:9', timeoutMs: 300 } },
    lifecycle: {
      ...c.lifecycle,
      reminders: { ...c.lifecycle?.reminders, [DOWN_TYPE]: { ...reminders, target: DOWN_TARGET } },
    },
  } as Readonly<Config>;
}

describe.each(BACKENDS)('pending reminders while another target is down ($name)', (backend) => {
  let ws: ReminderWorkspace;

  beforeAll(async () => {
    ws = await reminderWorkspace({ backend });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it("are sent by the first tick, not after the down target's backlog", async () => {
    const pending = (n: number, pipeline: string, target: string) => ({
      licenseId: ws.licenseId(n),
      version: 1,
      pipeline,
      target,
      threshold: 7,
      validTo: '2031-03-05',
      daysLeft: 7,
      dueDay: '2031-02-26',
    });
    // The down target's reminders, pending since before the other's.
    for (let n = 101; n <= 100 + DOWN_ROWS; n++) {
      await ws.commit(n, '2031-03-05', { phone: `13912341${n}` }, undefined, DOWN_PIPELINE);
      await ws.ledger.reminders.open([pending(n, DOWN_PIPELINE, DOWN_TARGET)]);
    }
    await ws.commit(1, '2031-03-05', { phone: '13912340101' });
    await ws.ledger.reminders.open([pending(1, ws.pipeline, 'holder-sms')]);

    const rt = new Runtime(withTargetDown(ws.config), ws.rt.logger);
    try {
      const first = await sendDueReminders(rt, { today: '2031-02-27', pendingLimit: 6 });
      expect(first).toMatchObject({ sent: 1 });
      expect(ws.messagesOf(1)).toEqual([{ threshold: 7, daysLeft: 6 }]);
      // The down target's are all still pending, for a later tick.
      const down = await ws.ledger.reminders.forLicenses(
        Array.from({ length: DOWN_ROWS }, (_, i) => ws.licenseId(101 + i)),
      );
      expect(down.map((r) => r.state)).toEqual(Array.from({ length: DOWN_ROWS }, () => 'pending'));
    } finally {
      await rt.close();
    }
  });
});
