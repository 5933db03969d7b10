/**
 * A province platform writing the answer `code` of a batch upload or a catalog request as a string
 * of digits (`"code": "0"`), as platforms built on string-typed result fields do. Only a JSON number
 * was read as a code: `"0"` was no documented answer, so every batch the platform took was failed
 * ("answer is not the documented JSON"), retried and dead-lettered, and the catalog was refused.
 * A code of digits is now read as that number (adapters/platforms/shared/answer-code.ts), as the
 * lookup and the notify target read it: `"0"` the answer, `"503"` busy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { isLicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A platform answering every batch with `code` and an `accepted` result per key. */
async function targetAnswering(code: unknown): Promise<RestJsonTarget> {
  const server = await startScriptedServer((_n, req) => {
    const doc = JSON.parse(req.body) as { items?: { key: string }[] };
    const results = (doc.items ?? []).map((i) => ({ key: i.key, status: 'accepted', platformId: 'P-1' }));
    return { status: 200, body: { code, results } };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000, attempts: 1 }));
  closers.push(() => target.close());
  return target;
}

describe('a batch or catalog answer whose code is a string of digits', () => {
  it('"0": the batch is taken, as with the number 0', async () => {
    const target = await targetAnswering('0');
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({ state: 'accepted', platformId: 'P-1' });
  });

  it('"503": busy, retryable, naming code 503', async () => {
    const target = await targetAnswering('503');
    const e = await target.deliver([deliveryItem(1)]).catch((err: unknown) => err);
    expect(isLicbridgeError(e) && [e.retryable, e.context.platformCode]).toEqual([true, 503]);
  });

  it('"0": the catalog is read', async () => {
    const server = await startScriptedServer(() => ({
      status: 200,
      body: { code: '0', types: [{ code: 'T01', name: '食品经营许可证' }] },
    }));
    closers.push(() => server.close());
    const types = await fetchCatalogTypes('province', restConfig(server.url, { attempts: 1 }));
    expect(types).toEqual([{ code: 'T01', name: '食品经营许可证' }]);
  });
});
