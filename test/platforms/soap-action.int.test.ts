/**
 * The SOAPAction header (SOAP 1.1 §6.1.1) names the operation; services that dispatch on it
 * (ASP.NET web services, WCF) refuse a request whose header is not the `soapAction` of their WSDL.
 * .NET writes that as the namespace followed by the operation, its namespaces ending in `/`
 * (`http://tempuri.org/` → `http://tempuri.org/SubmitLicenses`): a second `/` put in between made
 * a URL the service does not know, and every request was refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resultsEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { deliveryItem } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { CITY_NS, soapTarget } from './soap-stand-in.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function actionsSent(namespace: string | undefined): Promise<string[]> {
  const server = await startScriptedServer((_n, req) => {
    const keys = [...req.body.matchAll(/<lic:key>([^<]+)<\/lic:key>/g)].map((m) => m[1] ?? '');
    const operation = req.body.includes('QueryStatus') ? 'QueryStatus' : 'SubmitLicenses';
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: resultsEnvelope(
        keys.map((key) => ({ key, status: 'submitted', platformId: null, errors: [], duplicate: false })),
        namespace ?? CITY_NS,
        operation,
      ),
    };
  });
  closers.push(() => server.close());
  const target = soapTarget(server.url, namespace === undefined ? {} : { namespace });
  closers.push(() => target.close());
  const item = deliveryItem(1, { target: 'city' });
  await target.deliver([item]);
  await target.poll([{ key: item.key } as never]);
  return server.seen.map((r) => String(r.headers.soapaction));
}

describe('the SOAPAction header', () => {
  it('is the namespace and the operation, quoted', async () => {
    expect(await actionsSent(undefined)).toEqual([`"${CITY_NS}/SubmitLicenses"`, `"${CITY_NS}/QueryStatus"`]);
  });

  it('does not double the / a namespace ends with (.NET: http://tempuri.org/)', async () => {
    expect(await actionsSent('http://tempuri.org/')).toEqual([
      '"http://tempuri.org/SubmitLicenses"',
      '"http://tempuri.org/QueryStatus"',
    ]);
  });
});
