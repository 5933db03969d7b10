/**
 * Behind an API gateway that keeps the first 2xx answer per `Idempotency-Key` and replays it for
 * any later request with that key (IETF draft-ietf-httpapi-idempotency-key-header), whatever the
 * body says. The status request must not carry a fixed key, or every later poll gets the first
 * `submitted` back and the review verdict is never seen; a batch sent again (a dead letter
 * replayed after the platform fixed its side) must not reuse its key, or it gets the cached
 * rejection. Sending twice stays harmless: the platform dedups per item key.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { deliveryItem, restConfig } from './license-fixture.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

function closeServer(server: ReturnType<typeof createServer>): () => Promise<void> {
  return () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
}

/** Forwards to `upstream`, keeping the first 2xx answer per Idempotency-Key and replaying it. */
async function cachingGateway(upstream: string) {
  const cache = new Map<string, Buffer>();
  let replays = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      const hit = typeof key === 'string' ? cache.get(key) : undefined;
      if (hit) {
        replays += 1;
        res.writeHead(200, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
        res.end(hit);
        return;
      }
      const u = new URL(req.url ?? '/', upstream);
      const fwd = request(u, { method: req.method, headers: { ...req.headers, host: u.host } }, (up) => {
        const out: Buffer[] = [];
        up.on('data', (c: Buffer) => out.push(c));
        up.on('end', () => {
          const body = Buffer.concat(out);
          const status = up.statusCode ?? 502;
          if (typeof key === 'string' && status >= 200 && status < 300) cache.set(key, body);
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(body);
        });
      });
      fwd.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(closeServer(server));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, replays: () => replays };
}

describe('status polls behind an idempotency-caching gateway', () => {
  it('see the review verdict', async () => {
    const sim = await startProvinceSimulator({ port: 0, review: { polls: 1 } });
    closers.push(() => sim.close());
    const gw = await cachingGateway(sim.url);
    const t = new RestJsonTarget('province', restConfig(gw.url));
    closers.push(() => t.close());

    const [sent] = await t.deliver([deliveryItem(1)]);
    expect(sent?.state).toBe('submitted');
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [o] = await t.poll([
        { key: sent?.key ?? '', platformId: sent?.platformId ?? null, receipt: null },
      ]);
      states.push(o?.state ?? 'none');
    }
    expect(states).toEqual(['submitted', 'accepted', 'accepted']);
    expect(gw.replays()).toBe(0);
  });
});

describe('a batch sent again behind an idempotency-caching gateway', () => {
  it('is processed again after the platform fixed its side, not answered from the cache', async () => {
    let registered = false;
    const upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { items } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: { key: string }[] };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            code: 0,
            results: items.map((i) =>
              registered
                ? { key: i.key, status: 'accepted', platformId: `p-${i.key}` }
                : { key: i.key, status: 'rejected', errors: ['ISSUER_NOT_REGISTERED'] },
            ),
          }),
        );
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    closers.push(closeServer(upstream));
    const gw = await cachingGateway(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    const t = new RestJsonTarget('province', restConfig(gw.url));
    closers.push(() => t.close());
    const batch = [deliveryItem(1), deliveryItem(2)];
    expect((await t.deliver(batch)).map((o) => o.state)).toEqual(['rejected', 'rejected']);
    registered = true; // the province registers the issuer; the operator runs `licbridge dlq replay`
    expect((await t.deliver(batch)).map((o) => o.state)).toEqual(['accepted', 'accepted']);
  });

  it('is held once by the platform, which answers the repeat as a duplicate', async () => {
    const sim = await startProvinceSimulator({ port: 0 });
    closers.push(() => sim.close());
    const gw = await cachingGateway(sim.url);
    const t = new RestJsonTarget('province', restConfig(gw.url));
    closers.push(() => t.close());
    const [first] = await t.deliver([deliveryItem(1)]);
    const [again] = await t.deliver([deliveryItem(1)]);
    expect(first).toMatchObject({ state: 'accepted', receipt: { duplicate: false } });
    expect(again).toMatchObject({
      state: 'accepted',
      platformId: first?.platformId,
      receipt: { duplicate: true },
    });
    expect(sim.licenses().map((l) => l.key)).toEqual([deliveryItem(1).key]);
  });
});
