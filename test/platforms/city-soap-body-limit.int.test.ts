/**
 * The city SOAP simulator reads a request body up to the limit the province simulator keeps, as
 * a WCF service's maxReceivedMessageSize does: a larger one is answered 413 without being held in
 * memory, and the simulator answers the next request as usual. It used to read any body whole.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { soapAction, submitEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { MAX_BODY_BYTES } from '../../adapters/simulators/http-io.js';
import { CITY_NS } from './soap-stand-in.js';

const running: CitySoapSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const record = {
  key: 'lic-1:1:city',
  operation: '01',
  license: { zzbs: 'x', zzbh: 'y', czztdm: 'z' },
  signature: { algorithm: 'a', value: 'v', digest: 'd', sealId: 's' },
};

describe('city SOAP simulator: request body limit', () => {
  it('answers 413 to a body over the limit and the next request as usual', async () => {
    const sim = await startCitySoapSimulator();
    running.push(sim);
    const post = (body: string) =>
      fetch(sim.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/xml', soapaction: soapAction(CITY_NS, 'SubmitLicenses') },
      });
    const envelope = submitEnvelope([record], CITY_NS);
    // The envelope padded past the limit by whitespace before its end: still well-formed XML.
    const padded = envelope.replace('</soap:Envelope>', `${' '.repeat(MAX_BODY_BYTES)}</soap:Envelope>`);
    expect(Buffer.byteLength(padded)).toBeGreaterThan(MAX_BODY_BYTES);

    const refused = await post(padded);
    expect(refused.status).toBe(413);
    await refused.arrayBuffer();
    expect(sim.licenses()).toEqual([]);

    const next = await post(envelope);
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('SubmitLicensesResponse');
    expect(sim.licenses().map((l) => l.key)).toEqual(['lic-1:1:city']);
  });
});
