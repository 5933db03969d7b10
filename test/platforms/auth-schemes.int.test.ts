/**
 * The rest-json target's pluggable auth schemes (STANDARDS.md §5, docs/sync.md), each against a
 * scripted platform on 127.0.0.1 that checks the credentials with its own code: gateway `x-tif-*`
 * headers, appKey + md5 with a refreshable secret, and OAuth2 client_credentials with a cached token.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { TargetAuthConfig } from '../../config/target-types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedReply, type SeenRequest, startScriptedServer } from './scripted-server.js';

const NOW = Date.UTC(2024, 5, 1, 8, 0, 0, 789);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const header = (r: SeenRequest, name: string) => {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const refused = (reason: string): ScriptedReply => ({
  status: 401,
  body: { code: 401, reason, message: reason },
});

/** A platform answer accepting every item of the batch. */
function accept(req: SeenRequest): ScriptedReply {
  const { items } = JSON.parse(req.body) as { items: { key: string }[] };
  return {
    status: 200,
    body: {
      code: 0,
      results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: `P-${i.key}` })),
    },
  };
}

async function platform(route: (req: SeenRequest) => ScriptedReply) {
  const server = await startScriptedServer((_n, req) => route(req));
  cleanups.push(() => server.close());
  return server;
}

function target(
  url: string,
  auth: TargetAuthConfig,
  options: ConstructorParameters<typeof RestJsonTarget>[2] = {},
) {
  const t = new RestJsonTarget('province', restConfig(url, { auth, batchSize: 1 }), options);
  cleanups.push(() => t.close());
  return t;
}

async function failure(p: Promise<unknown>): Promise<LicbridgeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof LicbridgeError)) throw new Error(`expected a LicbridgeError, got ${String(e)}`);
  return e;
}

