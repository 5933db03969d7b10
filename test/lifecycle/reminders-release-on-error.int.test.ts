/**
 * A reminder tick that throws between claiming a reminder and recording its outcome (here the
 * ledger refuses the write that records it sent, as a full disk or a lost connection would) lets
 * its claim go: the retry of the tick sends the reminder at once, under the same key, and the
 * gateway replays its first answer — it does not wait for the dead claim's lease to run out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const TODAY = '2026-03-01';

describe('a reminder tick that throws before recording', () => {
  let ws: ReminderWorkspace;
  const runtimes: Runtime[] = [];

  beforeAll(async () => {
    ws = await reminderWorkspace();
    // 19 days left on TODAY: the 30-day reminder.
    await ws.commit(1, '2026-03-20', { phone: '13912340001' });
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.close();
    await ws?.close();
  });

  it('lets its claim go: the next claim takes the reminder at once', async () => {
    const raw = rawKnex(ws.config.ledger.url);
    try {
      await raw.raw(
        `create trigger refuse_sent before update of state on reminders when new.state = 'sent'
         begin select raise(abort, 'disk I/O error'); end`,
      );
      const rt = new Runtime(ws.config, quietLogger);
      runtimes.push(rt);
      await expect(sendDueReminders(rt, { today: TODAY })).rejects.toThrow(/disk I\/O error/);
    } finally {
      await raw.raw('drop trigger if exists refuse_sent');
      await raw.destroy();
    }
    // The gateway took it; the ledger still has it pending, and nobody holds it.
    expect(ws.sim.messages()).toHaveLength(1);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(row?.state).toBe('pending');
    const claim = await ws.ledger.reminders.claim([row?.key ?? ''], 'tick:probe', 60_000);
    expect(claim.claimed).toEqual([row?.key]);
    expect(claim.held.size).toBe(0);
    await ws.ledger.reminders.release([row?.key ?? ''], 'tick:probe');

    // The retry sends it under the same key: the gateway replays, and sends nothing again.
    const retry = new Runtime(ws.config, quietLogger);
    runtimes.push(retry);
    const s = await sendDueReminders(retry, { today: TODAY });
    expect(s).toMatchObject({ sent: 1, replayed: 1 });
    expect(ws.sim.messages()).toHaveLength(1);
    expect(await ws.ledger.reminders.countByState()).toMatchObject({ pending: 0, sent: 1 });
  });
});
