/**
 * A tick re-sends at most `pendingLimit` pending reminders (10,000 by default; 2 here). When the
 * first ones it reads fail day after day (a gateway answering 503 for those messages), the ones
 * past the limit must still get their turn: read oldest first every day, the same failing rows
 * filled the limit of every tick, and a reminder past them stayed pending until its license
 * expired, never sent. A reminder tried on an earlier day now comes after those tried less lately.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { forwardRequest } from '../support/gate-proxy.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

/** A pass-through to `upstream` that answers 503 to each message whose reference is in `failing`. */
async function failingFor(upstream: string, failing: ReadonlySet<string>) {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let reference: unknown;
      try {
        reference = (JSON.parse(body.toString('utf8')) as { reference?: unknown }).reference;
      } catch {
        reference = undefined;
      }
      if (typeof reference === 'string' && failing.has(reference)) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 503, reason: 'unavailable' }));
        return;
      }
      forwardRequest(target, req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(BACKENDS)('pending reminders past the limit ($name)', (backend) => {
  let ws: ReminderWorkspace;

  beforeAll(async () => {
    ws = await reminderWorkspace({ backend });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('are sent on a later day although the first ones read fail every day', async () => {
    const licenses = [1, 2, 3];
    for (const n of licenses) {
      await ws.commit(n, '2031-03-05', { phone: `1391234010${n}` });
      // Pending since an earlier tick, one after another.
      await ws.ledger.reminders.open([
        {
          licenseId: ws.licenseId(n),
          version: 1,
          pipeline: ws.pipeline,
          target: 'holder-sms',
          threshold: 7,
          validTo: '2031-03-05',
          daysLeft: 7,
          dueDay: '2031-02-26',
        },
      ]);
    }
    // The two a tick reads first fail at the gateway every time; the third would go through.
    const order = (await ws.ledger.reminders.pending(10)).map((r) => r.key);
    expect(order).toHaveLength(3);
    const failing = new Set(order.slice(0, 2));
    const last = licenses.find((n) => order[2]?.startsWith(`${ws.licenseId(n)}:`)) as number;
    const gateway = await failingFor(ws.sim.url, failing);
    const rt = new Runtime(ws.withGateway(gateway.url), ws.rt.logger);
    try {
      const days = ['2031-02-27', '2031-02-28', '2031-03-01'];
      const summaries = [];
      for (const today of days) summaries.push(await sendDueReminders(rt, { today, pendingLimit: 2 }));
      expect(summaries[0]).toMatchObject({ sent: 0, failed: 2 });
      // Sent once, by the first tick that reached it, with the days left that day.
      expect(summaries.reduce((n, s) => n + s.sent, 0)).toBe(1);
      expect(ws.messagesOf(last)).toEqual([{ threshold: 7, daysLeft: 5 }]);
      const rows = await ws.ledger.reminders.forLicenses(licenses.map((n) => ws.licenseId(n)));
      expect(rows.filter((r) => r.state === 'sent').map((r) => r.key)).toEqual([order[2]]);
      // The failing two are still pending, each tried on its own days.
      expect(
        rows
          .filter((r) => r.state === 'pending')
          .map((r) => r.key)
          .sort(),
      ).toEqual([...failing].sort());
    } finally {
      await rt.close();
      await gateway.close();
    }
  });
});