describe('gateway (x-tif-*) headers', () => {
  const TOKEN = 'gw-token-7f3a';
  const PAAS_ID = 'west-coast-paas';

  /** The gateway's own check: signature over timestamp + token + nonce + timestamp, nonces once. */
  function gateway() {
    const seenNonces = new Set<string>();
    return (req: SeenRequest): ScriptedReply => {
      const ts = header(req, 'x-tif-timestamp') ?? '';
      const nonce = header(req, 'x-tif-nonce') ?? '';
      if (header(req, 'x-tif-paasid') !== PAAS_ID) return refused('unknown-paasid');
      if (!/^\d{10}$/.test(ts) || Math.abs(Number(ts) * 1000 - NOW) > 300_000) return refused('stale');
      if (header(req, 'x-tif-signature') !== sha256(`${ts}${TOKEN}${nonce}${ts}`))
        return refused('bad-signature');
      if (seenNonces.has(nonce)) return refused('replayed-nonce');
      seenNonces.add(nonce);
      return accept(req);
    };
  }

  it('signs hex(SHA-256(timestamp + token + nonce + timestamp)) with the injected clock and nonce', async () => {
    const server = await platform(gateway());
    let n = 0;
    const t = target(
      server.url,
      { scheme: 'gateway', paasId: PAAS_ID, token: TOKEN },
      { clock: () => NOW, nonce: () => `nonce-${++n}` },
    );
    const outcomes = await t.deliver([deliveryItem(1), deliveryItem(2)]);
    expect(outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted']);
    expect(server.seen).toHaveLength(2);
    const first = server.seen[0] as SeenRequest;
    const ts = String(Math.floor(NOW / 1000));
    expect(header(first, 'x-tif-timestamp')).toBe(ts);
    expect(header(first, 'x-tif-nonce')).toBe('nonce-1');
    expect(header(first, 'x-tif-signature')).toBe(sha256(`${ts}${TOKEN}nonce-1${ts}`));
    expect(header(server.seen[1] as SeenRequest, 'x-tif-nonce')).toBe('nonce-2');
  });

  it('is refused as a non-retryable auth failure with a wrong token or a replayed nonce', async () => {
    const server = await platform(gateway());
    const wrong = target(
      server.url,
      { scheme: 'gateway', paasId: PAAS_ID, token: 'not-the-token' },
      { clock: () => NOW },
    );
    const err = await failure(wrong.deliver([deliveryItem(1)]));
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    expect(err.message).not.toContain('not-the-token');

    const replaying = target(
      server.url,
      { scheme: 'gateway', paasId: PAAS_ID, token: TOKEN },
      { clock: () => NOW, nonce: () => 'same-nonce' },
    );
    expect((await replaying.deliver([deliveryItem(1)]))[0]?.state).toBe('accepted');
    const replay = await failure(replaying.deliver([deliveryItem(2)]));
    expect(replay.code).toBe(ErrorCodes.TARGET_AUTH);
  });
});

describe('appKey + md5 with a refreshable secret', () => {
  const APP_KEY = 'ak-0042';

  /** A platform that rotated its secret from `old` to `current`; the refresh API hands out `current`. */
  function rotating(current: { secret: string }, old: string) {
    const counts = { batch: 0, refresh: 0 };
    const valid = (appKey: string | null, time: string | null, sign: string | null, secret: string) =>
      appKey === APP_KEY &&
      time !== null &&
      /^\d{13}$/.test(time) &&
      sign === md5(`${appKey}${secret}${time}`);
    const route = (req: SeenRequest): ScriptedReply => {
      const url = new URL(req.url, 'http://platform');
      if (url.pathname === '/auth/secret') {
        counts.refresh += 1;
        const q = url.searchParams;
        // The refresh call proves itself with the secret it still holds.
        if (!valid(q.get('appKey'), q.get('requestTime'), q.get('sign'), old)) return refused('bad-sign');
        return { status: 200, body: { secret: current.secret } };
      }
      counts.batch += 1;
      if (
        !valid(
          header(req, 'appkey') ?? null,
          header(req, 'requesttime') ?? null,
          header(req, 'sign') ?? null,
          current.secret,
        )
      )
        return refused('bad-sign');
      return accept(req);
    };
    return { route, counts };
  }

  it('signs md5(appKey + secret + requestTime), and after a 401 refreshes the secret and retries once', async () => {
    const { route, counts } = rotating({ secret: 'secret-v2' }, 'secret-v1');
    const server = await platform(route);
    const t = target(
      server.url,
      { scheme: 'appkey-md5', appKey: APP_KEY, secret: 'secret-v1', refreshUrl: `${server.url}/auth/secret` },
      { clock: () => NOW },
    );
    const [first] = await t.deliver([deliveryItem(1)]);
    expect(first?.state).toBe('accepted');
    expect(counts).toEqual({ batch: 2, refresh: 1 });
    const retried = server.seen.at(-1) as SeenRequest;
    expect(header(retried, 'requesttime')).toBe(String(NOW));
    expect(header(retried, 'sign')).toBe(md5(`${APP_KEY}secret-v2${NOW}`));

    // The refreshed secret is kept: the next batches pass at once.
    expect((await t.deliver([deliveryItem(2), deliveryItem(3)])).map((o) => o.state)).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(counts).toEqual({ batch: 4, refresh: 1 });
  });

  it('retries only once when the refreshed secret is refused too, and not at all without a refresh URL', async () => {
    const { route, counts } = rotating({ secret: 'never-matches' }, 'secret-v1');
    const server = await platform((req) => {
      const reply = route(req);
      // The refresh API hands out a secret the batch endpoint still refuses.
      if (new URL(req.url, 'http://p').pathname === '/auth/secret' && reply.status === 200)
        return { status: 200, body: { secret: 'also-wrong' } };
      return reply;
    });
    const t = target(
      server.url,
      { scheme: 'appkey-md5', appKey: APP_KEY, secret: 'secret-v1', refreshUrl: `${server.url}/auth/secret` },
      { clock: () => NOW },
    );
    const err = await failure(t.deliver([deliveryItem(1)]));
    expect(err.code).toBe(ErrorCodes.TARGET_AUTH);
    expect(counts).toEqual({ batch: 2, refresh: 1 });
    expect(err.message).not.toContain('also-wrong');

    const fixed = target(
      server.url,
      { scheme: 'appkey-md5', appKey: APP_KEY, secret: 'secret-v1' },
      { clock: () => NOW },
    );
    await failure(fixed.deliver([deliveryItem(2)]));
    expect(counts).toEqual({ batch: 3, refresh: 1 });
  });
});

describe('OAuth2 client_credentials', () => {
  const CLIENT = 'lb-client';
  const CLIENT_SECRET = 'cs-9d1e';

  function authorizationServer() {
    const issued: string[] = [];
    const revoked = new Set<string>();
    const route = (req: SeenRequest): ScriptedReply => {
      if (req.url === '/oauth/token') {
        const form = new URLSearchParams(req.body);
        const basic = `Basic ${Buffer.from(`${CLIENT}:${CLIENT_SECRET}`).toString('base64')}`;
        if (req.method !== 'POST' || header(req, 'authorization') !== basic) return refused('invalid_client');
        if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== 'license.upload')
          return { status: 400, body: { error: 'invalid_request' } };
        const token = `tok-${issued.length + 1}`;
        issued.push(token);
        return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 7200 } };
      }
      const bearer = (header(req, 'authorization') ?? '').replace(/^Bearer /, '');
      if (!issued.includes(bearer) || revoked.has(bearer)) return refused('invalid_token');
      return accept(req);
    };
    return { route, issued, revoked };
  }

  const auth: TargetAuthConfig = {
    scheme: 'oauth2',
    tokenUrl: 'set-below',
    clientId: CLIENT,
    clientSecret: CLIENT_SECRET,
    scope: 'license.upload',
    refreshSkewSeconds: 60,
  };

  const bearers = (seen: SeenRequest[]) =>
    seen.filter((r) => r.url === '/licenses/batch').map((r) => header(r, 'authorization'));

  it('fetches one token and uses it across batches until shortly before it expires', async () => {
    const as = authorizationServer();
    const server = await platform(as.route);
    let now = NOW;
    const t = target(server.url, { ...auth, tokenUrl: `${server.url}/oauth/token` }, { clock: () => now });

    // Three batches, and two deliveries at once: one token request between them.
    await t.deliver([deliveryItem(1), deliveryItem(2), deliveryItem(3)]);
    await Promise.all([t.deliver([deliveryItem(4)]), t.deliver([deliveryItem(5)])]);
    expect(as.issued).toEqual(['tok-1']);
    expect(bearers(server.seen)).toEqual(Array(5).fill('Bearer tok-1'));

    now = NOW + (7200 - 61) * 1000; // still outside the skew
    await t.deliver([deliveryItem(6)]);
    expect(as.issued).toEqual(['tok-1']);

    now = NOW + (7200 - 59) * 1000; // inside the skew: renewed before the platform refuses it
    await t.deliver([deliveryItem(7)]);
    expect(as.issued).toEqual(['tok-1', 'tok-2']);
    expect(bearers(server.seen).at(-1)).toBe('Bearer tok-2');
  });

  it('fetches a new token after a 401 and sends the batch once more', async () => {
    const as = authorizationServer();
    const server = await platform(as.route);
    const t = target(server.url, { ...auth, tokenUrl: `${server.url}/oauth/token` }, { clock: () => NOW });
    await t.deliver([deliveryItem(1)]);
    as.revoked.add('tok-1');
    const [o] = await t.deliver([deliveryItem(2)]);
    expect(o?.state).toBe('accepted');
    expect(as.issued).toEqual(['tok-1', 'tok-2']);
    expect(bearers(server.seen)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('reports refused client credentials as an auth failure without the secret', async () => {
    const as = authorizationServer();
    const server = await platform(as.route);
    const t = target(
      server.url,
      { ...auth, clientSecret: 'wrong-secret-123', tokenUrl: `${server.url}/oauth/token` },
      { clock: () => NOW },
    );
    const err = await failure(t.deliver([deliveryItem(1)]));
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    expect(JSON.stringify(err) + err.message).not.toContain('wrong-secret-123');
    expect(server.seen.filter((r) => r.url === '/licenses/batch')).toHaveLength(0);
  });
});
