import { describe, expect, it } from 'vitest';
import {
  buildIdentifier,
  checkChar,
  deriveSerial,
  IDENTIFIER_ROOT,
  identifierBuilder,
  isIdentifier,
  licenseIdOf,
  parseIdentifier,
} from '../../catalog/identifier.js';
import { sm3Bytes } from '../../catalog/sm3.js';
import { mulberry32 } from '../../core/seeded-random.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

// The keyed serial exactly as the derivation is specified (docs/catalog.md), in BigInt: the
// per-row fast path must give the same serial for every key, or issued identifiers would change.
function referenceKeyedSerial(namespace: string, key: string): string {
  const digest = (text: string): bigint => {
    let n = 0n;
    for (const b of sm3Bytes(text)) n = (n << 8n) | BigInt(b);
    return n;
  };
  const modulus = 36n ** 12n;
  const seed = digest(`licbridge-serial\u0000${namespace}`);
  const raw = (seed >> 96n) % modulus;
  const a = raw - (raw % 6n) + 1n;
  const b = (seed >> 32n) % modulus;
  const tag = (digest(`licbridge-serial-tag\u0000${namespace}`) % 36n ** 7n)
    .toString(36)
    .toUpperCase()
    .padStart(7, '0');
  let value = 0n;
  for (const ch of key) value = value * 36n + BigInt(ALPHABET.indexOf(ch));
  const index = (36n ** BigInt(key.length) - 36n) / 35n + value;
  return `K${tag}${((a * index + b) % modulus).toString(36).toUpperCase().padStart(12, '0')}`;
}

describe('keyed serials on the fast path', () => {
  it('equal the BigInt derivation at the edges of every key length', () => {
    const keys = ['0', '7', 'Z', '00', '007', 'ZZZ', '1000', '999999', '00000000000', 'ZZZZZZZZZZZ'];
    for (let len = 1; len <= 11; len++)
      keys.push('0'.repeat(len), 'Z'.repeat(len), `1${'0'.repeat(len - 1)}`);
    for (const namespace of ['food-business-licenses', 'p', '食品']) {
      for (const key of keys) expect(deriveSerial(namespace, key)).toBe(referenceKeyedSerial(namespace, key));
    }
  });

  it('equal the BigInt derivation for random keys of 1–11 chars', () => {
    const next = mulberry32(7);
    for (let i = 0; i < 3000; i++) {
      const len = 1 + Math.floor(next() * 11);
      let key = '';
      for (let j = 0; j < len; j++) key += ALPHABET[Math.floor(next() * 36)];
      expect(deriveSerial('food-business-licenses', key)).toBe(
        referenceKeyedSerial('food-business-licenses', key),
      );
    }
  });
});

describe('identifierBuilder', () => {
  const ids = identifierBuilder(TYPE, ISSUER);

  it('gives what buildIdentifier and licenseIdOf give', () => {
    for (const serial of ['ABC123', '2430599', 'K1234567ABCDEFGHIJKL', 'Z'.repeat(32), '0']) {
      for (const version of [1, 9, 10, 99, 100, 999]) {
        const id = ids.identifier(serial, version);
        expect(id).toBe(buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER, serial, version }));
        expect(parseIdentifier(id)).toMatchObject({ ok: true, serial, version, legacyCheck: false });
      }
      expect(ids.licenseId(serial)).toBe(licenseIdOf({ typeCode: TYPE, issuerCode: ISSUER, serial }));
    }
  });

  it('refuses bad codes, serials and versions', () => {
    expect(() => identifierBuilder('11370200MB1234567400X', ISSUER)).toThrow(RangeError);
    expect(() => identifierBuilder(TYPE, '11370211mb12345672')).toThrow(RangeError);
    for (const serial of ['', 'abc', 'A.B', 'A'.repeat(33)]) {
      expect(() => ids.identifier(serial, 1)).toThrow(RangeError);
      expect(() => ids.licenseId(serial)).toThrow(RangeError);
    }
    for (const version of [0, 1000, 1.5]) expect(() => ids.identifier('ABC', version)).toThrow(RangeError);
  });
});

describe('isIdentifier', () => {
  it('agrees with parseIdentifier on every one-char change of a valid identifier', () => {
    const valid = buildIdentifier({
      typeCode: TYPE,
      issuerCode: ISSUER,
      serial: 'K1234567ABCDEFGHIJKL',
      version: 3,
    });
    let legacy = 0;
    for (let i = 0; i < valid.length; i++) {
      for (const ch of `${ALPHABET}.a-`) {
        const text = `${valid.slice(0, i)}${ch}${valid.slice(i + 1)}`;
        const parsed = parseIdentifier(text);
        expect(isIdentifier(text)).toBe(parsed.ok);
        if (parsed.ok && parsed.legacyCheck) legacy++;
      }
    }
    // Some changed check chars match only the vendor variant: they still count as identifiers.
    expect(legacy).toBeGreaterThan(0);
  });

  it('rejects what is not an identifier at all', () => {
    for (const text of ['', IDENTIFIER_ROOT, `${IDENTIFIER_ROOT}.`, `${IDENTIFIER_ROOT}.a.b.c.d.e.f`]) {
      expect(isIdentifier(text)).toBe(false);
    }
    expect(isIdentifier(42 as unknown as string)).toBe(false);
  });

  it('checks the same check char as checkChar over the body', () => {
    const body = `${TYPE}${ISSUER}ABC123001`;
    const id = `${IDENTIFIER_ROOT}.${TYPE}.${ISSUER}.ABC123.001.${checkChar(body)}`;
    expect(isIdentifier(id)).toBe(true);
  });
});
