/**
 * One SM2 key, two SEC1 point forms: a key file holding its public point compressed (02/03 ‖ x, as
 * `openssl ec -conv_form compressed` and some GM toolkits write it) and a certificate holding it
 * uncompressed (04 ‖ x ‖ y, as CAs issue it). The key is the same; the forms only differ in bytes.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyId, sameKey } from '../../adapters/signers/certificate.js';
import { makeTempDir, openssl, selfSignedCertificate } from './helpers.js';
import { expectSignsAsCertified } from './key-form-signer.js';

describe('a key whose public point is stored compressed', () => {
  let dir: string;
  let cleanup: () => void;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    const run = (args: string[]) => {
      const r = openssl(args, dir);
      if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.output}`);
    };
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'key.pem']);
    // The certificate is issued for the uncompressed form, as a CA issues it.
    selfSignedCertificate(dir, { key: 'key.pem', out: 'cert.pem' });
    run(['ec', '-in', 'key.pem', '-conv_form', 'compressed', '-out', 'compressed-sec1.pem']);
    run(['pkey', '-in', 'compressed-sec1.pem', '-out', 'compressed.pem']);
    run(['pkey', '-in', 'key.pem', '-pubout', '-out', 'pub.pem']);
    run(['ec', '-in', 'key.pem', '-pubout', '-conv_form', 'compressed', '-out', 'pub-compressed.pem']);
    for (const f of ['key.pem', 'compressed.pem']) chmodSync(join(dir, f), 0o600);
  });
  afterAll(() => cleanup());

  it('is the same key, with the same key id, in either form', () => {
    const plain = readFileSync(join(dir, 'pub.pem'), 'utf8');
    const compressed = readFileSync(join(dir, 'pub-compressed.pem'), 'utf8');
    expect(sameKey(plain, compressed)).toBe(true);
    expect(keyId(compressed)).toBe(keyId(plain));
    // The key id as docs/signatures.md tells to compute it with OpenSSL.
    const der = openssl(
      [
        'ec',
        '-pubin',
        '-in',
        'pub-compressed.pem',
        '-conv_form',
        'uncompressed',
        '-outform',
        'DER',
        '-out',
        'pub.der',
      ],
      dir,
    );
    expect(der.status).toBe(0);
    const sm3 = openssl(['dgst', '-sm3', '-r', 'pub.der'], dir);
    expect(sm3.output.split(' ')[0]).toBe(keyId(compressed));
  });

  it('opens a local-sm2 signer with the certificate issued for the key, and signs', async () => {
    await expectSignsAsCertified(dir, 'compressed.pem');
  });
});
