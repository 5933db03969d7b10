/**
 * A reminder whose credentials could not be made here (the token endpoint failing) is let go
 * untried, for the next tick. One another tick's `sent` closed meanwhile (recorded whoever holds
 * the row) was counted `failed` all the same, 'still pending, for the next tick', though nothing was
 * left pending and the holder had the other tick's message: it is that tick's, `byOtherTick`, as a
 * drop, a skip and a failed send closed so are (reminders-closed-by-other-tick.int.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { listenLocal } from '../support/listen-local.js';
import { lineLogger } from '../support/log-lines.js';
import { outcomes, sentByOther } from './other-tick-fixture.js';
import { gatewayAnswering, withOAuth2Client } from './reminder-gateways.js';
import { blockWorkspace } from './reminders-fixture.js';

const prefix = `test-${randomUUID()}`;

afterAll(async () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('a reminder whose credentials could not be made, closed by another tick meanwhile', () => {
  const ws = blockWorkspace();

  it('is counted byOtherTick, not failed', async () => {
    await ws.commit(1, '2032-03-28', { phone: '13912395001' });
    const gateway = await gatewayAnswering(() => ({ code: 0, messageId: 'm-1' }));
    // The token endpoint fails this tick's request; the other tick's answer is recorded before it does.
    const token = await listenLocal(
      createServer((req, res) => {
        req.resume();
        req.on('end', async () => {
          await sentByOther(ws.ledger.reminders, await ws.ledger.reminders.forLicenses([ws.licenseId(1)]));
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'unavailable' }));
        });
      }),
    );
    const log = lineLogger('warn');
    const rt = new Runtime(
      withOAuth2Client(ws.withGateway(gateway.url), `${token.origin}/oauth/token`, prefix, 'cs-fake-5e02b1'),
      log.logger,
    );
    try {
      const s = await sendDueReminders(rt, { today: '2032-03-10' });
      expect(s).toMatchObject({ due: 1, sent: 0, failed: 0, skipped: 0, dropped: 0, byOtherTick: 1 });
      expect(outcomes(s)).toBe(s.due);
      expect(gateway.references).toEqual([]);
      // Said, and not as left pending.
      const said = log.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(said).toContainEqual(
        expect.stringContaining('credentials could not be made; another tick has closed it since'),
      );
    } finally {
      await rt.close();
      await gateway.close();
      await token.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(row).toMatchObject({ state: 'sent', attempts: 0 });
  });
});
