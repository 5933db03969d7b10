/**
 * `licbridge catalog pull` reads the platform's catalog with the target's credentials. A platform
 * of the app key + md5 family rotates its secret: the config's secret goes stale, and deliveries
 * fetch the current one from `refreshUrl` on the 401 and go on. The catalog request does the same,
 * once: it failed with "credentials refused" where a delivery with the same config passed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { md5Sign } from '../../adapters/platforms/shared/auth/appkey-md5-auth.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { restConfig } from './license-fixture.js';
import { type ScriptedReply, startScriptedServer } from './scripted-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TYPES = [{ code: '11370200MB12345674001', name: '食品经营许可证' }];

/**
 * A platform whose current secret is `current()`, handing it out at `/secret`; a request signed
 * otherwise is answered `refused` (a 401, or a gateway's 200 carrying the code).
 */
async function rotatingPlatform(
  current: () => string,
  refused: ScriptedReply = { status: 401, body: { reason: 'bad_sign' } },
) {
  let secretFetches = 0;
  const server = await startScriptedServer((_n, req) => {
    if (req.url.startsWith('/secret')) {
      secretFetches += 1;
      return { status: 200, body: { secret: current() } };
    }
    const ok = req.headers.sign === md5Sign('k', current(), String(req.headers.requesttime));
    return ok ? { status: 200, body: { code: 0, types: TYPES } } : refused;
  });
  cleanups.push(() => server.close());
  return { server, fetches: () => secretFetches };
}

describe('catalog request with a rotated app secret', () => {
  it('fetches the current secret on the 401 and reads the catalog', async () => {
    const platform = await rotatingPlatform(() => 'rotated-secret');
    const config = restConfig(platform.server.url, {
      auth: {
        scheme: 'appkey-md5',
        appKey: 'k',
        secret: 'stale-secret',
        refreshUrl: `${platform.server.url}/secret`,
      },
    });
    expect(await fetchCatalogTypes('province', config)).toEqual(TYPES);
    expect(platform.fetches()).toBe(1);
  });

  it('credentials refused after the renewal stay refused, tried once more only', async () => {
    let n = 0;
    const platform = await rotatingPlatform(() => `secret-${++n}`); // never the one signed with
    const config = restConfig(platform.server.url, {
      auth: {
        scheme: 'appkey-md5',
        appKey: 'k',
        secret: 'stale',
        refreshUrl: `${platform.server.url}/secret`,
      },
    });
    const e = await fetchCatalogTypes('province', config).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isLicbridgeError(e) && e.code).toBe(ErrorCodes.TARGET_AUTH);
    expect(platform.server.seen.filter((r) => !r.url.startsWith('/secret'))).toHaveLength(2);
  });
});

describe('catalog request refused by a code of 401 or 403 in a 200 (a gateway answering every request 200)', () => {
  const config = (url: string) =>
    restConfig(url, {
      auth: { scheme: 'appkey-md5', appKey: 'k', secret: 'stale-secret', refreshUrl: `${url}/secret` },
    });

  for (const code of [401, '403'] as const) {
    it(`code ${JSON.stringify(code)}: the current secret is fetched and the catalog read`, async () => {
      const platform = await rotatingPlatform(() => 'rotated-secret', {
        status: 200,
        body: { code, reason: 'bad_sign' },
      });
      expect(await fetchCatalogTypes('province', config(platform.server.url))).toEqual(TYPES);
      expect(platform.fetches()).toBe(1);
    });
  }

  it('refused again after the renewal: credentials refused, naming the target and code', async () => {
    let n = 0;
    const platform = await rotatingPlatform(() => `secret-${++n}`, {
      status: 200,
      body: { code: 401, reason: 'bad_sign' },
    });
    const e = await fetchCatalogTypes('province', config(platform.server.url)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isLicbridgeError(e) && e.code).toBe(ErrorCodes.TARGET_AUTH);
    expect((e as Error).message).toMatch(
      /^target province: catalog request to http:\/\/[^ ]+ failed: credentials refused: platform code 401 \(bad_sign\)$/,
    );
    expect(platform.server.seen.filter((r) => !r.url.startsWith('/secret'))).toHaveLength(2);
  });
});
