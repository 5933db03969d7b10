/**
 * Credential renewal must not turn a passing problem into a permanent TARGET_AUTH (which
 * dead-letters a whole deliver job): two deliveries refused with the same stale token renew it
 * once, not twice (where issuing a token retires the previous one, the second renewal would get
 * the first delivery's retry refused); a token or secret endpoint that is busy or down (429, 503)
 * is retryable, with its Retry-After; a real refusal of the client credentials stays TARGET_AUTH.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { md5Sign } from '../../adapters/platforms/shared/auth/appkey-md5-auth.js';
import { deliveryItem, restConfig } from './license-fixture.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function platform() {
  let issued = 0;
  let valid = '';
  let batchCalls = 0;
  const log: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/oauth/token') {
        issued += 1;
        valid = `tok-${issued}`; // issuing a token retires the previous one
        log.push(`issued ${valid}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: valid, expires_in: 7200 }));
        return;
      }
      const n = batchCalls++;
      const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      // Request 1 and 2 (the two deliveries' first tries) answer after different delays;
      // every later request is answered after 500 ms (a slow platform), checked when answered.
      await sleep(n === 1 ? 100 : n === 2 ? 400 : 500);
      const ok = bearer === valid;
      log.push(`batch#${n} ${bearer} -> ${ok ? 200 : 401}`);
      if (!ok) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ reason: 'invalid_token' }));
        return;
      }
      const items = (JSON.parse(body) as { items: { key: string }[] }).items;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          code: 0,
          results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: `p-${i.key}` })),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return {
    url,
    log,
    rotate() {
      valid = 'rotated-elsewhere';
    },
  };
}

describe('oauth2 renewal race', () => {
  it('two deliveries refused with the same stale token both land after one renewal', async () => {
    const p = await platform();
    const t = new RestJsonTarget(
      'province',
      restConfig(p.url, {
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${p.url}/oauth/token`,
          clientId: 'c',
          clientSecret: 'client-secret-xyz',
          refreshSkewSeconds: 60,
        },
      }),
    );
    closers.push(() => t.close());
    // Warm-up: tok-1 cached.
    const [warm] = await t.deliver([deliveryItem(1)]);
    expect(warm?.state).toBe('accepted');
    // The platform retires tok-1 (a restart, an operator revoking it, another caller).
    p.rotate();
    const settled = await Promise.allSettled([t.deliver([deliveryItem(2)]), t.deliver([deliveryItem(3)])]);
    const states = settled.map((s) =>
      s.status === 'fulfilled' ? s.value[0]?.state : `threw ${(s.reason as Error).message}`,
    );
    expect(states).toEqual(['accepted', 'accepted']);
    // One renewal for both refusals: tok-1 retired, tok-2 fetched once and used by both retries.
    expect(p.log.filter((l) => l.startsWith('issued'))).toEqual(['issued tok-1', 'issued tok-2']);
  });
});

describe('oauth2 token endpoint throttling', () => {
  it('a 429 from the token endpoint is retryable (the platform asks to wait), not a credentials refusal', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '5' });
        res.end(JSON.stringify({ error: 'rate_limited' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closers.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    const t = new RestJsonTarget(
      'province',
      restConfig(url, {
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${url}/oauth/token`,
          clientId: 'c',
          clientSecret: 'client-secret-xyz',
          refreshSkewSeconds: 60,
        },
      }),
    );
    closers.push(() => t.close());
    const err = (await t.deliver([deliveryItem(1)]).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; retryable: boolean; message: string; context: Record<string, unknown> };
    expect(err).toMatchObject({ code: 'LB_TARGET_UNREACHABLE', retryable: true });
    expect(err.context.retryAfterMs).toBe(5000);
  });
});

describe('appkey-md5 secret refresh answered 503', () => {
  it('is retryable, not a credentials refusal', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url?.startsWith('/secret')) {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end('{}');
          return;
        }
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ reason: 'secret_rotated' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closers.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    const t = new RestJsonTarget(
      'province',
      restConfig(url, {
        auth: { scheme: 'appkey-md5', appKey: 'k', secret: 'old-secret-123', refreshUrl: `${url}/secret` },
      }),
    );
    closers.push(() => t.close());
    const err = (await t.deliver([deliveryItem(1)]).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; retryable: boolean; message: string };
    expect(err).toMatchObject({ code: 'LB_TARGET_UNREACHABLE', retryable: true });
  });
});

describe('oauth2 client credentials refused by the token endpoint', () => {
  it('is a credentials refusal, not retried', async () => {
    const url = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_client' }));
      });
    });
    const t = new RestJsonTarget(
      'province',
      restConfig(url, {
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${url}/oauth/token`,
          clientId: 'c',
          clientSecret: 'wrong-secret',
          refreshSkewSeconds: 60,
        },
      }),
    );
    closers.push(() => t.close());
    const err = (await t.deliver([deliveryItem(1)]).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; retryable: boolean };
    expect(err).toMatchObject({ code: 'LB_TARGET_AUTH', retryable: false });
  });
});

describe('appkey-md5 secret rotated under two deliveries', () => {
  it('fetches the new secret once, and both land', async () => {
    let secret = 'old-secret-123';
    let fetches = 0;
    const url = await listen((req, res) => {
      req.resume();
      req.on('end', async () => {
        if (req.url?.startsWith('/secret')) {
          fetches += 1;
          secret = `secret-${fetches}`; // fetching rotates the secret again
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ secret }));
          return;
        }
        await sleep(50);
        const appKey = String(req.headers.appkey);
        const requestTime = String(req.headers.requesttime);
        const ok = req.headers.sign === md5Sign(appKey, secret, requestTime);
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(ok ? JSON.stringify({ code: 0, results: [] }) : JSON.stringify({ reason: 'bad_sign' }));
      });
    });
    const t = new RestJsonTarget(
      'province',
      restConfig(url, {
        auth: { scheme: 'appkey-md5', appKey: 'k', secret: 'old-secret-123', refreshUrl: `${url}/secret` },
      }),
    );
    closers.push(() => t.close());
    secret = 'rotated-elsewhere';
    const settled = await Promise.allSettled([t.deliver([deliveryItem(2)]), t.deliver([deliveryItem(3)])]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(fetches).toBe(1);
  });
});
