// parseSm2PublicKeyPem remembers keys it has read: a verifier reading the same certificate's key
// for every signature gets the same (immutable) point back without parsing it again.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, parseSm2PublicKeyPem } from '../../adapters/signers/local-sm2/keys.js';

describe('parseSm2PublicKeyPem', () => {
  it('reads a key once and gives the same point each time', () => {
    const { publicKeyPem } = generateSm2KeyPair();
    const first = parseSm2PublicKeyPem(publicKeyPem);
    expect(parseSm2PublicKeyPem(publicKeyPem)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const other = parseSm2PublicKeyPem(generateSm2KeyPair().publicKeyPem);
    expect(other.equals(first)).toBe(false);
  });

  it('refuses a key of another curve every time', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => parseSm2PublicKeyPem(pem)).toThrow(/not an SM2 public key/);
    expect(() => parseSm2PublicKeyPem(pem)).toThrow(/not an SM2 public key/);
  });
});
