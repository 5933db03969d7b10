/**
 * A REST/JSON batch is cut by its body's bytes as well as by `batchSize` (`maxBatchBytes`): license
 * files sent as base64 made a body of 100 × 4 MB files past the longest string V8 builds, which
 * failed every attempt until the whole batch was dead letters. Here the limit is small: every
 * request stays under it, base64 or multipart, and a license too large even alone fails on its own,
 * naming its id and size and nothing of its holder, while the others are delivered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RestJsonTargetConfig } from '../../adapters/platforms/rest-json/config.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME, restConfig } from './license-fixture.js';
import { type SeenRequest, startScriptedServer } from './scripted-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Delivery item `n` with a file of `size` bytes. */
function withFile(n: number, size: number): DeliveryItem {
  const item = deliveryItem(n);
  const bytes = Buffer.alloc(size, n);
  const read = async () => bytes;
  return { ...item, file: { name: `${item.licenseId}-001.ofd`, sm3: 'ab'.repeat(32), size, read } };
}

/** The delivery keys a request carries, in order (its JSON, alone or in a form's `batch` part). */
const keysOf = (r: SeenRequest): string[] =>
  [...r.body.matchAll(/"key":"([^"]+)"/g)].map((m) => m[1] as string);
const bytesOf = (r: SeenRequest): number => Number(r.headers['content-length']);

/** A platform accepting every item, behind a proxy refusing bodies over `proxyLimit` bytes with 413. */
async function platform(proxyLimit = Number.POSITIVE_INFINITY) {
  const server = await startScriptedServer((_n, req) => {
    if (bytesOf(req) > proxyLimit) return { status: 413, body: '<html>413 Request Entity Too Large</html>' };
    return {
      status: 200,
      body: {
        code: 0,
        results: keysOf(req).map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })),
      },
    };
  });
  cleanups.push(() => server.close());
  return server;
}

function target(url: string, overrides: Partial<RestJsonTargetConfig>): RestJsonTarget {
  const t = new RestJsonTarget('province', restConfig(url, overrides));
  cleanups.push(() => t.close());
  return t;
}

