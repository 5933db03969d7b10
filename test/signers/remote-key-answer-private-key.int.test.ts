/**
 * What a signing server answers for its key at open() is recorded as the seal key's public side:
 * `keyInfo().publicKeyPem` goes into the ledger's `signing_keys` (and `verify` reads it back).
 * Node derives a public key from a private key's PEM as readily as from a public key's, so a
 * server (or a misconfigured label) answering `publicKey` with its private key opened, and the
 * private key's PEM was what the signer handed on to be stored. It is refused now, naming the
 * signer and never quoting the key. A certificate answered as `publicKey` is read as the key it
 * certifies: the public side recorded is that key's SubjectPublicKeyInfo, not the certificate.
 */
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sameKey } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { LocalServer } from '../support/listen-local.js';
import { makeTempDir, openssl, selfSignedCertificate } from './helpers.js';
import { remoteSigner, signingStandIn } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
/** The base64 body of the private key's PEM: none of it may reach a message or the key's record. */
const privateBody = pair.privateKeyPem
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('-----'))
  .join('');

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serving(publicKey: string) {
  server = await signingStandIn({
    key: () => JSON.stringify({ publicKey }),
    sign: (_digests, res) => res.end('{"signatures":[]}'),
  });
  return remoteSigner('city-seal', server.origin);
}

describe('the key a signing server answers at open()', () => {
  let dir: string;
  let cleanup: () => void;
  let certificatePem: string;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(dir, { key: 'key.pem', out: 'cert.pem' });
    const shown = openssl(['x509', '-in', 'cert.pem'], dir);
    expect(shown.status).toBe(0);
    certificatePem = new X509Certificate(shown.output).toString();
  });
  afterAll(() => cleanup());

  it('a private key answered as publicKey is refused, and no part of it is quoted', async () => {
    const signer = await serving(pair.privateKeyPem);
    const err = await signer.open().catch((e: unknown) => e);
    await signer.close();
    expect(err).toBeInstanceOf(LicbridgeError);
    const e = err as LicbridgeError;
    expect(e.code).toBe(ErrorCodes.SIGNER_KEY);
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(
      /^signer city-seal: \/v1\/keys\/seal-1: the server answered a private key as its publicKey/,
    );
    const told = JSON.stringify({ message: e.message, context: e.context });
    for (let i = 0; i + 16 <= privateBody.length; i += 16) {
      expect(told).not.toContain(privateBody.slice(i, i + 16));
    }
    expect(() => signer.keyInfo()).toThrow(/before open\(\)/);
  });

  it('the public side recorded is an SPKI public key, also when the server answers a certificate', async () => {
    for (const answered of [pair.publicKeyPem, certificatePem]) {
      const signer = await serving(answered);
      await signer.open();
      try {
        const info = signer.keyInfo();
        expect(info.publicKeyPem).toMatch(
          /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/,
        );
        expect(sameKey(info.publicKeyPem, pair.publicKeyPem)).toBe(true);
        expect(signer.publicKeyPem()).toBe(info.publicKeyPem);
      } finally {
        await signer.close();
        await server?.close();
        server = undefined;
      }
    }
  });
});
