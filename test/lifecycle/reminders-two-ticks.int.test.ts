/**
 * Two lifecycle ticks running at once on one day (BullMQ hands a stalled tick to another worker,
 * and a stalled-out tick is queued again once): both read the same due and pending reminders,
 * and each reminder still reaches the gateway once — the tick that claims it sends it, the other
 * waits for its outcome. A reminder claimed by a tick that died is sent once its lease ran out.
 * The gateway answers slowly, so the two ticks' sends overlap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const TODAY = '2026-03-01';
const COUNT = 12;

describe('two reminder ticks at once', () => {
  let ws: ReminderWorkspace;
  const runtimes: Runtime[] = [];

  /** A tick of its own process: its own runtime and ledger connection. */
  function runtime(): Runtime {
    const rt = new Runtime(ws.config, quietLogger);
    runtimes.push(rt);
    return rt;
  }

  /** Requests the gateway got, replays included. */
  const requests = () => ws.sim.stats().requests;
  /** (license number, threshold) of every message the gateway sent, in order. */
  const received = () => ws.sim.messages().map((m) => `${m.params.number}@${m.reference.split(':').at(-1)}`);

  beforeAll(async () => {
    ws = await reminderWorkspace({ concurrency: 3, gatewayLatencyMs: 60 });
    // 19 days left on TODAY: the 30-day reminder.
    for (let n = 1; n <= COUNT; n++)
      await ws.commit(n, '2026-03-20', { phone: `1391234${String(n).padStart(4, '0')}` });
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.close();
    await ws?.close();
  });

  it('sends each due reminder once when two ticks write and send them at the same moment', async () => {
    const [s1, s2] = await Promise.all([
      sendDueReminders(runtime(), { today: TODAY }),
      sendDueReminders(runtime(), { today: TODAY }),
    ]);
    // One request per reminder: the gateway is never asked for one twice, so no holder depends on
    // it deduplicating simultaneous repeats.
    expect(requests()).toBe(COUNT);
    expect(received()).toHaveLength(COUNT);
    expect(new Set(received()).size).toBe(COUNT);
    expect(s1.sent + s2.sent).toBe(COUNT);
    expect(s1.failed + s2.failed).toBe(0);
    const ledger = await runtime().ledger();
    expect(await ledger.reminders.countByState()).toMatchObject({ pending: 0, sent: COUNT });
  });

  it('sends a pending reminder whose tick died holding it once the claim ran out', async () => {
    const rt = runtime();
    const ledger = await rt.ledger();
    // 5 days left: the 7-day reminder.
    await ws.commit(COUNT + 1, '2026-03-06', { phone: `1391234${String(COUNT + 1).padStart(4, '0')}` });
    // A tick wrote it pending and claimed it, then died before the gateway was asked.
    const [row] = await ledger.reminders.open([
      {
        licenseId: ws.licenseId(COUNT + 1),
        version: 1,
        pipeline: ws.pipeline,
        target: 'holder-sms',
        threshold: 7,
        validTo: '2026-03-06',
        daysLeft: 5,
        dueDay: TODAY,
      },
    ]);
    expect((await ledger.reminders.claim([row?.key ?? ''], 'tick:dead', 400)).claimed).toHaveLength(1);
    const before = requests();
    const [s1, s2] = await Promise.all([
      sendDueReminders(runtime(), { today: TODAY }),
      sendDueReminders(runtime(), { today: TODAY }),
    ]);
    expect(requests() - before).toBe(1);
    expect(received().filter((m) => m.startsWith(`${ws.number(COUNT + 1)}@`))).toEqual([
      `${ws.number(COUNT + 1)}@7`,
    ]);
    expect(s1.sent + s2.sent).toBe(1);
    expect(await ledger.reminders.countByState()).toMatchObject({ pending: 0, sent: COUNT + 1 });
  });
});
