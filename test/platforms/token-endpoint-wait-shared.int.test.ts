/**
 * A token endpoint that answers busy with a Retry-After asks every caller to wait: every target of
 * this process whose credentials come from it, whatever host its platform is on, and none other.
 * The wait was held only for the target whose token request was answered so, by that target's own
 * platform host: another target fetching its tokens from the same endpoint sent its token request
 * into the wait, while a target with another token endpoint must go on as before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes } from '../../core/errors.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedReply, type ScriptedServer, startScriptedServer } from './scripted-server.js';

const accepted = (body: string): ScriptedReply => {
  const { items } = JSON.parse(body) as { items: { key: string }[] };
  return {
    status: 200,
    body: {
      code: 0,
      results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: `P-${i.key}` })),
    },
  };
};
const token = (n: number): ScriptedReply => ({
  status: 200,
  body: { access_token: `tok-${n + 1}`, expires_in: 7200 },
});

describe('a token endpoint asking every caller to wait', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function server(script: (n: number, body: string) => ScriptedReply): Promise<ScriptedServer> {
    const s = await startScriptedServer((n, req) => script(n, req.body));
    closers.push(() => s.close());
    return s;
  }

  let targets = 0;
  function target(platform: ScriptedServer, tokenServer: ScriptedServer, clientId: string): RestJsonTarget {
    targets += 1;
    const t = new RestJsonTarget(
      `province-token-wait-${process.pid}-${targets}`,
      restConfig(platform.url, {
        batchSize: 10,
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${tokenServer.url}/oauth/token`,
          clientId,
          clientSecret: 'fake-secret',
          refreshSkewSeconds: 60,
        },
      }),
    );
    closers.push(() => t.close());
    return t;
  }

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('holds the targets fetching tokens there, on any platform host, and no other', async () => {
    // Busy at its first request, with a Retry-After; a token after.
    const shared = await server((n) =>
      n === 0
        ? { status: 503, headers: { 'retry-after': '120' }, body: { error: 'temporarily_unavailable' } }
        : token(n),
    );
    const own = await server((n) => token(n));
    const platformA = await server((_n, body) => accepted(body));
    const platformB = await server((_n, body) => accepted(body));
    const platformC = await server((_n, body) => accepted(body));
    const a = target(platformA, shared, 'district-a');
    const b = target(platformB, shared, 'district-b');
    const c = target(platformC, own, 'district-c');

    const errorA = await failure(a.deliver([deliveryItem(1)]));
    expect(errorA).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(retryAfterOf(errorA)).toBe(120_000);
    expect(shared.seen).toHaveLength(1);
    expect(a.waitLeft()).toBeGreaterThan(0);

    // Another target whose tokens come from the same endpoint, its platform on another host:
    // nothing is sent, to the endpoint or to its platform, for the rest of the wait.
    const errorB = await failure(b.deliver([deliveryItem(2)]));
    expect(errorB).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(retryAfterOf(errorB)).toBeGreaterThan(0);
    expect(shared.seen).toHaveLength(1);
    expect(platformB.seen).toHaveLength(0);
    expect(b.waitLeft()).toBeGreaterThan(0);

    // A target with a token endpoint of its own is not held.
    await expect(c.deliver([deliveryItem(3)])).resolves.toMatchObject([{ state: 'accepted' }]);
    expect(own.seen).toHaveLength(1);
    expect(platformC.seen).toHaveLength(1);
    expect(c.waitLeft()).toBeUndefined();
  });

  it('holds the secret refreshes of every target refreshing there (appkey-md5 refreshUrl)', async () => {
    const refresh = await server((n) =>
      n === 0
        ? { status: 429, headers: { 'retry-after': '120' }, body: { code: 429 } }
        : { status: 200, body: { secret: `fresh-${n}` } },
    );
    // Both platforms refuse the configured secret: each target asks for a fresh one.
    const refused = (): ScriptedReply => ({ status: 401, body: { reason: 'invalid_sign' } });
    const platforms = [await server(refused), await server(refused)];
    const [a, b] = platforms.map((platform, i) => {
      targets += 1;
      const t = new RestJsonTarget(
        `province-refresh-wait-${process.pid}-${targets}`,
        restConfig(platform.url, {
          auth: {
            scheme: 'appkey-md5',
            appKey: `app-${i}`,
            secret: 'fake-secret',
            refreshUrl: `${refresh.url}/secret`,
          },
        }),
      );
      closers.push(() => t.close());
      return t;
    }) as [RestJsonTarget, RestJsonTarget];

    const errorA = await failure(a.deliver([deliveryItem(1)]));
    expect(retryAfterOf(errorA)).toBe(120_000);
    expect(refresh.seen).toHaveLength(1);
    const errorB = await failure(b.deliver([deliveryItem(2)]));
    expect(errorB).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(retryAfterOf(errorB)).toBeGreaterThan(0);
    // B's batch left and was refused; its refresh was not sent into the wait.
    expect(platforms[1]?.seen).toHaveLength(1);
    expect(refresh.seen).toHaveLength(1);
  });
});
