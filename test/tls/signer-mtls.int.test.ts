/**
 * Mutual TLS to a signing server: the signing-server simulator behind a TLS terminator written
 * here (node:tls, client certificates required from the government test CA), as a certified
 * signing server sits on the government network. The remote signer with the right client
 * certificate signs; without one, or with one from another CA, it fails at once (no retries)
 * with a message that says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';
import type { TlsSettings } from '../../core/tls.js';
import { remoteSigner } from '../signers/remote-signer-fixture.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';
import { startTlsTerminator, type TlsTerminator } from '../support/tls-terminator.js';

const pair = generateSm2KeyPair();

describe('remote signer over mutual TLS', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let rogue: TestCa;
  let client: IssuedCertificate;
  let rogueClient: IssuedCertificate;
  let expiredClient: IssuedCertificate;
  let sim: SigningServerSimulator;
  let terminator: TlsTerminator;
  let url: string;

  beforeAll(async () => {
    gov = await createTestCa('gov-root');
    rogue = await createTestCa('rogue-root');
    const server = await gov.issue('signing', { cn: 'localhost', sans: ['DNS:localhost'] });
    client = await gov.issue('department', { cn: 'department-a', client: true, passphrase: 'seal-pass' });
    rogueClient = await rogue.issue('intruder', { cn: 'intruder', client: true });
    expiredClient = await gov.issue('department-old', { cn: 'department-a', client: true, days: -1 });
    sim = await startSigningServerSimulator({ keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } } });
    terminator = await startTlsTerminator({
      backendUrl: sim.url,
      cert: server.cert,
      key: server.key,
      clientCa: gov.ca,
    });
    url = terminator.url;
  });
  afterAll(async () => {
    await terminator?.close();
    await sim?.close();
    await gov?.remove();
    await rogue?.remove();
  });

  const signer = (tls: TlsSettings) => remoteSigner('district-seal', url, { attempts: 5, tls });
  const attempt = async (tls: TlsSettings) => {
    const s = signer(tls);
    try {
      await s.open();
      const records = await s.sign([Buffer.from('{"n":1}')]);
      return { signed: records.length, retries: s.stats().retries };
    } catch (e) {
      return { error: (e as Error).message, retries: s.stats().retries };
    } finally {
      await s.close();
    }
  };

  it('signs with the client certificate the government CA issued (encrypted key and passphrase)', async () => {
    expect(
      await attempt({ ca: gov.ca, cert: client.cert, key: client.key, passphrase: 'seal-pass' }),
    ).toEqual({
      signed: 1,
      retries: 0,
    });
  });

  it('without a client certificate: refused at once, saying one is required', async () => {
    const r = await attempt({ ca: gov.ca });
    expect(r.error).toMatch(/^signer district-seal: TLS refused: the server requires a client certificate/);
    expect(r.retries).toBe(0);
  });

  it('with a client certificate from another CA: refused at once, saying the certificate was refused', async () => {
    const r = await attempt({ ca: gov.ca, cert: rogueClient.cert, key: rogueClient.key });
    expect(r.error).toMatch(/^signer district-seal: TLS refused: the server refused the client certificate/);
    expect(r.retries).toBe(0);
  });

  it('an expired client certificate: refused at once, saying ours expired and when', async () => {
    const r = await attempt({ ca: gov.ca, cert: expiredClient.cert, key: expiredClient.key });
    expect(r.error).toMatch(
      /^signer district-seal: TLS refused: the client certificate in `tls.cert` has expired \(subject O=licbridge test, CN=department-a; expired \d{4}-\d\d-\d\dT[\d:.]+Z\): install the renewed certificate and its key/,
    );
    expect(r.retries).toBe(0);
  });

  it('a wrong passphrase for the client key is named as such as the signer is built, never quoting the key', () => {
    // Refused before anything is sent (adapters/client-certificate.ts), as the config loader refuses it.
    const built = () => signer({ ca: gov.ca, cert: client.cert, key: client.key, passphrase: 'wrong' });
    expect(built).toThrow(/^signer district-seal: `tls.passphrase` does not open the encrypted `key`/);
    expect(built).not.toThrow(/PRIVATE KEY|wrong/);
  });
});
