/**
 * A reminder whose gateway token could not be fetched (the token endpoint down, failing, busy with
 * a Retry-After, or refusing the client) never left this host. It was counted as a failed attempt
 * of the day all the same: the next tick of that day left it to the next day, though the gateway
 * had seen nothing. It now stays untried, said in a log line naming the target and the token
 * endpoint, and the next tick sends it. A failure after the reminder left (the gateway refused the
 * token, and the token endpoint then failed to give another) is an attempt, as before.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { listenLocal } from '../support/listen-local.js';
import { lineLogger } from '../support/log-lines.js';
import { gatewayAnswering, type LocalGateway, withOAuth2Client } from './reminder-gateways.js';
import { blockWorkspace, type ReminderWorkspace } from './reminders-fixture.js';

const prefix = `test-${randomUUID()}`;
const SECRET = 'cs-fake-7d31a0';

afterAll(async () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

interface TokenAnswer {
  status: number;
  headers?: Record<string, string>;
  body: object;
}

const TOKEN: TokenAnswer = { status: 200, body: { access_token: 'tok-fake', expires_in: 7200 } };

/** A token endpoint answering its n-th request (from 1) with `answer(n)`. */
async function tokenEndpoint(answer: (n: number) => TokenAnswer) {
  let asked = 0;
  const local = await listenLocal(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        asked += 1;
        const a = answer(asked);
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end(JSON.stringify(a.body));
      });
    }),
  );
  return { url: `${local.origin}/oauth/token`, origin: local.origin, asked: () => asked, close: local.close };
}

/** The workspace's config, its notify target on `gateway` with an OAuth2 client of its own at `tokenUrl`. */
function oauthConfig(ws: ReminderWorkspace, gateway: LocalGateway, tokenUrl: string): Readonly<Config> {
  return withOAuth2Client(ws.withGateway(gateway.url), tokenUrl, prefix, SECRET);
}

