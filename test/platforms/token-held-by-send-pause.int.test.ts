/**
 * While the platform has asked every caller to wait (429 with Retry-After), a target's batches and
 * status requests are not sent (shared/send-pause.ts). The wait was looked at only after the
 * request's credentials were made: a token that came due during the wait was fetched from the
 * token endpoint for a request that was then held back anyway. The token is not needed until
 * sending may go on, so the wait now holds the token request too; the held request still fails
 * unsent with the time left. So do a lookup and a catalog request, which share the wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes } from '../../core/errors.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

async function server(script: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  const s = await startScriptedServer(script);
  closers.push(() => s.close());
  return s;
}

let made = 0;

const oauth = (tokens: ScriptedServer) => ({
  auth: {
    scheme: 'oauth2' as const,
    tokenUrl: `${tokens.url}/oauth/token`,
    clientId: 'district-fake',
    clientSecret: 'fake-secret',
    refreshSkewSeconds: 60,
  },
});

/** A token endpoint, and a platform busy from its first request with a Retry-After longer than the token's life. */
async function busyPlatform() {
  const tokens = await server((n) => ({
    status: 200,
    body: { access_token: `tok-${n + 1}`, expires_in: 600 },
  }));
  const platform = await server(() => ({
    status: 429,
    headers: { 'retry-after': '120' },
    body: { code: 429 },
  }));
  made += 1;
  return { tokens, platform, name: `province-token-held-${process.pid}-${made}` };
}

/** A target on the busy platform with OAuth2 credentials and a wall clock the test moves on. */
async function busyOAuthTarget() {
  const { tokens, platform, name } = await busyPlatform();
  let now = Date.UTC(2026, 0, 5, 9, 0, 0);
  const target = new RestJsonTarget(name, restConfig(platform.url, oauth(tokens)), { clock: () => now });
  closers.push(() => target.close());
  const pass = (ms: number) => {
    now += ms;
  };
  return { tokens, platform, target, pass };
}

describe('a token coming due while the platform asked every caller to wait', () => {
  it('is not fetched for a request the wait holds back', async () => {
    const { tokens, platform, target, pass } = await busyOAuthTarget();

    const first = await failure(target.deliver([deliveryItem(1)]));
    expect(retryAfterOf(first)).toBe(120_000);
    expect([tokens.seen.length, platform.seen.length]).toEqual([1, 1]);
    expect(target.waitLeft()).toBeGreaterThan(0);

    // The token's renewal time passes (the wait is kept by the monotonic clock, not this one).
    pass(3_600_000);
    const held = await failure(target.deliver([deliveryItem(2)]));
    expect(held).toMatchObject({
      code: ErrorCodes.TARGET_UNREACHABLE,
      retryable: true,
      context: { unsent: true },
    });
    expect(retryAfterOf(held)).toBeGreaterThan(0);
    const polled = await target.poll([{ key: deliveryItem(1).key, platformId: null, receipt: null }]);
    expect(polled).toMatchObject([{ state: 'failed', unsent: true }]);
    expect([tokens.seen.length, platform.seen.length]).toEqual([1, 1]);
  });

  it('is not fetched for a lookup the wait holds back', async () => {
    const { tokens, platform, target, pass } = await busyOAuthTarget();

    await failure(target.deliver([deliveryItem(1)]));
    expect([tokens.seen.length, platform.seen.length]).toEqual([1, 1]);
    pass(3_600_000);
    const held = await failure(target.lookup(['lic-000001']));
    expect(held).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(retryAfterOf(held)).toBeGreaterThan(0);
    expect([tokens.seen.length, platform.seen.length]).toEqual([1, 1]);
  });

  it('is not fetched for a catalog request the wait holds back', async () => {
    const { tokens, platform, name } = await busyPlatform();
    const target = new RestJsonTarget(name, restConfig(platform.url));
    closers.push(() => target.close());
    await failure(target.deliver([deliveryItem(1)]));
    expect(platform.seen).toHaveLength(1);

    const held = await failure(fetchCatalogTypes(name, restConfig(platform.url, oauth(tokens))));
    expect(held).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(retryAfterOf(held)).toBeGreaterThan(0);
    expect([tokens.seen.length, platform.seen.length]).toEqual([0, 1]);
  });
});
