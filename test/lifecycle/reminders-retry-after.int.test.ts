/**
 * A gateway answering 429 or 503 with `Retry-After` asks not to be sent to before that time. The
 * reminder step waits for it — for the reminder refused and for the next ones to the same target —
 * within what a reminder's send may take, and leaves the rest pending for the next tick when the
 * wait is longer, instead of asking again after its own short backoff.
 */
import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { listenLocal } from '../support/listen-local.js';
import { blockWorkspace } from './reminders-fixture.js';

/**
 * A rate-limiting gateway: the first request is answered `status` with `Retry-After: retryAfter`,
 * and so is every request that comes before that time is up; later ones are taken.
 */
async function rateLimitedGateway(
  status: number,
  retryAfter: number,
  /** The busy answer in a 200's body (`{"code":429}`) rather than as the HTTP status. */
  inBody = false,
): Promise<{
  url: string;
  asked: () => number;
  early: () => number;
  taken: () => number;
  close(): Promise<void>;
}> {
  let until: number | undefined;
  let asked = 0;
  let early = 0;
  let taken = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      asked += 1;
      const now = Date.now();
      if (until === undefined || now < until) {
        if (until !== undefined) early += 1;
        // The window the gateway enforces is a little shorter than the one it names.
        until ??= now + retryAfter * 1000 - 100;
        res.writeHead(inBody ? 200 : status, {
          'content-type': 'application/json',
          'retry-after': String(retryAfter),
        });
        res.end(JSON.stringify({ code: status, reason: 'rate-limited' }));
        return;
      }
      taken += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, messageId: `m-${taken}` }));
    });
  });
  const local = await listenLocal(server);
  return {
    url: local.origin,
    asked: () => asked,
    early: () => early,
    taken: () => taken,
    close: local.close,
  };
}

describe('reminders and a gateway asking to wait (Retry-After)', () => {
  const ws = blockWorkspace();

  /**
   * The workspace's config on `url`, with three attempts a reminder and `concurrency` in flight,
   * each attempt taking `timeoutMs` at most (the fixture's when not given).
   */
  const gatewayConfig = (url: string, concurrency: number, timeoutMs?: number): Readonly<Config> => {
    const base = ws.withGateway(url, timeoutMs);
    const t = base.targets['holder-sms'];
    if (t?.kind !== 'notify') throw new Error('expected the notify target');
    return {
      ...base,
      targets: { ...base.targets, 'holder-sms': { ...t, attempts: 3, backoffMs: 10, concurrency } },
    };
  };

  /** One tick for `today` against a {@link rateLimitedGateway} of `gateway` (closed after), and the gateway. */
  async function tickRateLimited(today: string, ...gateway: Parameters<typeof rateLimitedGateway>) {
    const gw = await rateLimitedGateway(...gateway);
    try {
      return { s: await ws.tick(gatewayConfig(gw.url, 1), today), gw };
    } finally {
      await gw.close();
    }
  }

  /** One tick for `today` against `server` (listening for it, closed after), with attempts of `timeoutMs`. */
  async function tickAgainst(server: Server, today: string, timeoutMs: number) {
    const local = await listenLocal(server);
    try {
      return await ws.tick(gatewayConfig(local.origin, 1, timeoutMs), today);
    } finally {
      await local.close();
    }
  }

  it('a 429 with Retry-After: 1 is waited out before the refused reminder is asked again: both reminders sent, the gateway never asked early', async () => {
    const batch = [1, 2];
    for (const n of batch) await ws.commit(n, '2027-03-31', { phone: `1391237${n}000` });
    const { s, gw } = await tickRateLimited('2027-03-10', 429, 1);
    expect(s).toMatchObject({ due: 2, sent: 2, failed: 0 });
    expect(gw.early()).toBe(0);
    expect(gw.asked()).toBe(3);
    expect(gw.taken()).toBe(2);
    const rows = await ws.ledger.reminders.forLicenses(batch.map(ws.licenseId));
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent']);
  });

  it('a busy code in a 200 ({"code":429}) with Retry-After: 1 is waited out as the same HTTP status is', async () => {
    await ws.commit(21, '2029-03-31', { phone: '13912382100' });
    const { s, gw } = await tickRateLimited('2029-03-10', 429, 1, true);
    expect(s).toMatchObject({ due: 1, sent: 1, failed: 0 });
    expect(gw.early()).toBe(0);
    expect(gw.asked()).toBe(2);
  });

  it('a 503 asking for an hour leaves the reminders pending, the gateway asked once; the next tick sends them', async () => {
    const batch = [11, 12, 13];
    for (const n of batch) await ws.commit(n, '2028-03-31', { phone: `1391238${n}00` });
    const { s, gw } = await tickRateLimited('2028-03-10', 503, 3600);
    expect(s).toMatchObject({ due: 3, sent: 0, failed: 3 });
    expect(gw.asked()).toBe(1);
    const rows = await ws.ledger.reminders.forLicenses(batch.map(ws.licenseId));
    expect(rows.map((r) => r.state)).toEqual(['pending', 'pending', 'pending']);

    const next = await sendDueReminders(ws.rt, { today: '2028-03-11' });
    expect(next).toMatchObject({ due: 0, sent: 3, failed: 0 });
  });

  it('without a Retry-After, a gateway that never answers is still asked `attempts` times, each timing out', async () => {
    await ws.commit(31, '2031-03-31', { phone: '13912383100' });
    const silent = createServer((req) => {
      req.resume();
    });
    // Each attempt is counted as the connection it opens, not as a request read: an attempt that
    // timed out is closed with its connection, so the next one opens another; and its timeout
    // bounds the whole request, connecting included, so on a loaded machine an attempt can time
    // out before its request is written, the gateway reading two requests of three attempts.
    let asked = 0;
    silent.on('connection', () => {
      asked += 1;
    });
    expect(await tickAgainst(silent, '2031-03-10', 100)).toMatchObject({ due: 1, failed: 1 });
    expect(asked).toBe(3);
  });

  it('after a Retry-After wait, a further attempt that would end past the claim is not made, backoff or not', async () => {
    // Three attempts of 1950 ms and backoffs of 10 and 20 ms: the claim's send may take 5880 ms
    // (sendLeaseMs, less the margin for recording). The gateway answers the first request 429
    // with Retry-After: 2, then never answers: waiting 2 s leaves room for the second attempt
    // (ending at ~3950 ms), not for a third after the second backoff (ending at ~5920 ms, the
    // more so the later the first answer came). The second attempt has ~1.9 s to spare, for a
    // claim and a first answer slowed by a loaded machine; the third is refused whatever the load.
    await ws.commit(41, '2032-03-31', { phone: '13912384100' });
    let asked = 0;
    const gateway = createServer((req, res) => {
      req.resume();
      asked += 1;
      if (asked > 1) return;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
      res.end(JSON.stringify({ code: 429, reason: 'rate-limited' }));
    });
    // The second attempt goes over the connection kept from the first answer, written to at once:
    // the requests read count the attempts.
    expect(await tickAgainst(gateway, '2032-03-10', 1950)).toMatchObject({ due: 1, failed: 1 });
    expect(asked).toBe(2);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(41)]);
    expect(rows.map((r) => r.state)).toEqual(['pending']);
  });
});
