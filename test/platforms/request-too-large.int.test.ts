/**
 * A platform or the proxy in front of it that refuses a request as too large (HTTP 413) takes the
 * batch in smaller requests: the province simulator takes at most 1,000 items a request, and a
 * target configured for more gets every license delivered, each processed once, instead of a
 * refusal at every attempt that dead-lettered them all. A gateway answering every request 200 says
 * so in the body, `{"code":413}`: that is read as the 413 status is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { MAX_BATCH_ITEMS } from '../../adapters/simulators/province/batch-handler.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('rest-json: a request refused as too large', () => {
  it('is sent again in halves: every license of a batch over the platform limit accepted once', async () => {
    const sim = await startProvinceSimulator();
    cleanups.push(() => sim.close());
    const province = new RestJsonTarget('province', restConfig(sim.url, { batchSize: 2 * MAX_BATCH_ITEMS }));
    cleanups.push(() => province.close());
    const items = Array.from({ length: MAX_BATCH_ITEMS + 200 }, (_, i) => deliveryItem(i + 1));

    const outcomes = await province.deliver(items);

    expect(outcomes.filter((o) => o.state === 'accepted')).toHaveLength(items.length);
    expect(outcomes.map((o) => o.key)).toEqual(items.map((i) => i.key));
    const stats = sim.stats();
    expect(stats.accepted).toBe(items.length);
    expect(stats.received).toBe(items.length);
    expect(stats.duplicates).toBe(0);
  });

  it('a body limit of a proxy: the answers of the smaller requests go to their own licenses', async () => {
    // A proxy passing at most two items a request; the platform behind it answers each item.
    const server = await startScriptedServer((_n, req) => {
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      if (items.length > 2) return { status: 413, body: '<html>413 Request Entity Too Large</html>' };
      return {
        status: 200,
        body: {
          code: 0,
          results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: `P-${i.key}` })),
        },
      };
    });
    cleanups.push(() => server.close());
    const province = new RestJsonTarget('province', restConfig(server.url, { batchSize: 5 }));
    cleanups.push(() => province.close());
    const items = Array.from({ length: 5 }, (_, i) => deliveryItem(i + 1));

    const outcomes = await province.deliver(items);

    expect(outcomes.map((o) => [o.key, o.state, o.platformId])).toEqual(
      items.map((i) => [i.key, 'accepted', `P-${i.key}`]),
    );
    const processed = server.seen
      .map((r) => (JSON.parse(r.body) as { items: { key: string }[] }).items.map((i) => i.key))
      .filter((keys) => keys.length <= 2)
      .flat();
    expect(processed).toEqual(items.map((i) => i.key));
  });

  for (const code of [413, '413'] as const) {
    it(`a 200 whose code is ${JSON.stringify(code)}: halved as a 413; a license refused so alone fails on its own, the others accepted once`, async () => {
      // A gateway answering every request 200: at most two items a request, and never license 3.
      const server = await startScriptedServer((_n, req) => {
        const { items } = JSON.parse(req.body) as { items: { key: string }[] };
        if (items.length > 2 || items.some((i) => i.key.startsWith('lic-000003:'))) {
          return { status: 200, body: { code, reason: 'batch-too-large' } };
        }
        return {
          status: 200,
          body: {
            code: 0,
            results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: `P-${i.key}` })),
          },
        };
      });
      cleanups.push(() => server.close());
      const province = new RestJsonTarget('province', restConfig(server.url, { batchSize: 5 }));
      cleanups.push(() => province.close());
      const items = Array.from({ length: 5 }, (_, i) => deliveryItem(i + 1));

      const outcomes = await province.deliver(items);

      expect(outcomes.map((o) => [o.key, o.state, o.retryable])).toEqual(
        items.map((i, n) => (n === 2 ? [i.key, 'failed', true] : [i.key, 'accepted', undefined])),
      );
      expect(outcomes[2]?.reasons?.join('\n')).toContain('license lic-000003 version 1: its request of');
      expect(outcomes[2]?.reasons?.join('\n')).toContain('platform code 413 (batch-too-large)');
      const answered = server.seen
        .map((r) => (JSON.parse(r.body) as { items: { key: string }[] }).items.map((i) => i.key))
        .filter((keys) => keys.length <= 2 && !keys.includes(items[2]?.key as string))
        .flat();
      expect(answered).toEqual(items.filter((_, n) => n !== 2).map((i) => i.key));
    });
  }
});
