/**
 * One SM2 key, its curve written two ways: by name (the SM2 OID, as OpenSSL and CAs write it) and
 * by its explicit parameters (p, a, b, G, n: `openssl ec -param_enc explicit`, as some GM
 * toolkits export keys). The key is the same; only the bytes of the curve differ.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyId, sameKey } from '../../adapters/signers/certificate.js';
import { makeTempDir, openssl, selfSignedCertificate } from './helpers.js';
import { expectSignsAsCertified, keyFormSigner } from './key-form-signer.js';

describe('a key whose curve is written as explicit parameters', () => {
  let dir: string;
  let cleanup: () => void;
  const run = (args: string[]) => {
    const r = openssl(args, dir);
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.output}`);
  };

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'key.pem']);
    selfSignedCertificate(dir, { key: 'key.pem', out: 'cert.pem' });
    run(['ec', '-in', 'key.pem', '-param_enc', 'explicit', '-out', 'explicit-sec1.pem']);
    run(['pkey', '-in', 'explicit-sec1.pem', '-out', 'explicit.pem']);
    run(['pkey', '-in', 'key.pem', '-pubout', '-out', 'pub.pem']);
    run(['ec', '-in', 'key.pem', '-pubout', '-param_enc', 'explicit', '-out', 'pub-explicit.pem']);
    // A P-256 key written explicitly: explicit parameters of another curve are not SM2.
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'p256.pem']);
    run(['ec', '-in', 'p256.pem', '-param_enc', 'explicit', '-out', 'p256-explicit-sec1.pem']);
    run(['pkey', '-in', 'p256-explicit-sec1.pem', '-out', 'p256-explicit.pem']);
    for (const f of ['key.pem', 'explicit.pem', 'explicit-sec1.pem', 'p256-explicit.pem'])
      chmodSync(join(dir, f), 0o600);
  });
  afterAll(() => cleanup());

  it('is the same key, with the same key id, either way', () => {
    const named = readFileSync(join(dir, 'pub.pem'), 'utf8');
    const explicit = readFileSync(join(dir, 'pub-explicit.pem'), 'utf8');
    expect(explicit).not.toBe(named);
    expect(sameKey(named, explicit)).toBe(true);
    expect(keyId(explicit)).toBe(keyId(named));
    // The key id as docs/signatures.md tells to compute it with OpenSSL.
    run([
      'ec',
      '-pubin',
      '-in',
      'pub-explicit.pem',
      '-conv_form',
      'uncompressed',
      '-param_enc',
      'named_curve',
      '-outform',
      'DER',
      '-out',
      'pub.der',
    ]);
    expect(openssl(['dgst', '-sm3', '-r', 'pub.der'], dir).output.split(' ')[0]).toBe(keyId(named));
  });

  for (const file of ['explicit.pem', 'explicit-sec1.pem']) {
    it(`opens a local-sm2 signer from ${file} with the certificate issued for the key, and signs`, async () => {
      await expectSignsAsCertified(dir, file);
    });
  }

  it('refuses explicit parameters of another curve as not SM2, naming the curve P-256', async () => {
    await expect(keyFormSigner(dir, 'p256-explicit.pem').open()).rejects.toThrow(/not an SM2 key.*explicit/);
  });
});
