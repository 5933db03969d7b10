/**
 * The city SOAP web service behind mutual TLS (the city-soap simulator behind a TLS terminator
 * requiring the government test CA's client certificates): the soap-xml target delivers with the
 * right CA and client certificate; a wrong CA and a missing client certificate are refused with
 * their message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoapXmlTargetConfig } from '../../adapters/platforms/soap-xml/config.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import type { TlsSettings } from '../../core/tls.js';
import { deliveryItem } from '../platforms/license-fixture.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';
import { startTlsTerminator, type TlsTerminator } from '../support/tls-terminator.js';

describe('city SOAP service over mutual TLS', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let rogue: TestCa;
  let client: IssuedCertificate;
  let sim: CitySoapSimulator;
  let gateway: TlsTerminator;

  beforeAll(async () => {
    gov = await createTestCa('gov-root');
    rogue = await createTestCa('rogue-root');
    const server = await gov.issue('city', { cn: 'localhost', sans: ['DNS:localhost'] });
    client = await gov.issue('department', { cn: 'department-a', client: true });
    sim = await startCitySoapSimulator({ auth: { username: 'district', password: 'city-password' } });
    gateway = await startTlsTerminator({
      backendUrl: sim.url,
      cert: server.cert,
      key: server.key,
      clientCa: gov.ca,
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await sim?.close();
    await gov?.remove();
    await rogue?.remove();
  });

  const deliver = async (tls: TlsSettings, n: number) => {
    const target = new SoapXmlTarget('city', {
      kind: 'soap-xml',
      // The service answers at its one path (city-soap-simulator.ts), which the terminator passes on.
      url: `${gateway.url}${new URL(sim.url).pathname}`,
      username: 'district',
      password: 'city-password',
      batchSize: 50,
      timeoutMs: 5000,
      concurrency: 2,
      attempts: 3,
      tls,
    } as SoapXmlTargetConfig);
    try {
      const [outcome] = await target.deliver([deliveryItem(n, { target: 'city' })]);
      return outcome?.state;
    } catch (e) {
      return (e as Error).message;
    } finally {
      await target.close();
    }
  };

  it('delivers with the government CA and the client certificate', async () => {
    expect(await deliver({ ca: gov.ca, cert: client.cert, key: client.key }, 1)).toBe('accepted');
  });

  it('a CA that did not issue the server certificate: refused, naming it', async () => {
    expect(await deliver({ ca: rogue.ca, cert: client.cert, key: client.key }, 2)).toMatch(
      /^target city: TLS refused: the server certificate is not trusted.*CN=localhost/,
    );
  });

  it('no client certificate: refused, saying the service requires one', async () => {
    expect(await deliver({ ca: gov.ca }, 3)).toMatch(
      /^target city: TLS refused: the server requires a client certificate/,
    );
  });
});
