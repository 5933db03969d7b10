/**
 * `licbridge verify` fails a license signature made under a certificate whose key usage forbids
 * signatures (a unit's encryption certificate, GB/T 20518), as `verify --file` fails an OFD file's
 * (test/documents/ofd-verify-key-usage.test.ts). Such signatures verified: the key matched the
 * certificate and the certificate was valid at the signing time, and nothing looked at its use.
 * The sign stage no longer makes them (test/pipelines/signing-key-usage.int.test.ts); a ledger
 * may hold some from before.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint, parseCertificate } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { type SignatureUnderTest, SignatureVerifier } from '../../adapters/signers/verify-signature.js';
import { canonicalBytes, contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { candidates } from '../ledger/fixtures.js';
import { makeTempDir } from './helpers.js';

const SEAL = '3702110000001';
const license = (candidates(1, 1)[0] as { build(v: number): License }).build(1);

describe('verify: the use the signing certificate allows', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterAll(() => cleanup());

  /** A signature of the license by a fresh key certified for `keyUsage` (null: no extension), and its key. */
  async function signedUnder(name: string, keyUsage: string | null) {
    const keyPath = join(dir, `${name}.key.pem`);
    const certPath = join(dir, `${name}.cert.pem`);
    writeFileSync(keyPath, generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-new', '-key', keyPath, '-sm3', '-sigopt', 'distid:1234567812345678'],
        ...['-subj', `/CN=${name}`, '-days', '30', '-out', certPath],
        ...(keyUsage === null ? [] : ['-addext', `keyUsage=critical,${keyUsage}`]),
      ],
      { stdio: 'pipe' },
    );
    const signer = new LocalSm2Signer(name, {
      kind: 'local-sm2',
      keyFile: keyPath,
      certificate: certPath,
      sealId: SEAL,
      distId: '1234567812345678',
      workers: 0,
    });
    await signer.open();
    try {
      const [r] = await signer.sign([canonicalBytes(license)]);
      if (!r) throw new Error('no signature');
      const certificate = parseCertificate(name, readFileSync(certPath, 'utf8'), certPath);
      const sig: SignatureUnderTest = { ...r, contentHash: contentHash(license) };
      const key = {
        sealId: SEAL,
        publicKeyPem: certificate.publicKeyPem,
        certificate,
        origin: `signer ${name}`,
        trusted: true,
        fingerprint: keyFingerprint(certificate.publicKeyPem),
      };
      return { sig, key, serial: certificate.serial };
    } finally {
      await signer.close();
    }
  }

  it('fails a signature under an encryption certificate, naming its serial and usage', async () => {
    const { sig, key, serial } = await signedUnder('enc', 'keyEncipherment,dataEncipherment');
    const result = new SignatureVerifier().check(license, contentHash(license), sig, [key]);
    expect(result.reasons).toEqual([
      `certificate serial ${serial} may not sign: its key usage is keyEncipherment, dataEncipherment, without digitalSignature or nonRepudiation (GB/T 20518: a signing certificate's)`,
    ]);
  });

  it('passes one under a signing certificate, or a certificate without keyUsage', async () => {
    const verifier = new SignatureVerifier();
    for (const usage of ['digitalSignature', 'nonRepudiation', null]) {
      const { sig, key } = await signedUnder(`sign-${usage}`, usage);
      expect(verifier.check(license, contentHash(license), sig, [key]).reasons).toEqual([]);
    }
  });
});
