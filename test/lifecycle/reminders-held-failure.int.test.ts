/**
 * Two lifecycle ticks at once on one day, and a gateway that is down: a tick waiting for a reminder
 * the other holds does not send it again once the holder's send failed. The holder's failed
 * attempt counts for the day (one attempt a reminder, one timeout at the gateway), and the first
 * tick of the next day sends the reminder again — not the waiting one, at once, at the cost of a
 * second timeout.
 *
 * The gateway here holds every request until two are open, one from each tick (each tick sends one
 * reminder at a time, and a reminder is claimed by one tick): by then each tick has found the
 * other's reminder held. It then answers 503 to both, and to any request after.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const TODAY = '2026-03-01';

describe('a reminder tick waiting on a send that fails', () => {
  let ws: ReminderWorkspace;
  const runtimes: Runtime[] = [];
  let requests = 0;
  const open: ServerResponse[] = [];
  const unavailable = (res: ServerResponse) =>
    res
      .writeHead(503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ code: 503, reason: 'unavailable' }));
  const gateway = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      if (requests > 2) return unavailable(res);
      open.push(res);
      if (open.length === 2) for (const r of open.splice(0)) unavailable(r);
    });
  });

  beforeAll(async () => {
    ws = await reminderWorkspace({ concurrency: 1 });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    // 19 days left on TODAY: the 30-day reminder, one each, left pending by an earlier tick: both
    // ticks read them pending and send them again.
    for (const n of [1, 2]) await ws.commit(n, '2026-03-20', { phone: `1391234000${n}` });
    await ws.ledger.reminders.open(
      [1, 2].map((n) => ({
        licenseId: ws.licenseId(n),
        version: 1,
        pipeline: ws.pipeline,
        target: 'holder-sms',
        threshold: 30,
        validTo: '2026-03-20',
        daysLeft: 19,
        dueDay: TODAY,
      })),
    );
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.close();
    await new Promise((r) => gateway.close(r));
    await ws?.close();
  });

  it("counts the holder's failed send as the day's attempt: the waiting tick does not send it again", async () => {
    const { port } = gateway.address() as AddressInfo;
    // A timeout far longer than the test: the gateway's 503 ends each request.
    const config = ws.withGateway(`http://127.0.0.1:${port}`, 60_000);
    const tick = () => {
      const rt = new Runtime(config, quietLogger);
      runtimes.push(rt);
      return sendDueReminders(rt, { today: TODAY });
    };
    const [s1, s2] = await Promise.all([tick(), tick()]);
    // One request a reminder: each tick sent the one it claimed, and left the other's to the next tick.
    expect(requests).toBe(2);
    expect(s1.sent + s2.sent).toBe(0);
    // Both reminders still pending: each tick counts the one whose send failed under it, and the
    // other's as that tick's (its failure is in that tick's summary, not counted twice).
    expect([s1.failed, s2.failed]).toEqual([1, 1]);
    expect([s1.byOtherTick, s2.byOtherTick]).toEqual([1, 1]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1), ws.licenseId(2)]);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);

    // Another tick of the day leaves them to the next day (one attempt a day); the next day's
    // tick sends them, to a gateway that answers again.
    const next = new Runtime(ws.config, quietLogger);
    runtimes.push(next);
    expect(await sendDueReminders(next, { today: TODAY })).toMatchObject({ sent: 0, deferred: 2 });
    const s3 = await sendDueReminders(next, { today: '2026-03-02' });
    expect(s3.sent).toBe(2);
    expect(ws.sim.messages()).toHaveLength(2);
  });
});
