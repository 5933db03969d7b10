/**
 * The city SOAP simulator answered a request at any path: a soap-xml target whose `url` named
 * another path (`/services/Licenses`, the service's root, a path left from another city's config)
 * had every license accepted in the tests and the demo, and failed only against the real service,
 * which serves its one endpoint and answers any other path 404 (IIS's HTML page, no SOAP fault).
 * The simulator now does the same, and the target names the URL it was refused at (scheme, host,
 * port and path: never the userinfo or the query, where credentials may sit) and what to check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoapXmlTargetConfig } from '../../adapters/platforms/soap-xml/config.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { ErrorCodes, isLicbridgeError, type LicbridgeError } from '../../core/errors.js';
import { deliveryItem } from '../platforms/license-fixture.js';

const soapConfig = (url: string): SoapXmlTargetConfig => ({
  kind: 'soap-xml',
  url,
  username: 'district',
  password: `city-password-${process.pid}`,
  batchSize: 50,
  timeoutMs: 5000,
  concurrency: 2,
  attempts: 3,
});

let sim: CitySoapSimulator;
beforeAll(async () => {
  sim = await startCitySoapSimulator({
    auth: { username: 'district', password: `city-password-${process.pid}` },
  });
});
afterAll(async () => sim?.close());

async function deliverTo(url: string, n: number) {
  const target = new SoapXmlTarget('city', soapConfig(url));
  try {
    return await target.deliver([deliveryItem(n, { target: 'city' })]);
  } finally {
    await target.close();
  }
}

/** The error a delivery to `url` fails with (the request refused whole). */
async function refusalAt(url: string, n: number): Promise<LicbridgeError> {
  try {
    await deliverTo(url, n);
  } catch (e) {
    if (isLicbridgeError(e)) return e;
    throw e;
  }
  throw new Error(`expected the delivery to ${url} to fail`);
}

describe('the city SOAP simulator at a path it does not serve', () => {
  it('answers 404, stores nothing, and the target names the URL and what to check', async () => {
    const origin = new URL(sim.url).origin;
    const before = sim.stats();
    for (const path of ['/services/Licenses', '/', '/services/LicenseExchange/extra']) {
      const e = await refusalAt(`${origin}${path}`, 1);
      expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
      expect(e.context.status).toBe(404);
      expect(e.message).toBe(
        `target city: batch upload to ${origin} failed: request refused: HTTP 404: no such endpoint at ${origin}${path}; check the path of the target's url`,
      );
    }
    expect(sim.licenses()).toEqual([]);
    expect(sim.stats().accepted).toBe(before.accepted);
    // The one endpoint it serves still takes them.
    const [ok] = await deliverTo(sim.url, 2);
    expect(ok?.state).toBe('accepted');
  });

  it('names no userinfo and no query of the url in the refusal', async () => {
    const at = new URL(sim.url);
    const url = `${at.protocol}//op:url-secret-${process.pid}@${at.host}/services/Other?token=q-secret-${process.pid}`;
    const reason = (await refusalAt(url, 3)).message;
    expect(reason).toContain(`no such endpoint at ${at.origin}/services/Other;`);
    expect(reason).not.toContain('secret');
    expect(reason).not.toContain('op:');
  });

  it('answers a wrong path with a page, not a SOAP fault, as the web server in front of the service does', async () => {
    const res = await fetch(`${new URL(sim.url).origin}/services/Licenses`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: '<x/>',
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).not.toContain('Envelope');
  });
});
