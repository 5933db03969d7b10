/**
 * A SOAP service or the IIS in front of it that refuses a SubmitLicenses request as too large
 * (HTTP 413: a WCF maxReceivedMessageSize, IIS request filtering) takes the batch in smaller
 * requests, as a REST/JSON platform does (shared/batches.ts): each license is carried by one
 * request the service processed, once, and its answer goes to it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resultsEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { deliveryItem } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';
import { CITY_NS, soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const keysOf = (body: string): string[] =>
  [...body.matchAll(/<lic:key>([^<]+)<\/lic:key>/g)].map((m) => m[1] ?? '');

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
});