describe('rest-json: requests cut at maxBatchBytes', () => {
  // Items of ~5.6 KB (a 3,000-byte file is 4,000 base64 characters): two fit 12,000 bytes, three do not.
  for (const send of ['base64', 'multipart'] as const) {
    it(`${send}: every request under the limit, each license sent once and accepted`, async () => {
      const server = await platform();
      const items = Array.from({ length: 6 }, (_, i) => withFile(i + 1, 3_000));
      const province = target(server.url, { batchSize: 100, maxBatchBytes: 12_000, licenseFiles: { send } });

      const outcomes = await province.deliver(items);

      expect(outcomes.map((o) => o.state)).toEqual(items.map(() => 'accepted'));
      expect(server.seen.map((r) => keysOf(r).length)).toEqual([2, 2, 2]);
      for (const r of server.seen) expect(bytesOf(r)).toBeLessThanOrEqual(12_000);
      expect(server.seen.flatMap(keysOf)).toEqual(items.map((i) => i.key));
    });
  }

  it('base64: a request of exactly maxBatchBytes is sent whole, one byte less cuts it', async () => {
    const server = await platform();
    const items = [withFile(1, 3_000), withFile(2, 3_000)];
    await target(server.url, { maxBatchBytes: 256 * 1024, licenseFiles: { send: 'base64' } }).deliver(items);
    const whole = bytesOf(server.seen[0] as SeenRequest);

    await target(server.url, { maxBatchBytes: whole, licenseFiles: { send: 'base64' } }).deliver(items);
    await target(server.url, { maxBatchBytes: whole - 1, licenseFiles: { send: 'base64' } }).deliver(items);

    expect(server.seen.map((r) => keysOf(r).length)).toEqual([2, 2, 1, 1]);
  });

  it('a license larger than the limit goes alone; the requests around it are cut as before', async () => {
    const server = await platform();
    const items = [withFile(1, 3_000), withFile(2, 12_000), withFile(3, 3_000), withFile(4, 3_000)];
    const province = target(server.url, { maxBatchBytes: 12_000, licenseFiles: { send: 'base64' } });

    const outcomes = await province.deliver(items);

    expect(outcomes.map((o) => o.state)).toEqual(items.map(() => 'accepted'));
    expect(server.seen.map(keysOf)).toEqual([
      [items[0]?.key],
      [items[1]?.key],
      [items[2]?.key, items[3]?.key],
    ]);
  });

  it('a license too large even alone fails on its own, naming its id and size; the others are delivered', async () => {
    // The proxy takes 8,000 bytes: the 9,000-byte file (12,000 in base64) never passes it.
    const server = await platform(8_000);
    const items = [withFile(1, 1_000), withFile(2, 9_000), withFile(3, 1_000)];
    const province = target(server.url, { maxBatchBytes: 12_000, licenseFiles: { send: 'base64' } });

    const outcomes = await province.deliver(items);

    expect(outcomes.map((o) => [o.key, o.state])).toEqual([
      [items[0]?.key, 'accepted'],
      [items[1]?.key, 'failed'],
      [items[2]?.key, 'accepted'],
    ]);
    const refused = server.seen.find((r) => keysOf(r).includes(items[1]?.key as string)) as SeenRequest;
    expect(keysOf(refused)).toEqual([items[1]?.key]);
    const failed = outcomes[1];
    expect(failed?.retryable).toBe(false);
    const reason = failed?.reasons?.join('\n') ?? '';
    expect(reason).toContain('license lic-000002 version 1');
    expect(reason).toContain(
      `request of ${bytesOf(refused)} bytes is too large for target province even alone`,
    );
    expect(reason).toContain('HTTP 413');
    expect(reason).not.toContain(HOLDER_NAME);
    expect(reason).not.toContain(HOLDER_ID);
    // The license that failed alone was sent once, alone; the others once each.
    expect(server.seen.filter((r) => bytesOf(r) <= 8_000).flatMap(keysOf)).toEqual([
      items[0]?.key,
      items[2]?.key,
    ]);
  });

  it('a license within the limit that a proxy still refuses alone fails on its own, retryable; the others are delivered', async () => {
    // As nginx's 1 MiB client_max_body_size with a 2 MiB file under a maxBatchBytes of 32 MiB: the
    // proxy takes 8,000 bytes, the target's limit is 40,000, the 9,000-byte file needs ~12,500.
    const server = await platform(8_000);
    const items = [withFile(1, 1_000), withFile(2, 9_000), withFile(3, 1_000), withFile(4, 1_000)];
    const province = target(server.url, { maxBatchBytes: 40_000, licenseFiles: { send: 'base64' } });

    const outcomes = await province.deliver(items);

    expect(outcomes.map((o) => [o.key, o.state, o.retryable])).toEqual([
      [items[0]?.key, 'accepted', undefined],
      [items[1]?.key, 'failed', true],
      [items[2]?.key, 'accepted', undefined],
      [items[3]?.key, 'accepted', undefined],
    ]);
    const refused = server.seen.filter((r) => keysOf(r).length === 1 && keysOf(r)[0] === items[1]?.key);
    expect(refused).toHaveLength(1);
    const reason = outcomes[1]?.reasons?.join('\n') ?? '';
    expect(reason).toContain('license lic-000002 version 1');
    expect(reason).toContain(
      `request of ${bytesOf(refused[0] as SeenRequest)} bytes was refused as too large`,
    );
    expect(reason).toContain('HTTP 413');
    expect(reason).not.toContain(HOLDER_NAME);
    expect(reason).not.toContain(HOLDER_ID);
    // Each other license was answered once.
    expect(server.seen.filter((r) => bytesOf(r) <= 8_000).flatMap(keysOf)).toEqual([
      items[0]?.key,
      items[2]?.key,
      items[3]?.key,
    ]);
  });
});
