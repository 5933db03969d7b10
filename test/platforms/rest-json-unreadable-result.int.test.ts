/**
 * A REST/JSON result whose `status` or `key` is not text (a number, null, an object) was skipped
 * without a word: its license read "platform answered without a result for this key", retried and
 * dead-lettered, nothing saying what the platform had sent. The outcome now names the result's index,
 * the field and its kind, never its value (a platform may echo the record into it), and stays a
 * retryable failure: the platform may hold the license.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { deliveryItem, HOLDER_NAME, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A target whose platform answers each request (batch or status) with `results(keys)`. */
async function answering(results: (keys: string[]) => unknown[]) {
  const server = await startScriptedServer((_n, req) => {
    const doc = JSON.parse(req.body) as { items?: { key: string }[]; keys?: string[] };
    const keys = doc.keys ?? (doc.items ?? []).map((i) => i.key);
    return { status: 200, body: { code: 0, results: results(keys) } };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000, attempts: 1 }));
  closers.push(() => target.close());
  return target;
}

describe('REST/JSON: a result whose status or key is not text', () => {
  it.each([
    [7, 'a number'],
    [null, 'null'],
    [{ text: HOLDER_NAME }, 'an object'],
    [undefined, 'missing'],
  ])('status %j: a retryable failure naming the result, the field and its kind', async (status, kind) => {
    const target = await answering((keys) => keys.map((key) => ({ key, status })));
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({
      state: 'failed',
      retryable: true,
      reasons: [`platform answered this key's result unreadable: results[0].status is ${kind}, not text`],
      failure: 'unreadable-answer',
    });
    expect(JSON.stringify(o)).not.toContain(HOLDER_NAME);
  });

  it('key not text: the keys without a result say which result could not be read', async () => {
    const target = await answering((keys) => [
      { key: keys[0], status: 'accepted', platformId: 'P-1' },
      { key: { holder: HOLDER_NAME }, status: 'accepted' },
      { key: 42, status: 'rejected' },
    ]);
    const [first, second] = await target.deliver([deliveryItem(1), deliveryItem(2)]);
    expect(first).toMatchObject({ state: 'accepted', platformId: 'P-1' });
    expect(second).toMatchObject({
      state: 'failed',
      retryable: true,
      reasons: [
        'platform answered without a result for this key, and results[1].key is an object, not text; ' +
          'results[2].key is a number, not text',
      ],
      failure: 'no-result',
    });
    expect(JSON.stringify(second)).not.toContain(HOLDER_NAME);
  });

  it('a result that is not an object is named too', async () => {
    const target = await answering(() => [HOLDER_NAME]);
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({
      state: 'failed',
      retryable: true,
      reasons: ['platform answered without a result for this key, and results[0] is a string, not an object'],
    });
    expect(JSON.stringify(o)).not.toContain(HOLDER_NAME);
  });

  it('a status request answered so says the same', async () => {
    const target = await answering((keys) => keys.map((key) => ({ key, status: null })));
    const [o] = await target.poll([{ key: deliveryItem(1).key, platformId: null, receipt: null }]);
    expect(o).toMatchObject({
      state: 'failed',
      retryable: true,
      reasons: ["platform answered this key's result unreadable: results[0].status is null, not text"],
    });
  });

  it('a readable result beside an unreadable one is taken as before', async () => {
    const target = await answering((keys) =>
      keys.flatMap((key) => [
        { key, status: null },
        { key, status: 'accepted', platformId: 'P-9' },
      ]),
    );
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({ state: 'accepted', platformId: 'P-9' });
  });
});
