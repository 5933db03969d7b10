/**
 * A SOAP service or the IIS in front of it that refuses a SubmitLicenses request as too large
 * (HTTP 413: a WCF maxReceivedMessageSize, IIS request filtering) takes the batch in smaller
 * requests, as a REST/JSON platform does (shared/batches.ts): each license is carried by one
 * request the service processed, once, and its answer goes to it. A license refused so even alone
 * fails on its own, naming its id and size, and the others are delivered; requests are cut at
 * `maxBatchBytes` as well as at `batchSize`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resultsEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME, sampleLicense } from './license-fixture.js';
import { type ScriptedServer, type SeenRequest, startScriptedServer } from './scripted-server.js';
import { CITY_NS, soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const keysOf = (body: string): string[] =>
  [...body.matchAll(/<lic:key>([^<]+)<\/lic:key>/g)].map((m) => m[1] ?? '');
const bytesOf = (r: SeenRequest): number => Number(r.headers['content-length']);

/** A city service accepting every record, behind a proxy refusing bodies over `limit` bytes with 413. */
function serviceBehindProxy(limit: number): Promise<ScriptedServer> {
  return startScriptedServer((_n, req) => {
    if (bytesOf(req) > limit) {
      return { status: 413, headers: { 'content-type': 'text/html' }, body: '<html>413.1</html>' };
    }
    const keys = keysOf(req.body);
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: resultsEnvelope(
        keys.map((key) => ({
          key,
          status: 'accepted',
          platformId: `C-${key}`,
          errors: [],
          duplicate: false,
        })),
        CITY_NS,
        'SubmitLicenses',
      ),
    };
  });
}

/** City delivery item `n`, its face carrying `extra` characters more (a long list of business items). */
function cityItem(n: number, extra = 0): DeliveryItem {
  const license = sampleLicense(n);
  const surface = { ...license.surface, note: 'x'.repeat(extra) };
  return deliveryItem(n, { target: 'city', license: { ...license, surface } });
}

describe('SOAP: a request refused as too large', () => {
  it('is sent again in halves; every license processed once, its own answer kept', async () => {
    // Passes at most two records a request; a larger one is refused before the service reads it.
    server = await startScriptedServer((_n, req) => {
      const keys = keysOf(req.body);
      if (keys.length > 2) {
        return { status: 413, headers: { 'content-type': 'text/html' }, body: '<html>413.1</html>' };
      }
      return {
        status: 200,
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        body: resultsEnvelope(
          keys.map((key) => ({
            key,
            status: 'accepted',
            platformId: `C-${key}`,
            errors: [],
            duplicate: false,
          })),
          CITY_NS,
          'SubmitLicenses',
        ),
      };
    });
    const city = soapTarget(server.url, { batchSize: 5 });
    const items = Array.from({ length: 5 }, (_, i) => deliveryItem(i + 1, { target: 'city' }));
    try {
      const outcomes = await city.deliver(items);
      expect(outcomes.map((o) => [o.key, o.state, o.platformId])).toEqual(
        items.map((i) => [i.key, 'accepted', `C-${i.key}`]),
      );
    } finally {
      await city.close();
    }
    const processed = server.seen.map((r) => keysOf(r.body)).filter((keys) => keys.length <= 2);
    expect(processed.flat()).toEqual(items.map((i) => i.key));
  });

  it('a license refused even alone fails on its own, retryable within maxBatchBytes; the others are delivered', async () => {
    // A proxy taking 6,000 bytes (an envelope of a sample license is ~1.5 KB); license 2 needs ~10 KB.
    server = await serviceBehindProxy(6_000);
    const items = [cityItem(1), cityItem(2, 8_000), cityItem(3), cityItem(4)];
    const city = soapTarget(server.url, { batchSize: 10 });
    let outcomes: Awaited<ReturnType<typeof city.deliver>>;
    try {
      outcomes = await city.deliver(items);
    } finally {
      await city.close();
    }
    expect(outcomes.map((o) => [o.key, o.state, o.retryable])).toEqual([
      [items[0]?.key, 'accepted', undefined],
      [items[1]?.key, 'failed', true],
      [items[2]?.key, 'accepted', undefined],
      [items[3]?.key, 'accepted', undefined],
    ]);
    const alone = server.seen.filter((r) => keysOf(r.body).join() === items[1]?.key);
    expect(alone).toHaveLength(1);
    const reason = outcomes[1]?.reasons?.join('\n') ?? '';
    expect(reason).toContain('license lic-000002 version 1');
    expect(reason).toContain(`request of ${bytesOf(alone[0] as SeenRequest)} bytes was refused as too large`);
    expect(reason).toContain('HTTP 413');
    expect(reason).not.toContain(HOLDER_NAME);
    expect(reason).not.toContain(HOLDER_ID);
    // Each other license was processed once.
    const processed = server.seen.filter((r) => bytesOf(r) <= 6_000).flatMap((r) => keysOf(r.body));
    expect(processed).toEqual([items[0]?.key, items[2]?.key, items[3]?.key]);
  });

  it('requests are cut at maxBatchBytes; a license larger on its own goes alone and is a dead letter when refused', async () => {
    server = await serviceBehindProxy(6_000);
    const items = [cityItem(1), cityItem(2), cityItem(3, 8_000), cityItem(4), cityItem(5)];
    const city = soapTarget(server.url, { batchSize: 10, maxBatchBytes: 4_000 });
    let outcomes: Awaited<ReturnType<typeof city.deliver>>;
    try {
      outcomes = await city.deliver(items);
    } finally {
      await city.close();
    }
    expect(outcomes.map((o) => [o.key, o.state, o.retryable])).toEqual([
      [items[0]?.key, 'accepted', undefined],
      [items[1]?.key, 'accepted', undefined],
      [items[2]?.key, 'failed', false],
      [items[3]?.key, 'accepted', undefined],
      [items[4]?.key, 'accepted', undefined],
    ]);
    expect(outcomes[2]?.reasons?.join('\n')).toMatch(
      /license lic-000003 version 1: its request of \d+ bytes is too large for target city even alone/,
    );
    // No request the target built passed maxBatchBytes but the license larger on its own; none was refused whole.
    const sent = server.seen.map((r) => [bytesOf(r) <= 4_000, keysOf(r.body)] as const);
    expect(sent.filter(([within]) => !within).map(([, keys]) => keys)).toEqual([[items[2]?.key]]);
    expect(sent.flatMap(([, keys]) => keys).sort()).toEqual(items.map((i) => i.key).sort());
  });
});
