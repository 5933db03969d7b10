// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is the config's reference syntax, named in test titles and messages.
/**
 * A local-sm2 signer whose key cannot be used says which file it read: a config names keys by
 * `keyFile` or `key: "${file:…}"`, and a signer refusing "not an SM2 key: expected curve
 * 1.2.156.10197.1.301, got 1.2.840.10045.3.1.7" left the operator to find the file and to look up
 * what an OID is. The curve is named too. Never the key text or the passphrase.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir, openssl } from './helpers.js';

const PASSPHRASE = 'seal passphrase 4711';

async function openError(config: Partial<LocalSm2SignerConfig>): Promise<LicbridgeError> {
  const signer = new LocalSm2Signer('district-seal', {
    kind: 'local-sm2',
    sealId: 'S1',
    distId: '1234567812345678',
    workers: 0,
    ...config,
  });
  const err = await signer.open().then(
    () => undefined,
    (e: unknown) => e,
  );
  await signer.close();
  expect(err).toBeInstanceOf(LicbridgeError);
  const e = err as LicbridgeError;
  expect(e.code).toBe(ErrorCodes.SIGNER_KEY);
  expect(e.message).not.toContain(PASSPHRASE);
  expect(e.message).not.toContain('PRIVATE KEY');
  return e;
}

describe('a local-sm2 key that cannot be used names its file', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (f: string) => join(dir, f);

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    for (const [file, curve] of [
      ['p256.pem', 'prime256v1'],
      ['k1.pem', 'secp256k1'],
    ] as const) {
      const r = openssl(
        ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', file],
        dir,
      );
      if (r.status !== 0) throw new Error(`openssl genpkey failed: ${r.output}`);
    }
    writeFileSync(at('locked.pem'), generateSm2KeyPair({ passphrase: PASSPHRASE }).privateKeyPem);
    for (const f of ['p256.pem', 'k1.pem', 'locked.pem']) chmodSync(at(f), 0o600);
  });
  afterAll(() => cleanup());

  it('a P-256 key in keyFile: the file and the curve by name', async () => {
    const err = await openError({ keyFile: at('p256.pem') });
    expect(err.message).toBe(
      `signer district-seal: keyFile ${at('p256.pem')}: private key: not an SM2 key: expected curve 1.2.156.10197.1.301, got 1.2.840.10045.3.1.7 (NIST P-256, prime256v1)`,
    );
    expect(err.context.file).toBe(at('p256.pem'));
  });

  it('a secp256k1 key read through key: ${file:…}: the file and the curve by name', async () => {
    const err = await openError({ key: readFileSync(at('k1.pem'), 'utf8'), keyRefFiles: [at('k1.pem')] });
    expect(err.message).toBe(
      `signer district-seal: key \${file:${at('k1.pem')}}: private key: not an SM2 key: expected curve 1.2.156.10197.1.301, got 1.3.132.0.10 (secp256k1)`,
    );
  });

  it('a wrong passphrase: the file', async () => {
    const err = await openError({ keyFile: at('locked.pem'), passphrase: 'not it' });
    expect(err.message).toBe(
      `signer district-seal: keyFile ${at('locked.pem')}: private key: cannot decrypt: wrong passphrase`,
    );
  });

  it('a key written into the config names no file', async () => {
    const err = await openError({ key: readFileSync(at('p256.pem'), 'utf8') });
    expect(err.message).toMatch(
      /^signer district-seal: private key: not an SM2 key: .* \(NIST P-256, prime256v1\)$/,
    );
  });
});
