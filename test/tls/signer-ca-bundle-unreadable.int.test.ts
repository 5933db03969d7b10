// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * A `tls.ca` bundle OpenSSL reads only in part. OpenSSL reads a bundle's certificates in order and
 * stops, without a word, at the first it cannot read (a block cut short or mangled in copying):
 * the government CA after it was not trusted, and the handshake was refused as "not issued by a CA
 * in `tls.ca`: put the issuing CA in `tls.ca`", where it was. A path written without `${file:…}`
 * is no PEM at all and trusts nothing, refused alike. The refusal now says what in `tls.ca` could
 * not be read. The signing-server simulator sits behind a TLS terminator with a certificate the
 * test CA issued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';
import { remoteSigner } from '../signers/remote-signer-fixture.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';
import { startTlsTerminator, type TlsTerminator } from '../support/tls-terminator.js';

const pair = generateSm2KeyPair();
/** A certificate block whose body is no certificate: a copy cut short. */
const CUT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';

describe('a tls.ca bundle with a block OpenSSL cannot read', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let other: TestCa;
  let sim: SigningServerSimulator;
  let terminator: TlsTerminator;

  beforeAll(async () => {
    gov = await createTestCa('gov-root');
    other = await createTestCa('other-root');
    const server = await gov.issue('signing', { cn: 'localhost', sans: ['DNS:localhost'] });
    sim = await startSigningServerSimulator({ keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } } });
    terminator = await startTlsTerminator({ backendUrl: sim.url, cert: server.cert, key: server.key });
  });
  afterAll(async () => {
    await terminator?.close();
    await sim?.close();
    await gov?.remove();
    await other?.remove();
  });

  const opened = async (ca: string) => {
    const s = remoteSigner('district-seal', terminator.url, { attempts: 3, tls: { ca } });
    try {
      await s.open();
      return { error: '', retries: s.stats().retries };
    } catch (e) {
      return { error: (e as Error).message, retries: s.stats().retries };
    } finally {
      await s.close();
    }
  };

  it('a bundle of several readable CAs, the issuing one last, is trusted', async () => {
    expect(await opened(`${other.ca}\n${gov.ca}`)).toEqual({ error: '', retries: 0 });
  });

  it('a block cut short before the issuing CA: the refusal names the block and what it cost', async () => {
    const r = await opened(`${other.ca}\n${CUT}${gov.ca}`);
    expect(r.error).toMatch(/^signer district-seal: TLS refused: /);
    expect(r.error).toContain(
      '`tls.ca` certificate 2 of 3 cannot be read as X.509: OpenSSL stops reading the bundle there, so it and the 1 certificate after it are not trusted',
    );
    expect(r.error).not.toContain('put the issuing CA in `tls.ca`');
    expect(r.error).not.toContain('MIIB');
    expect(r.retries).toBe(0);
  });

  it('a path where the PEM text should be: the refusal says to read the file with ${file:…}', async () => {
    const r = await opened('./tls/gov-root-ca.pem');
    expect(r.error).toMatch(/^signer district-seal: TLS refused: /);
    expect(r.error).toContain('`tls.ca` holds no PEM certificate (no `-----BEGIN CERTIFICATE-----` line)');
    expect(r.error).toContain('${file:…}');
    expect(r.error).not.toContain('gov-root-ca.pem');
    expect(r.retries).toBe(0);
  });

  it('a readable bundle without the issuing CA: still told to put that CA in tls.ca', async () => {
    const r = await opened(other.ca);
    expect(r.error).toContain('put the issuing CA in `tls.ca`');
  });
});
