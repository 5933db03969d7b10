/**
 * A signing server whose certificate is refused names the server it came from: a config has a
 * signer or several, each at its own host and port, and "the server certificate does not name the
 * host connected to" said neither which host nor which port. The signing-server simulator sits
 * behind a TLS terminator with a certificate for `localhost` and one that has expired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';
import type { TlsSettings } from '../../core/tls.js';
import { remoteSigner } from '../signers/remote-signer-fixture.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';
import { startTlsTerminator, type TlsTerminator } from '../support/tls-terminator.js';

const pair = generateSm2KeyPair();

describe('a signing server refused over TLS is named', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let sim: SigningServerSimulator;
  let named: TlsTerminator;
  let expired: TlsTerminator;

  beforeAll(async () => {
    gov = await createTestCa('gov-root');
    const server = await gov.issue('signing', { cn: 'localhost', sans: ['DNS:localhost'] });
    const old = await gov.issue('signing-old', { cn: 'localhost', sans: ['DNS:localhost'], days: -1 });
    sim = await startSigningServerSimulator({ keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } } });
    named = await startTlsTerminator({ backendUrl: sim.url, cert: server.cert, key: server.key });
    expired = await startTlsTerminator({ backendUrl: sim.url, cert: old.cert, key: old.key });
  });
  afterAll(async () => {
    await named?.close();
    await expired?.close();
    await sim?.close();
    await gov?.remove();
  });

  const openFails = async (url: string, tls: TlsSettings) => {
    const s = remoteSigner('district-seal', url, { attempts: 3, tls });
    try {
      await s.open();
      return { error: '', retries: s.stats().retries };
    } catch (e) {
      return { error: (e as Error).message, retries: s.stats().retries };
    } finally {
      await s.close();
    }
  };

  it('a host name the certificate does not carry: the host and port connected to are named', async () => {
    const port = new URL(named.url).port;
    const r = await openFails(`https://127.0.0.1:${port}`, { ca: gov.ca });
    expect(r.error).toMatch(
      /^signer district-seal: TLS refused: the server certificate does not name the host/,
    );
    expect(r.error).toContain(`https://127.0.0.1:${port}`);
    expect(r.retries).toBe(0);
  });

  it('an expired server certificate: the server is named with the certificate', async () => {
    const port = new URL(expired.url).port;
    const r = await openFails(`https://localhost:${port}/`, { ca: gov.ca });
    expect(r.error).toMatch(/^signer district-seal: TLS refused: the server certificate has expired/);
    expect(r.error).toContain(`https://localhost:${port}`);
    expect(r.retries).toBe(0);
  });

  it('the url under a base path with a query: the origin is named, not the query', async () => {
    const port = new URL(named.url).port;
    const r = await openFails(`https://127.0.0.1:${port}/hsm/api?tenant=t-secret`, { ca: gov.ca });
    expect(r.error).toContain(`https://127.0.0.1:${port}`);
    expect(r.error).not.toContain('t-secret');
  });
});
