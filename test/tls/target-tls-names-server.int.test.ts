/**
 * A platform whose certificate is refused names the server it came from: a config has targets at
 * several hosts and ports (a province gateway, a city's, a test platform), and "target province:
 * TLS refused: the server certificate does not name the host connected to" said neither which
 * host nor which port. The province simulator serves HTTPS with a certificate for `localhost` and
 * one that has expired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestJsonTargetConfig } from '../../adapters/platforms/rest-json/config.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { LicbridgeError } from '../../core/errors.js';
import type { TlsSettings } from '../../core/tls.js';
import { deliveryItem, restConfig } from '../platforms/license-fixture.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';

describe('a platform refused over TLS is named', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let named: ProvinceSimulator;
  let expired: ProvinceSimulator;

  beforeAll(async () => {
    gov = await createTestCa('gov-root');
    const server = await gov.issue('province', { cn: 'localhost', sans: ['DNS:localhost'] });
    const old = await gov.issue('province-old', { cn: 'localhost', sans: ['DNS:localhost'], days: -1 });
    named = await startProvinceSimulator({ tls: { cert: server.cert, key: server.key } });
    expired = await startProvinceSimulator({ tls: { cert: old.cert, key: old.key } });
  });
  afterAll(async () => {
    await named?.close();
    await expired?.close();
    await gov?.remove();
  });

  const deliverFails = async (url: string, tls: TlsSettings): Promise<LicbridgeError> => {
    const target = new RestJsonTarget('province', restConfig(url, { tls }) as RestJsonTargetConfig);
    try {
      const e = await target.deliver([deliveryItem(1)]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(LicbridgeError);
      return e as LicbridgeError;
    } finally {
      await target.close();
    }
  };

  it('a host name the certificate does not carry: the host and port connected to are named', async () => {
    const port = new URL(named.url).port;
    const e = await deliverFails(`https://127.0.0.1:${port}/api/licenses`, { ca: gov.ca });
    expect(e.message).toMatch(/^target province: TLS refused: the server certificate does not name the host/);
    expect(e.message).toMatch(new RegExp(`; platform https://127\\.0\\.0\\.1:${port}$`));
    expect(e.context).toMatchObject({ target: 'province', origin: `https://127.0.0.1:${port}` });
    expect(e.retryable).toBe(false);
  });

  it('an expired server certificate: the server is named with the certificate', async () => {
    const port = new URL(expired.url).port;
    const e = await deliverFails(`https://localhost:${port}/api/licenses`, { ca: gov.ca });
    expect(e.message).toMatch(/^target province: TLS refused: the server certificate has expired/);
    expect(e.message).toMatch(new RegExp(`; platform https://localhost:${port}$`));
    expect(e.context).toMatchObject({ origin: `https://localhost:${port}` });
  });

  it('the url under a base path with a query: the origin is named, not the path or the query', async () => {
    const port = new URL(named.url).port;
    const e = await deliverFails(`https://127.0.0.1:${port}/gw/v2/licenses?tenant=t-secret`, { ca: gov.ca });
    expect(e.message).toContain(`; platform https://127.0.0.1:${port}`);
    expect(e.message).not.toContain('t-secret');
    expect(e.message).not.toContain('/gw/v2');
    expect(JSON.stringify(e.context)).not.toContain('t-secret');
  });
});
