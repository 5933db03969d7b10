import { generateKeyPairSync } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { tlsFailureKind } from '../../core/tls.js';

// With a wrong passphrase OpenSSL 3 mostly reports "bad decrypt", but about one passphrase in 128
// decrypts to bytes whose padding happens to check out; the key decoder then refuses them as
// "DECODER routines::unsupported". Both mean the client key cannot be used.
function decoderRefusal(): Error {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'seal-pass' },
  });
  for (let i = 0; i < 10_000; i++) {
    try {
      createSecureContext({ key: privateKey, passphrase: `wrong-${i}` });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_OSSL_UNSUPPORTED') return e as Error;
    }
  }
  throw new Error('no passphrase among 10,000 led the key decoder to refuse the key');
}

describe('a wrong passphrase the key decoder refuses', () => {
  it('is a client key that cannot be used, like "bad decrypt"', () => {
    const e = decoderRefusal();
    expect(e.message).toMatch(/DECODER routines::unsupported/);
    expect(tlsFailureKind(e)).toBe('client-key');
    expect(tlsFailureKind(new Error('connect', { cause: e }))).toBe('client-key');
  });
});
