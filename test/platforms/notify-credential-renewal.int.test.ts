/**
 * The notify target renews credentials as the REST/JSON target does (shared/auth/with-renewal.ts):
 * reminders refused together with the same stale token renew it once. Without the refused
 * request's headers, the later refusal threw away the token the earlier one had just fetched;
 * where issuing a token retires the previous one, the earlier reminder's one retry was then
 * refused too (TARGET_AUTH), and the reminder failed though the gateway was fine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function gateway() {
  let issued = 0;
  let valid = '';
  let calls = 0;
  const log: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      if (req.url === '/oauth/token') {
        issued += 1;
        valid = `tok-${issued}`; // issuing a token retires the previous one
        log.push(`issued ${valid}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: valid, expires_in: 7200 }));
        return;
      }
      const n = calls++;
      const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      // The two reminders' first tries (1 and 2) are answered after different delays; every
      // later request after 500 ms, its token checked when it is answered.
      await sleep(n === 1 ? 100 : n === 2 ? 400 : 500);
      const ok = bearer === valid;
      log.push(`message#${n} ${bearer} -> ${ok ? 200 : 401}`);
      if (!ok) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ reason: 'invalid_token' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, messageId: `msg-${n}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    rotate() {
      valid = 'rotated-elsewhere';
    },
  };
}

const reminder = (n: number) => ({
  key: `lic-00000${n}:1:30`,
  recipient: `1391234000${n}`,
  params: {
    licenseType: '食品经营许可证',
    number: `JY${n}`,
    issuer: '局',
    validTo: '2026-12-31',
    daysLeft: 30,
  },
});

describe('notify: oauth2 renewal race', () => {
  it('two reminders refused with the same stale token are both sent after one renewal', async () => {
    const g = await gateway();
    const target = new NotifyTarget('sms', {
      kind: 'notify',
      url: g.url,
      channel: 'sms',
      template: 'license-expiry',
      auth: {
        scheme: 'oauth2',
        tokenUrl: `${g.url}/oauth/token`,
        clientId: 'c',
        clientSecret: 'client-secret-xyz',
        refreshSkewSeconds: 60,
      },
      timeoutMs: 5000,
      concurrency: 2,
      attempts: 1,
      backoffMs: 10,
    } as never);
    closers.push(() => target.close());
    // Warm-up: tok-1 cached.
    expect((await target.send(reminder(0))).state).toBe('sent');
    // The gateway retires tok-1 (a restart, an operator revoking it, another caller).
    g.rotate();
    const settled = await Promise.allSettled([target.send(reminder(1)), target.send(reminder(2))]);
    const states = settled.map((s) =>
      s.status === 'fulfilled' ? s.value.state : `threw ${(s.reason as Error).message}`,
    );
    expect(states).toEqual(['sent', 'sent']);
    expect(g.log.filter((l) => l.startsWith('issued'))).toEqual(['issued tok-1', 'issued tok-2']);
  });
});
