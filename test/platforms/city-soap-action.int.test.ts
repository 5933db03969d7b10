/**
 * The city simulator dispatches on SOAPAction as ASP.NET and WCF services do (SOAP 1.1 §6.1.1):
 * a request without the header, or whose header names another operation than its body, is
 * refused with a `Client` fault. A target sending a wrong header then fails against the simulator
 * as it would against the service, not only in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope, soapAction, statusEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { CITY_NS } from './soap-stand-in.js';

describe('the city simulator and the SOAPAction header', () => {
  let sim: CitySoapSimulator;
  beforeAll(async () => {
    sim = await startCitySoapSimulator();
  });
  afterAll(async () => sim?.close());

  const post = async (headers: Record<string, string>) => {
    const res = await fetch(sim.url, {
      method: 'POST',
      body: statusEnvelope(['lic-1:1:city'], CITY_NS),
      headers: { 'content-type': 'text/xml; charset=utf-8', ...headers },
    });
    return { status: res.status, parsed: parseEnvelope(await res.text()) };
  };

  it('answers a request whose header names its operation', async () => {
    const { status, parsed } = await post({ soapaction: soapAction(CITY_NS, 'QueryStatus') });
    expect(status).toBe(200);
    expect(parsed.kind).toBe('results');
  });

  it.each([
    ['another operation', { soapaction: soapAction(CITY_NS, 'SubmitLicenses') }],
    ['a doubled /', { soapaction: `"${CITY_NS}//QueryStatus"` }],
    ['no header', {}],
  ])('refuses %s with a Client fault', async (_what, headers) => {
    const { status, parsed } = await post(headers);
    expect(status).toBe(500);
    expect(parsed).toMatchObject({
      kind: 'fault',
      fault: { code: 'Client', message: /^Client\.SOAPAction/ },
    });
  });
});
