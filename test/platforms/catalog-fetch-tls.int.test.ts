/**
 * `licbridge catalog pull` reads the license types from the same platform the target delivers to,
 * over the same connection settings: a platform whose certificate a government CA issued (`tls.ca`)
 * and that asks for the unit's client certificate answers it as it answers deliveries. A catalog
 * request made without the target's `tls` was refused by both.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { isLicbridgeError } from '../../core/errors.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';
import { restConfig } from './license-fixture.js';

describe('catalog pull over the target TLS settings', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let rogue: TestCa;
  let client: IssuedCertificate;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    gov = await createTestCa('gov-root');
    rogue = await createTestCa('rogue-root');
    const cert = await gov.issue('province', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    client = await gov.issue('department', { cn: 'department-a', client: true });
    const server = createServer(
      { cert: cert.cert, key: cert.key, ca: gov.ca, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ code: 0, types: [{ code: '11370200MB1234567X001', name: '食品经营许可证' }] }),
        );
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://localhost:${(server.address() as AddressInfo).port}`;
    close = () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
  });
  afterAll(async () => {
    await close?.();
    await gov?.remove();
    await rogue?.remove();
  });

  it('reads the types with the CA and client certificate of the target', async () => {
    const types = await fetchCatalogTypes(
      'province',
      restConfig(url, { timeoutMs: 5000, tls: { ca: gov.ca, cert: client.cert, key: client.key } }),
    );
    expect(types).toEqual([{ code: '11370200MB1234567X001', name: '食品经营许可证' }]);
  });

  it('still refuses a server its CA did not issue', async () => {
    const e = await fetchCatalogTypes(
      'province',
      restConfig(url, { timeoutMs: 5000, tls: { ca: rogue.ca, cert: client.cert, key: client.key } }),
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isLicbridgeError(e)).toBe(true);
  });
});
