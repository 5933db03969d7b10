/**
 * A reminder tick whose claim on a reminder fails (the ledger refuses the write, as a lost
 * connection would) fails as a tick whose outcome write fails does: its other workers take no
 * further reminder, and the tick fails only once they stopped — not while one of them is still
 * sending, leaving a send in flight under a tick already reported failed (and a retry finding that
 * send's claim held). Nothing stays leased: the retry sends what is left at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const TODAY = '2026-03-01';

describe('a reminder tick whose claim fails', () => {
  let ws: ReminderWorkspace;
  const runtimes: Runtime[] = [];

  beforeAll(async () => {
    // Two workers: one claim fails while the other worker's reminder is on its way.
    ws = await reminderWorkspace({ concurrency: 2 });
    // 19 days left on TODAY: the 30-day reminder, one each.
    for (const n of [1, 2, 3]) await ws.commit(n, '2026-03-20', { phone: `1391234000${n}` });
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.close();
    await ws?.close();
  });

  it('fails once its other workers stopped, with their sends recorded and nothing leased', async () => {
    const rt = new Runtime(ws.config, quietLogger);
    runtimes.push(rt);
    const store = (await rt.ledger()).reminders;
    const claim = store.claim.bind(store);
    let claims = 0;
    store.claim = async (...args) => {
      claims += 1;
      // The first worker's first claim: the second worker has asked for its own by then.
      if (claims === 1) throw new Error('connection terminated unexpectedly');
      return claim(...args);
    };
    await expect(sendDueReminders(rt, { today: TODAY })).rejects.toThrow(/connection terminated/);
    // The other worker's send had begun: it is recorded before the tick fails, and that worker
    // took no further reminder.
    expect(await ws.ledger.reminders.countByState()).toMatchObject({ pending: 2, sent: 1 });
    expect(ws.sim.messages()).toHaveLength(1);
    const rows = await ws.ledger.reminders.forLicenses([1, 2, 3].map((n) => ws.licenseId(n)));
    const pending = rows.filter((r) => r.state === 'pending');
    expect(pending.map((r) => r.attempts)).toEqual([0, 0]);
    const probe = await ws.ledger.reminders.claim(
      pending.map((r) => r.key),
      'tick:probe',
      60_000,
    );
    expect(probe.claimed).toHaveLength(2);
    await ws.ledger.reminders.release(
      pending.map((r) => r.key),
      'tick:probe',
    );

    // The retry sends the two left, at once.
    const retry = new Runtime(ws.config, quietLogger);
    runtimes.push(retry);
    expect(await sendDueReminders(retry, { today: TODAY })).toMatchObject({ sent: 2, failed: 0 });
    expect(ws.sim.messages()).toHaveLength(3);
  });
});
