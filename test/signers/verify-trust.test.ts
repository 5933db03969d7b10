// Verification trusts only keys the config names: a signature that verifies only with a key the
// ledger holds fails, and names that key; a valid signature names the trusted key behind it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint, keyId } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { parseTrustFile, readTrustFile } from '../../adapters/signers/trust-file.js';
import {
  type SignatureUnderTest,
  SignatureVerifier,
  type VerificationKey,
} from '../../adapters/signers/verify-signature.js';
import { canonicalBytes, contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { candidates } from '../ledger/fixtures.js';
import { makeTempDir, selfSignedCertificate } from './helpers.js';

const SEAL = '3702110000001';
const real = generateSm2KeyPair();
const forged = generateSm2KeyPair();
const license = (candidates(1, 1)[0] as { build(v: number): License }).build(1);

async function signWith(privateKeyPem: string): Promise<SignatureUnderTest> {
  const signer = new LocalSm2Signer('s', {
    kind: 'local-sm2',
    key: privateKeyPem,
    sealId: SEAL,
    distId: '1234567812345678',
    workers: 0,
  });
  await signer.open();
  try {
    const [r] = await signer.sign([canonicalBytes(license)]);
    if (!r) throw new Error('no signature');
    return { ...r, contentHash: contentHash(license) };
  } finally {
    await signer.close();
  }
}

function key(publicKeyPem: string, trusted: boolean, origin: string): VerificationKey {
  return {
    sealId: SEAL,
    publicKeyPem,
    certificate: null,
    origin,
    trusted,
    fingerprint: keyFingerprint(publicKeyPem),
  };
}

describe('signature verification against trusted keys', () => {
  const verifier = new SignatureVerifier();
  const hash = contentHash(license);

  it('names the trusted key that verified a valid signature', async () => {
    const sig = await signWith(real.privateKeyPem);
    const result = verifier.check(license, hash, sig, [key(real.publicKeyPem, true, 'signer district-seal')]);
    expect(result.reasons).toEqual([]);
    expect(result.key?.fingerprint).toBe(keyId(real.publicKeyPem).slice(0, 16));
    expect(result.key?.origin).toBe('signer district-seal');
  });

  it('fails a signature made with a key only the ledger holds, naming that key as untrusted', async () => {
    const sig = await signWith(forged.privateKeyPem);
    const result = verifier.check(license, hash, sig, [
      key(real.publicKeyPem, true, 'signer district-seal'),
      key(forged.publicKeyPem, false, 'ledger'),
    ]);
    expect(result.key).toBeNull();
    expect(result.reasons.join('; ')).toContain(
      `untrusted key: the signature verifies only with key ${keyFingerprint(forged.publicKeyPem)} (ledger)`,
    );
  });

  it('fails a seal with no trusted key at all, even when the ledger has the right one', async () => {
    const sig = await signWith(real.privateKeyPem);
    const result = verifier.check(license, hash, sig, [key(real.publicKeyPem, false, 'ledger')]);
    expect(result.key).toBeNull();
    expect(result.reasons.join('; ')).toMatch(/untrusted key/);
  });

  it('reports a signature that no key verifies', async () => {
    const sig = await signWith(forged.privateKeyPem);
    const result = verifier.check(license, hash, sig, [key(real.publicKeyPem, true, 'signer district-seal')]);
    expect(result.key).toBeNull();
    expect(result.reasons.join('; ')).toContain('does not verify with the trusted key of seal');
  });
});

describe('trust-list files', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), real.privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(dir, { key: 'key.pem', subject: '/CN=seal', days: 30, out: 'cert.pem' });
    execFileSync('openssl', ['pkey', '-in', 'key.pem', '-pubout', '-out', 'pub.pem'], { cwd: dir });
  });
  afterAll(() => cleanup());

  it('reads a certificate and a public key (openssl pkey -pubout), alone or in one file', () => {
    const [fromCert] = readTrustFile(join(dir, 'cert.pem'));
    expect(fromCert?.certificate?.serial).toMatch(/^[0-9A-F]+$/);
    expect(keyId(fromCert?.publicKeyPem ?? '')).toBe(keyId(real.publicKeyPem));
    const [fromPub] = readTrustFile(join(dir, 'pub.pem'));
    expect(fromPub?.certificate).toBeNull();
    expect(keyId(fromPub?.publicKeyPem ?? '')).toBe(keyId(real.publicKeyPem));
    const both = `${readFileSync(join(dir, 'cert.pem'), 'utf8')}${readFileSync(join(dir, 'pub.pem'), 'utf8')}`;
    expect(parseTrustFile('both.pem', both)).toHaveLength(2);
  });

  it('refuses a private key in the trust list without echoing it', () => {
    let message = '';
    try {
      parseTrustFile('/etc/licbridge/trust/old.pem', real.privateKeyPem);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('/etc/licbridge/trust/old.pem: block 1 is a private key');
    const body = real.privateKeyPem.split('\n')[1] ?? 'x';
    expect(message).not.toContain(body);
  });

  it('refuses a file with no PEM key', () => {
    expect(() => parseTrustFile('empty.pem', 'nothing here')).toThrow(/no PEM certificate or public key/);
  });
});
