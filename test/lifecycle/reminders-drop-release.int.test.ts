/**
 * A tick that claimed a superseded reminder to drop it, and whose drop the ledger refused (a full
 * disk, a lost connection), lets its claim go before it fails, as it does after a send that threw:
 * the retry of the tick drops the reminder at once. Held, the retry would find the dead tick's
 * claim, leave the reminder pending and drop nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

/** The day the 30-day reminder was due (30 days left), and a later one when the 7-day one is (5 left). */
const EARLIER = '2026-03-01';
const LATER = '2026-03-26';

describe('a reminder tick whose drop the ledger refuses', () => {
  let ws: ReminderWorkspace;
  const runtimes: Runtime[] = [];
  const tick = (today: string) => {
    const rt = new Runtime(ws.config, quietLogger);
    runtimes.push(rt);
    return sendDueReminders(rt, { today });
  };

  beforeAll(async () => {
    ws = await reminderWorkspace();
    await ws.commit(1, '2026-03-31', { phone: '13912340001' });
    // The 30-day reminder, left pending (written, never sent).
    await ws.ledger.reminders.open([
      {
        licenseId: ws.licenseId(1),
        version: 1,
        pipeline: ws.pipeline,
        target: 'holder-sms',
        threshold: 30,
        validTo: '2026-03-31',
        daysLeft: 30,
        dueDay: EARLIER,
      },
    ]);
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.close();
    await ws?.close();
  });

  it('lets its claim go: the retry drops the reminder at once', async () => {
    const raw = rawKnex(ws.config.ledger.url);
    try {
      await raw.raw(
        `create trigger refuse_dropped before update of state on reminders when new.state = 'dropped'
         begin select raise(abort, 'disk I/O error'); end`,
      );
      await expect(tick(LATER)).rejects.toThrow(/disk I\/O error/);
    } finally {
      await raw.raw('drop trigger if exists refuse_dropped');
      await raw.destroy();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(row).toMatchObject({ threshold: 30, state: 'pending' });

    expect(await tick(LATER)).toMatchObject({ dropped: 1, sent: 1 });
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(rows.map((r) => [r.threshold, r.state, r.reason]).sort()).toEqual([
      [30, 'dropped', 'superseded'],
      [7, 'sent', null],
    ]);
    expect(ws.sim.messages().map((m) => m.params.daysLeft)).toEqual([5]);
  });
});