describe('a reminder whose token could not be fetched', () => {
  const log = lineLogger('warn');
  const ws = blockWorkspace({ logger: log.logger });

  const failures: [string, number, (n: number) => TokenAnswer][] = [
    ['failing (503)', 1, () => ({ status: 503, body: { error: 'unavailable' } })],
    ['refusing the client (401)', 2, () => ({ status: 401, body: { error: 'invalid_client' } })],
  ];

  it.each(failures)(
    'the token endpoint %s: left untried, sent by the next tick that day',
    async (_, n, fail) => {
      await ws.commit(n, `2032-0${n}-28`, { phone: `1391239200${n}` });
      const today = `2032-0${n}-10`;
      const gateway = await gatewayAnswering(() => ({ code: 0, messageId: `m-${n}` }));
      let up = false;
      const token = await tokenEndpoint((k) => (up ? TOKEN : fail(k)));
      try {
        const config = oauthConfig(ws, gateway, token.url);
        log.lines.length = 0;
        expect(await ws.tick(config, today)).toMatchObject({ due: 1, sent: 0, failed: 1 });
        expect(gateway.references).toEqual([]);
        expect(token.asked()).toBeGreaterThan(0);
        const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(n)]);
        expect(row).toMatchObject({ state: 'pending', attempts: 0, lastAttemptDay: null });
        // Said, naming the target and the token endpoint; no secret in any line.
        const said = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(said).toContainEqual(expect.objectContaining({ target: 'holder-sms', origin: token.origin }));
        expect(log.lines.join('\n')).not.toContain(SECRET);
        expect(log.lines.join('\n')).not.toContain(`1391239200${n}`);

        up = true;
        expect(await ws.tick(config, today)).toMatchObject({ sent: 1, failed: 0, deferred: 0 });
        expect(gateway.references).toEqual([`${ws.licenseId(n)}:1:30`]);
      } finally {
        await gateway.close();
        await token.close();
      }
    },
  );

  it('the token endpoint down: left untried, sent by the next tick that day', async () => {
    await ws.commit(3, '2032-03-28', { phone: '13912392003' });
    const gateway = await gatewayAnswering(() => ({ code: 0, messageId: 'm-3' }));
    const token = await tokenEndpoint(() => TOKEN);
    try {
      // Nothing listens on port 9.
      log.lines.length = 0;
      const down = oauthConfig(ws, gateway, 'http://127.0.0.1:9/oauth/token');
      expect(await ws.tick(down, '2032-03-10')).toMatchObject({ due: 1, sent: 0, failed: 1 });
      expect(gateway.references).toEqual([]);
      expect((await ws.ledger.reminders.forLicenses([ws.licenseId(3)]))[0]).toMatchObject({
        state: 'pending',
        attempts: 0,
        lastAttemptDay: null,
      });
      const said = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(said).toContainEqual(
        expect.objectContaining({ target: 'holder-sms', origin: 'http://127.0.0.1:9' }),
      );
      expect(await ws.tick(oauthConfig(ws, gateway, token.url), '2032-03-10')).toMatchObject({
        sent: 1,
        deferred: 0,
      });
      expect(gateway.references).toEqual([`${ws.licenseId(3)}:1:30`]);
    } finally {
      await gateway.close();
      await token.close();
    }
  });

  it('the token endpoint busy with a Retry-After: left untried, the gateway not asked', async () => {
    await ws.commit(4, '2032-04-28', { phone: '13912392004' });
    const gateway = await gatewayAnswering(() => ({ code: 0, messageId: 'm-4' }));
    const token = await tokenEndpoint(() => ({
      status: 503,
      headers: { 'retry-after': '120' },
      body: { error: 'busy' },
    }));
    try {
      log.lines.length = 0;
      const config = oauthConfig(ws, gateway, token.url);
      expect(await ws.tick(config, '2032-04-10')).toMatchObject({ due: 1, sent: 0, failed: 1 });
      expect(gateway.references).toEqual([]);
      expect((await ws.ledger.reminders.forLicenses([ws.licenseId(4)]))[0]).toMatchObject({
        state: 'pending',
        attempts: 0,
        lastAttemptDay: null,
      });
      const said = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(said).toContainEqual(expect.objectContaining({ target: 'holder-sms', origin: token.origin }));
      // The next tick of the day, within the wait: its token request is held, and the reminder
      // still untried (not deferred as tried).
      expect(await ws.tick(config, '2032-04-10')).toMatchObject({ sent: 0, failed: 1, deferred: 0 });
      expect(token.asked()).toBe(1);
      expect((await ws.ledger.reminders.forLicenses([ws.licenseId(4)]))[0]).toMatchObject({ attempts: 0 });
    } finally {
      await gateway.close();
      await token.close();
    }
  });

  it('a token refused at the gateway, none to be had after: an attempt of the day', async () => {
    await ws.commit(5, '2032-05-28', { phone: '13912392005' });
    // The gateway refuses the first token; the endpoint then fails to give another.
    const gateway = await gatewayAnswering((k) =>
      k === 1 ? { code: 401, reason: 'TOKEN_EXPIRED' } : { code: 0, messageId: 'm-5' },
    );
    const token = await tokenEndpoint((k) => (k === 1 ? TOKEN : { status: 503, body: { error: 'down' } }));
    try {
      const config = oauthConfig(ws, gateway, token.url);
      expect(await ws.tick(config, '2032-05-10')).toMatchObject({ due: 1, sent: 0, failed: 1 });
      expect(gateway.references).toEqual([`${ws.licenseId(5)}:1:30`]);
      expect((await ws.ledger.reminders.forLicenses([ws.licenseId(5)]))[0]).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastAttemptDay: '2032-05-10',
      });
      expect(await ws.tick(config, '2032-05-10')).toMatchObject({ sent: 0, deferred: 1 });
    } finally {
      await gateway.close();
      await token.close();
    }
  });

  it("the token endpoint's Retry-After, longer than a send, holds the target's other reminders: untried, none spends an attempt", async () => {
    // License 6 left pending by a send that failed the day before (one attempt, that day's);
    // licenses 7 and 8 become due on the tick's day (30 days left), written by the tick itself.
    await ws.commit(6, '2032-06-30', { phone: '13912392006' });
    for (const n of [7, 8]) await ws.commit(n, '2032-07-10', { phone: `1391239200${n}` });
    expect(await ws.tick(ws.withGateway('http://127.0.0.1:9', 300), '2032-06-09')).toMatchObject({
      due: 1,
      failed: 1,
    });
    const gateway = await gatewayAnswering((k) => ({ code: 0, messageId: `m-6${k}` }));
    const busy = await tokenEndpoint(() => ({
      status: 503,
      headers: { 'retry-after': '120' },
      body: { error: 'busy' },
    }));
    const up = await tokenEndpoint(() => TOKEN);
    const ids = [6, 7, 8].map((n) => ws.licenseId(n));
    try {
      log.lines.length = 0;
      // Every send needs a token: the first reminder's token request is answered with the wait,
      // and the other two are not claimed nor tried, the token endpoint not asked again.
      expect(await ws.tick(oauthConfig(ws, gateway, busy.url), '2032-06-10')).toMatchObject({
        due: 2,
        sent: 0,
        failed: 3,
        deferred: 0,
      });
      expect(busy.asked()).toBe(1);
      expect(gateway.references).toEqual([]);
      // The line saying the rest wait names who asked for the wait: the token endpoint, not the gateway.
      const said = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const waited = said.filter((l) => typeof l.retryAfterMs === 'number');
      expect(waited).toEqual([
        expect.objectContaining({
          target: 'holder-sms',
          origin: busy.origin,
          msg: expect.stringContaining(`its credential endpoint ${busy.origin} asked to wait 120 s`),
        }),
      ]);
      const rows = (await ws.ledger.reminders.forLicenses(ids)).toSorted((a, b) =>
        a.licenseId.localeCompare(b.licenseId),
      );
      expect(rows.map((r) => [r.licenseId, r.state, r.attempts, r.lastAttemptDay])).toEqual([
        [ws.licenseId(6), 'pending', 1, '2032-06-09'],
        [ws.licenseId(7), 'pending', 0, null],
        [ws.licenseId(8), 'pending', 0, null],
      ]);
      // Once the token can be had, a tick of the same day sends all three: none was tried that day.
      expect(await ws.tick(oauthConfig(ws, gateway, up.url), '2032-06-10')).toMatchObject({
        sent: 3,
        failed: 0,
        deferred: 0,
      });
      expect(gateway.references.toSorted()).toEqual(
        [`${ws.licenseId(6)}:1:30`, `${ws.licenseId(7)}:1:30`, `${ws.licenseId(8)}:1:30`].toSorted(),
      );
    } finally {
      await gateway.close();
      await busy.close();
      await up.close();
    }
  });
});
