/**
 * What the reminder step makes of a gateway's answers: only a refusal of the message itself
 * closes a reminder as skipped — a wrong path, a missing route or a conflict leaves it pending for
 * the next tick — and a message id that may carry the holder's number never reaches the ledger or
 * the audit chain as it came.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { gatewayReplying } from './reminder-gateways.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('reminders and what the gateway answers', () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('a message id carrying the number in another form than the one sent is stored and audited only as a digest', async () => {
    // Written with spaces and a country code, sent as +8613912340002; the gateway's id holds the
    // national form.
    await ws.commit(2, '2027-03-31', { phone: '+86 139 1234 0002' });
    const gw = await gatewayReplying(({ recipient }) => ({
      status: 200,
      body: { code: 0, messageId: `sms-${recipient.replace(/^\+86/, '')}-0001` },
    }));
    const rt = new Runtime(ws.withGateway(gw.url), ws.rt.logger);
    try {
      expect(await sendDueReminders(rt, { today: '2027-03-20' })).toMatchObject({ sent: 1 });
    } finally {
      await rt.close();
      await gw.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(2)]);
    expect(row).toMatchObject({ state: 'sent' });
    expect(row?.messageId).toMatch(/^sha256:[0-9a-f]{32}$/);
    const audit = (await ws.ledger.readAudit({ limit: 10_000 })).filter((e) => e.action === 'remind');
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.detail ?? '{}').messageId).toBe(row?.messageId);
    const text = JSON.stringify(await ws.ledger.reminders.list()) + JSON.stringify(audit);
    expect(text).not.toContain('13912340002');
    expect(text).not.toContain('1234000');
  });

  it('a gateway answering 404 (a wrong url path, a route missing during a deploy) leaves the reminders pending; they go out once it is fixed', async () => {
    const batch = [40, 41, 42];
    for (const n of batch) await ws.commit(n, '2028-03-31', { phone: `1391234${n}00` });
    const wrong = new Runtime(ws.withGateway(`${ws.sim.url}/v2`), ws.rt.logger);
    try {
      const s = await sendDueReminders(wrong, { today: '2028-03-10' });
      expect(s).toMatchObject({ due: 3, sent: 0, skipped: 0, failed: 3 });
    } finally {
      await wrong.close();
    }
    const rows = await ws.ledger.reminders.forLicenses(batch.map(ws.licenseId));
    expect(rows.map((r) => r.state)).toEqual(['pending', 'pending', 'pending']);
    expect(rows.every((r) => r.attempts === 1 && /404/.test(r.reason ?? ''))).toBe(true);

    const before = ws.sim.stats().sent;
    const fixed = await sendDueReminders(ws.rt, { today: '2028-03-11' });
    expect(fixed).toMatchObject({ due: 0, sent: 3, skipped: 0, failed: 0 });
    expect(ws.sim.stats().sent - before).toBe(3);
    const after = await ws.ledger.reminders.forLicenses(batch.map(ws.licenseId));
    expect(after.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('counts 404s toward the cut-off of a gateway that is down: the tick stops asking after five', async () => {
    const batch = [50, 51, 52, 53, 54, 55, 56, 57];
    for (const n of batch) await ws.commit(n, '2029-03-31', { phone: `1391235${n}00` });
    let asked = 0;
    const gw = await gatewayReplying(() => {
      asked += 1;
      return { status: 404, body: { code: 404, reason: 'not-found' } };
    });
    const rt = new Runtime(ws.withGateway(gw.url), ws.rt.logger);
    try {
      const s = await sendDueReminders(rt, { today: '2029-03-10' });
      expect(s).toMatchObject({ due: 8, sent: 0, skipped: 0, failed: 8 });
    } finally {
      await rt.close();
      await gw.close();
    }
    expect(asked).toBe(5);
    const rows = await ws.ledger.reminders.forLicenses(batch.map(ws.licenseId));
    expect(rows.every((r) => r.state === 'pending')).toBe(true);
  });

  it('a 409 (another client sending the same key) leaves the reminder pending; the next tick sends it, once', async () => {
    await ws.commit(61, '2031-03-31', { phone: '13912361000' });
    // Another client holds the key in flight at the gateway: the first ask is answered 409.
    let asked = 0;
    let sent = 0;
    const gw = await gatewayReplying(async () => {
      asked += 1;
      if (asked === 1) return { status: 409, body: { code: 409, reason: 'in-flight' } };
      sent += 1;
      return { status: 200, body: { code: 0, messageId: 'msg-b1' } };
    });
    const rt = new Runtime(ws.withGateway(gw.url), ws.rt.logger);
    try {
      expect(await sendDueReminders(rt, { today: '2031-03-10' })).toMatchObject({ sent: 0, failed: 1 });
      const [waiting] = await ws.ledger.reminders.forLicenses([ws.licenseId(61)]);
      expect(waiting).toMatchObject({ state: 'pending' });
      expect(await sendDueReminders(rt, { today: '2031-03-11' })).toMatchObject({ sent: 1, failed: 0 });
    } finally {
      await rt.close();
      await gw.close();
    }
    expect(sent).toBe(1);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(61)]);
    expect(row).toMatchObject({ state: 'sent', messageId: 'msg-b1' });
  });

  it('a 409 for a reminder another tick is sending does not close it: it ends sent, once', async () => {
    await ws.commit(60, '2030-03-31', { phone: '13912360000' });
    // Left pending by a tick whose gateway was down.
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      expect(await sendDueReminders(down, { today: '2030-03-10' })).toMatchObject({ failed: 1 });
    } finally {
      await down.close();
    }
    // The gateway takes the first request slowly, and answers 409 to the same key meanwhile. Slowly
    // is 3 s: the second tick must reach the reminder while the first request is held, and the
    // first tick's client (8 s) must outwait the hold; both run in this process, so a pause of it
    // under a full suite comes off each margin (800 ms against 2 s left 0.8 s and 1.2 s).
    const inFlight = new Set<string>();
    let sent = 0;
    let arrived: () => void = () => {};
    const firstArrived = new Promise<void>((r) => {
      arrived = r;
    });
    const gw = await gatewayReplying(async (_body, _raw, key) => {
      if (inFlight.has(key)) return { status: 409, body: { code: 409, reason: 'in-flight' } };
      inFlight.add(key);
      arrived();
      await new Promise((r) => setTimeout(r, 3000));
      inFlight.delete(key);
      sent += 1;
      return { status: 200, body: { code: 0, messageId: 'msg-a1' } };
    });
    const a = new Runtime(ws.withGateway(gw.url, 8000), ws.rt.logger);
    const b = new Runtime(ws.withGateway(gw.url, 8000), ws.rt.logger);
    try {
      const first = sendDueReminders(a, { today: '2030-03-11' });
      // The second tick starts once the first one's request is at the gateway (a fixed pause let a
      // loaded host start the second tick first).
      await firstArrived;
      const second = await sendDueReminders(b, { today: '2030-03-11' });
      // The first tick holds its claim on the reminder (ledger/reminder-claims.ts): the second one
      // waits for its outcome instead of asking the gateway too, finds it sent, and says so.
      expect(second).toMatchObject({ sent: 0, skipped: 0, failed: 0, byOtherTick: 1 });
      expect(await first).toMatchObject({ sent: 1, skipped: 0 });
    } finally {
      await a.close();
      await b.close();
      await gw.close();
    }
    expect(sent).toBe(1);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(60)]);
    expect(row).toMatchObject({ state: 'sent', messageId: 'msg-a1' });
    const audit = (await ws.ledger.readAudit({ limit: 10_000 })).filter(
      (e) => e.action === 'remind' && e.licenseId === ws.licenseId(60),
    );
    expect(audit.map((e) => JSON.parse(e.detail).state)).toEqual(['sent']);
  });

  it('a refusal or a failure echoing the number written apart is stored and audited with it masked', async () => {
    await ws.commit(70, '2032-03-31', { phone: '13912340070' });
    await ws.commit(71, '2032-03-31', { phone: '+86 139 1234 0071' });
    // The gateway writes the number its own way: apart, with dashes or dots, in a short reason.
    const gw = await gatewayReplying(({ recipient }) => {
      const apart = `${recipient.slice(0, 3)}-${recipient.slice(3, 7)}-${recipient.slice(7)}`;
      return recipient.endsWith('0070')
        ? { status: 422, body: { code: 422, reason: `no-route-${apart}` } }
        : { status: 503, body: { code: 503, reason: `busy.${apart.replaceAll('-', '.')}` } };
    });
    const rt = new Runtime(ws.withGateway(gw.url), ws.rt.logger);
    try {
      expect(await sendDueReminders(rt, { today: '2032-03-10' })).toMatchObject({ skipped: 1, failed: 1 });
    } finally {
      await rt.close();
      await gw.close();
    }
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(70), ws.licenseId(71)]);
    const refused = rows.find((r) => r.licenseId === ws.licenseId(70));
    expect(refused).toMatchObject({ state: 'skipped', reason: 'gateway-refused:no-route-***-****-0070' });
    expect(rows.find((r) => r.licenseId === ws.licenseId(71))?.state).toBe('pending');
    const audit = (await ws.ledger.readAudit({ limit: 10_000 })).filter(
      (e) => e.licenseId === ws.licenseId(70) || e.licenseId === ws.licenseId(71),
    );
    // Neither number, in any form, in what the ledger and the audit chain keep.
    for (const text of [...rows.map((r) => r.reason ?? ''), ...audit.map((e) => JSON.stringify(e))]) {
      const digits = text.replace(/[^0-9]/g, '');
      expect(digits).not.toContain('12340070');
      expect(digits).not.toContain('12340071');
    }
  });

  it("a reminder another tick tried while this one waited for it is that tick's to count, not this tick's failure", async () => {
    for (const n of [62, 63]) await ws.commit(n, '2033-03-31', { phone: `139123${n}000` });
    // Left pending by a tick whose gateway was down: both ticks below read both rows pending.
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      expect(await sendDueReminders(down, { today: '2033-03-10' })).toMatchObject({ failed: 2 });
    } finally {
      await down.close();
    }
    // A gateway behind a proxy: every message is held until two are open, one from each tick (each
    // sends one reminder at a time, and a reminder is claimed by one tick), so the tick sending the
    // second has found the first held. The proxy then gives up on the first with a 504 though the
    // gateway took it; the second is answered.
    const open: (() => void)[] = [];
    const delivered: string[] = [];
    const gw = await gatewayReplying(async (_body, _raw, key) => {
      const first = open.length === 0 && delivered.length === 0;
      await new Promise<void>((r) => {
        open.push(r);
        if (open.length === 2) for (const go of open.splice(0)) go();
      });
      delivered.push(key);
      return first
        ? { status: 504, body: { code: 504, reason: 'upstream-timeout' } }
        : { status: 200, body: { code: 0, messageId: 'msg-c2' } };
    });
    const tick = async () => {
      const rt = new Runtime(ws.withGateway(gw.url), ws.rt.logger);
      try {
        return await sendDueReminders(rt, { today: '2033-03-11' });
      } finally {
        await rt.close();
      }
    };
    try {
      const summaries = await Promise.all([tick(), tick()]);
      // Two messages, one a reminder: no reminder asked twice.
      expect(new Set(delivered).size).toBe(2);
      const waited = summaries.find((s) => s.sent === 1);
      const answered504 = summaries.find((s) => s.sent === 0);
      // The tick that got the 504 counts its failed attempt; the tick that waited for that reminder
      // never asked the gateway for it, and says it was another tick's, not a failure of its own.
      expect(waited).toMatchObject({ sent: 1, failed: 0, byOtherTick: 1 });
      expect(answered504).toMatchObject({ sent: 0, failed: 1, byOtherTick: 1 });
    } finally {
      await gw.close();
    }
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(62), ws.licenseId(63)]);
    expect(rows.map((r) => r.state).sort()).toEqual(['pending', 'sent']);
    // One attempt on the day for the 504, the tick's that made it.
    expect(rows.find((r) => r.state === 'pending')).toMatchObject({
      attempts: 2,
      lastAttemptDay: '2033-03-11',
    });
    // The next day's tick sends it again under its key (a gateway that took it replays its answer).
    expect(await sendDueReminders(ws.rt, { today: '2033-03-12' })).toMatchObject({ sent: 1, failed: 0 });
  });
});
