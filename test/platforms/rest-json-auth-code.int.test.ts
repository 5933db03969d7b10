/**
 * A gateway answering every request 200 writes refused credentials in the body, `{"code":401}`
 * (or 403), as the notify gateway does (notify-auth-code.int.test.ts). A REST/JSON target reads it
 * as the 401 status: its credentials are renewed and the request sent once more, where it was read
 * as a refusal of the batch, retried with the same stale token until the deliveries were dead letters.
 * Status requests and lookups read it so too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { AuthStrategy } from '../../adapters/platforms/shared/auth/auth-strategy.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A bearer token renewed on request: `token-1`, then `token-2`, … */
function renewingToken(): AuthStrategy & { renewals: number } {
  const auth = {
    renewals: 0,
    headers: async () => ({ authorization: `Bearer token-${auth.renewals + 1}` }),
    refresh: async () => {
      auth.renewals += 1;
      return true;
    },
  };
  return auth;
}

/** A gateway answering 200 with `code` to any token but `good`, and accepting every item under it. */
function gateway(code: number | string, good: string): Promise<ScriptedServer> {
  return startScriptedServer((_n, req) => {
    if (req.headers.authorization !== `Bearer ${good}`) {
      return { status: 200, body: { code, reason: 'TOKEN_EXPIRED' } };
    }
    const { items } = JSON.parse(req.body) as { items: { key: string }[] };
    return {
      status: 200,
      body: {
        code: 0,
        results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: `P-${i.key}` })),
      },
    };
  });
}

describe('rest-json: refused credentials written in a 200 answer', () => {
  for (const code of [401, 403, '401'] as const) {
    it(`code ${JSON.stringify(code)}: the token is renewed and the batch sent once more, accepted`, async () => {
      server = await gateway(code, 'token-2');
      const auth = renewingToken();
      const province = new RestJsonTarget('province', restConfig(server.url, { batchSize: 10 }), { auth });
      try {
        const outcomes = await province.deliver([deliveryItem(1), deliveryItem(2)]);
        expect(outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted']);
      } finally {
        await province.close();
      }
      expect(auth.renewals).toBe(1);
      expect(server.seen).toHaveLength(2);
    });
  }

  it('refused again after the renewal: credentials refused, final, naming the target and code', async () => {
    server = await gateway(401, 'never');
    const auth = renewingToken();
    const province = new RestJsonTarget('province', restConfig(server.url, { batchSize: 10 }), { auth });
    try {
      const error = await province.deliver([deliveryItem(1)]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isLicbridgeError(error) && error.code).toBe(ErrorCodes.TARGET_AUTH);
      expect(isLicbridgeError(error) && error.retryable).toBe(false);
      expect((error as Error).message).toMatch(
        /^target province: batch upload to http:\/\/[^ ]+ failed: credentials refused: platform code 401 \(TOKEN_EXPIRED\)$/,
      );
    } finally {
      await province.close();
    }
    expect(auth.renewals).toBe(1);
    expect(server.seen).toHaveLength(2);
  });
});

describe('rest-json: refused credentials written in a 200, on a status request and a lookup', () => {
  /** A platform answering 200 with `code` 403 to any token but `token-2`. */
  function platform(): Promise<ScriptedServer> {
    return startScriptedServer((_n, req) => {
      if (req.headers.authorization !== 'Bearer token-2') {
        return { status: 200, body: { code: 403, reason: 'TOKEN_EXPIRED' } };
      }
      if (req.url.startsWith('/licenses/status')) {
        const { keys } = JSON.parse(req.body) as { keys: string[] };
        return {
          status: 200,
          body: {
            code: 0,
            results: keys.map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })),
          },
        };
      }
      return { status: 404, body: { code: 404, reason: 'not-found' } };
    });
  }

  it('a status request: the token is renewed and the verdict read', async () => {
    server = await platform();
    const auth = renewingToken();
    const province = new RestJsonTarget('province', restConfig(server.url, { batchSize: 10 }), { auth });
    try {
      const outcomes = await province.poll([{ key: 'k1', platformId: null, receipt: null }]);
      expect(outcomes.map((o) => [o.key, o.state])).toEqual([['k1', 'accepted']]);
    } finally {
      await province.close();
    }
    expect(auth.renewals).toBe(1);
  });

  it('a lookup: the token is renewed and the platform read', async () => {
    server = await platform();
    const auth = renewingToken();
    const province = new RestJsonTarget('province', restConfig(server.url, { batchSize: 10 }), { auth });
    try {
      expect(await province.lookup(['lic-000001'])).toEqual([]);
    } finally {
      await province.close();
    }
    expect(auth.renewals).toBe(1);
  });
});
