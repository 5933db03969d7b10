/**
 * The SOAP target's tests' shared setup: the city target as they build it (one request at a time,
 * one attempt, a short timeout, unless a test says otherwise), and a city service that answers
 * every submit with the results a test writes for the keys it carries.
 */
import { resultsEnvelope, type SoapResult } from '../../adapters/platforms/soap-xml/envelope.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

/** The city service's namespace (the target's default). */
export const CITY_NS = 'http://exchange.city.gov.cn/license';

/** The SOAP target `city` for the service at `url`; `given` overrides the test defaults. */
export function soapTarget(url: string, given: Record<string, unknown> = {}): SoapXmlTarget {
  return new SoapXmlTarget('city', {
    kind: 'soap-xml',
    url,
    batchSize: 50,
    timeoutMs: 2000,
    concurrency: 1,
    attempts: 1,
    ...given,
  } as never);
}

/** A city service answering every submit with `results(keys)`, given the keys it carries in order. */
export function soapServiceAnswering(results: (keys: string[]) => SoapResult[]): Promise<ScriptedServer> {
  return startScriptedServer((_n, req) => {
    const keys = [...req.body.matchAll(/<lic:key>([^<]+)<\/lic:key>/g)].map((m) => m[1] ?? '');
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: resultsEnvelope(results(keys), CITY_NS, 'SubmitLicenses'),
    };
  });
}
