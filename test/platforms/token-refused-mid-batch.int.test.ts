/**
 * A token the platform stops honouring between two requests of one delivery (revoked, expired
 * early on its side): the batch refused with 401 is sent again once with a new token, the batches
 * answered before keep their answers, and each license is taken by the platform once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a token refused between two batches of one delivery', () => {
  it('is renewed once; every license accepted, none taken twice', async () => {
    let issued = 0;
    let honoured = '';
    const taken: string[] = [];
    const server = await startScriptedServer((_n, req) => {
      if (req.url.startsWith('/oauth/token')) {
        issued += 1;
        honoured = `tok-${issued}`;
        return { status: 200, body: { access_token: honoured, expires_in: 7200 } };
      }
      if (req.headers.authorization !== `Bearer ${honoured}`)
        return { status: 401, body: { reason: 'invalid_token' } };
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      taken.push(...items.map((i) => i.key));
      // The platform retires the token after the first batch it took.
      if (taken.length === items.length) honoured = 'retired';
      return {
        status: 200,
        body: {
          code: 0,
          results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: `P-${i.key}` })),
        },
      };
    });
    cleanups.push(() => server.close());
    const target = new RestJsonTarget(
      'province',
      restConfig(server.url, {
        batchSize: 2,
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${server.url}/oauth/token`,
          clientId: 'c',
          clientSecret: 'cs-1',
          refreshSkewSeconds: 60,
        },
      }),
    );
    cleanups.push(() => target.close());
    const items = Array.from({ length: 5 }, (_, i) => deliveryItem(i + 1));

    const outcomes = await target.deliver(items);

    expect(outcomes.map((o) => [o.key, o.state])).toEqual(items.map((i) => [i.key, 'accepted']));
    expect(taken).toEqual(items.map((i) => i.key));
    expect(issued).toBe(2);
  });
});
