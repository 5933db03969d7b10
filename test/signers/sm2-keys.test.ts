import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SM2_CURVE } from '../../adapters/signers/local-sm2/curve.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { sm2Sign, sm2Verify } from '../../adapters/signers/local-sm2/sm2.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import {
  BAD_DECRYPT_PASSPHRASE,
  DECODER_REFUSED_KEY,
  DECODER_REFUSED_PASSPHRASE,
} from '../support/decoder-refused-key.js';

const PASSPHRASE = 'seal-口令-Ѯ9z!';

/** Runs `fn`, expects a SIGNER_KEY LicbridgeError for `signer` whose text leaks no secret. */
function expectKeyError(fn: () => unknown, secrets: string[], detail: RegExp): LicbridgeError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(LicbridgeError);
  const err = caught as LicbridgeError;
  expect(err.code).toBe(ErrorCodes.SIGNER_KEY);
  expect(err.retryable).toBe(false);
  expect(err.context.signer).toBe('district-seal');
  expect(err.message).toMatch(/^signer district-seal: /);
  expect(err.message).toMatch(detail);
  const shown = `${err.message}\n${JSON.stringify(err.toJSON())}\n${String(err.stack)}`;
  for (const secret of secrets) {
    expect(shown).not.toContain(secret);
  }
  return err;
}

/** Pieces of a PEM body long enough that finding one in a message means the key leaked. */
function pemChunks(pem: string): string[] {
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  return body.map((l) => l.slice(0, 24));
}

describe('loading SM2 private keys', () => {
  it('loads a plain PKCS#8 key and signs with it', () => {
    const pair = generateSm2KeyPair();
    const { privateKey, publicKeyPem } = loadSm2PrivateKey('district-seal', pair.privateKeyPem);
    expect(publicKeyPem).toBe(pair.publicKeyPem);
    const msg = Buffer.from('证照', 'utf8');
    expect(sm2Verify(privateKey.publicKey, msg, sm2Sign(privateKey, msg))).toBe(true);
  });

  it('loads an encrypted PKCS#8 key with its passphrase and signs with it', () => {
    const pair = generateSm2KeyPair({ passphrase: PASSPHRASE });
    expect(pair.privateKeyPem).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    const { privateKey, publicKeyPem } = loadSm2PrivateKey('district-seal', pair.privateKeyPem, PASSPHRASE);
    expect(publicKeyPem).toBe(pair.publicKeyPem);
    const msg = Buffer.from('加密密钥签名', 'utf8');
    expect(sm2Verify(privateKey.publicKey, msg, sm2Sign(privateKey, msg))).toBe(true);
  });

  it('rejects a wrong passphrase without echoing either passphrase', () => {
    const pair = generateSm2KeyPair({ passphrase: PASSPHRASE });
    const wrong = 'not-the-口令-42';
    expectKeyError(
      () => loadSm2PrivateKey('district-seal', pair.privateKeyPem, wrong),
      [PASSPHRASE, wrong, ...pemChunks(pair.privateKeyPem)],
      /wrong passphrase/,
    );
  });

  it('names a wrong passphrase the same whether OpenSSL says "bad decrypt" or its decoder refuses', () => {
    // About one wrong passphrase in 128 decrypts to bytes that pass the padding check; the key
    // decoder then calls them unsupported. Named differently, a test (or a user) saw a random text.
    for (const wrong of [BAD_DECRYPT_PASSPHRASE, DECODER_REFUSED_PASSPHRASE]) {
      const err = expectKeyError(
        () => loadSm2PrivateKey('district-seal', DECODER_REFUSED_KEY, wrong),
        [wrong, ...pemChunks(DECODER_REFUSED_KEY)],
        /wrong passphrase/,
      );
      expect(err.message).toBe('signer district-seal: private key: cannot decrypt: wrong passphrase');
    }
  });

  it('rejects an encrypted key with no passphrase configured', () => {
    const pair = generateSm2KeyPair({ passphrase: PASSPHRASE });
    expectKeyError(
      () => loadSm2PrivateKey('district-seal', pair.privateKeyPem),
      [PASSPHRASE, ...pemChunks(pair.privateKeyPem)],
      /encrypted but no passphrase/,
    );
  });

  it('rejects a corrupt PEM without echoing it', () => {
    const pem = generateSm2KeyPair().privateKeyPem;
    const lines = pem.split('\n');
    // Damage the base64 body in the middle: a truncated/garbled copy of a real key.
    const corrupt = [lines[0], lines[1], (lines[2] ?? '').replace(/[A-Z]/g, 'q'), lines.at(-2)].join('\n');
    expectKeyError(
      () => loadSm2PrivateKey('district-seal', corrupt),
      pemChunks(pem),
      /not a valid PEM private key|cannot parse/,
    );
    expectKeyError(() => loadSm2PrivateKey('district-seal', 'not a key at all'), [], /not a valid PEM/);
  });

  it('rejects a P-256 key, naming the curve it got', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expectKeyError(
      () => loadSm2PrivateKey('district-seal', p256),
      pemChunks(p256),
      /not an SM2 key: expected curve 1\.2\.156\.10197\.1\.301, got 1\.2\.840\.10045\.3\.1\.7/,
    );
  });

  it('rejects a non-EC key (Ed25519)', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expectKeyError(() => loadSm2PrivateKey('district-seal', ed), pemChunks(ed), /not an SM2 key/);
  });

  it('loads a SEC1 `EC PRIVATE KEY` and derives the same public key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(sec1).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    const key = loadSm2PrivateKey('district-seal', sec1);
    expect(key.publicKeyPem).toBe(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }));
    const sig = sm2Sign(key.privateKey, Buffer.from('seal'));
    expect(sm2Verify(key.privateKey.publicKey, Buffer.from('seal'), sig)).toBe(true);
  });

  it('rejects a private scalar of n-1 (SM2 keys are 1..n-2) as a key error', () => {
    // PKCS#8 { version 0, id-ecPublicKey + SM2 curve, ECPrivateKey { 1, d = n-1, [0] SM2 } }, no public point.
    const d = (SM2_CURVE.n - 1n).toString(16).padStart(64, '0');
    const ec = `3031020101${'0420'}${d}a00a06082a811ccf5501822d`;
    const alg = '301306072a8648ce3d020106082a811ccf5501822d';
    const body = `020100${alg}04${(ec.length / 2).toString(16)}${ec}`;
    const der = Buffer.from(`30${(body.length / 2).toString(16)}${body}`, 'hex');
    const pem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
    expectKeyError(
      () => loadSm2PrivateKey('district-seal', pem),
      [d, ...pemChunks(pem)],
      /private scalar out of range/,
    );
  });

  it('rejects a key whose embedded public point does not match d', () => {
    // Splice another key's public point into this key's PKCS#8 (same length, both SM2).
    const a = Buffer.from(
      generateSm2KeyPair()
        .privateKeyPem.replace(/-----[^-]+-----/g, '')
        .replace(/\s/g, ''),
      'base64',
    );
    const b = Buffer.from(
      generateSm2KeyPair()
        .privateKeyPem.replace(/-----[^-]+-----/g, '')
        .replace(/\s/g, ''),
      'base64',
    );
    const spliced = Buffer.concat([a.subarray(0, a.length - 65), b.subarray(b.length - 65)]);
    const pem = `-----BEGIN PRIVATE KEY-----\n${spliced.toString('base64')}\n-----END PRIVATE KEY-----\n`;
    expectKeyError(() => loadSm2PrivateKey('district-seal', pem), pemChunks(pem), /does not match/);
  });
});
