/**
 * GB/T 36904 identifiers at their edges: every shape rule alone rejecting an identifier, with the
 * reason it gives; versions at the 1-, 2- and 3-digit boundaries; serials of 1 and 32 chars. The
 * check chars come from python3 on this machine (ISO/IEC 7064 MOD 37,36, standard values):
 *   A='0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
 *   def chk(body):
 *     p=36
 *     for ch in body: s=(p+A.index(ch))%36 or 36; p=2*s%37
 *     return A[(1-p)%36]
 *   chk(type+issuer+serial+version) for the values below.
 */
import { describe, expect, it } from 'vitest';
import {
  buildIdentifier,
  checkChar,
  identifierBuilder,
  isIdentifier,
  isLegacyCheck,
  licenseIdOf,
  parseIdentifier,
} from '../../catalog/identifier.js';

const T = '11100000000013338W032';
const I = '11220000013544541J';
const ROOT = '1.2.156.3005.2';
const VECTORS: Array<[serial: string, version: number, id: string]> = [
  ['2430599', 1, `${ROOT}.${T}.${I}.2430599.001.F`],
  ['2430599', 10, `${ROOT}.${T}.${I}.2430599.010.D`],
  ['2430599', 99, `${ROOT}.${T}.${I}.2430599.099.Z`],
  ['2430599', 100, `${ROOT}.${T}.${I}.2430599.100.9`],
  ['2430599', 999, `${ROOT}.${T}.${I}.2430599.999.2`],
  ['Z', 1, `${ROOT}.${T}.${I}.Z.001.2`],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', 1, `${ROOT}.${T}.${I}.ABCDEFGHIJKLMNOPQRSTUVWXYZ012345.001.J`],
];

describe('building', () => {
  it.each(VECTORS)('serial %s version %i', (serial, version, id) => {
    expect(buildIdentifier({ typeCode: T, issuerCode: I, serial, version })).toBe(id);
    expect(identifierBuilder(T, I).identifier(serial, version)).toBe(id);
    expect(checkChar(`${T}${I}${serial}${String(version).padStart(3, '0')}`)).toBe(id.slice(-1));
    expect(parseIdentifier(id)).toEqual({
      ok: true,
      typeCode: T,
      issuerCode: I,
      serial,
      version,
      check: id.slice(-1),
      legacyCheck: false,
    });
  });

  it('refuses versions outside 1–999 and non-integers, naming the value', () => {
    const b = identifierBuilder(T, I);
    expect(() => b.identifier('1', 0)).toThrow('identifier: version must be an integer from 1 to 999, got 0');
    expect(() => b.identifier('1', 1000)).toThrow('got 1000');
    expect(() => b.identifier('1', 1.5)).toThrow('got 1.5');
    expect(b.identifier('1', 999)).toMatch(/\.999\.[0-9A-Z]$/);
  });

  it('refuses bad codes and serials, naming what was wrong', () => {
    expect(() => identifierBuilder(T.slice(1), I)).toThrow(
      `identifier: type code must be 18 [0-9A-Z] chars + 3 digits, got ${T.slice(1)}`,
    );
    expect(() => identifierBuilder(`${T}0`, I)).toThrow(RangeError);
    expect(() => identifierBuilder(`x${T.slice(1)}`, I)).toThrow(RangeError);
    expect(() => identifierBuilder(`${T.slice(0, 20)}A`, I)).toThrow(RangeError);
    expect(() => identifierBuilder(T, `${I}0`)).toThrow(
      `identifier: issuer code must be 18 [0-9A-Z] chars, got ${I}0`,
    );
    expect(() => identifierBuilder(T, `x${I.slice(1)}`)).toThrow(RangeError);
    const b = identifierBuilder(T, I);
    expect(() => b.identifier('', 1)).toThrow('identifier: serial must be 1-32 [0-9A-Z] chars, got 0 chars');
    expect(() => b.identifier('A'.repeat(33), 1)).toThrow('got 33 chars');
    expect(() => b.licenseId('a')).toThrow('got 1 chars');
    expect(b.licenseId('A'.repeat(32))).toBe(`${ROOT}.${T}.${I}.${'A'.repeat(32)}`);
    expect(licenseIdOf({ typeCode: T, issuerCode: I, serial: '2430599' })).toBe(`${ROOT}.${T}.${I}.2430599`);
    expect(() => licenseIdOf({ typeCode: T, issuerCode: I, serial: 'a' })).toThrow(RangeError);
    expect(() => licenseIdOf({ typeCode: 'x', issuerCode: I, serial: '1' })).toThrow(RangeError);
  });

  it('the check char needs [0-9A-Z] text', () => {
    expect(() => checkChar(`${T}.${I}`)).toThrow(
      'identifier: check char needs [0-9A-Z] text without dots, got 40 chars',
    );
    expect(() => checkChar('')).toThrow(RangeError);
    expect(() => isLegacyCheck('a', 'F')).toThrow(RangeError);
  });
});

describe('isLegacyCheck', () => {
  const body = `${T}${I}2430599001`;
  it('is false for a check that is not one alphabet char, and for the standard check', () => {
    expect(isLegacyCheck(body, 'L')).toBe(true);
    expect(isLegacyCheck(body, 'LL')).toBe(false);
    expect(isLegacyCheck(body, '')).toBe(false);
    expect(isLegacyCheck(body, 'l')).toBe(false);
    expect(isLegacyCheck(body, 'F')).toBe(false);
  });

  it('a char outside the alphabet is never a legacy check, whatever the running product', () => {
    // python3: body T + I + 'S00003' + '001' has vendor product 2, so a char valued -1 (as
    // indexOf gives for one outside the alphabet) would close it: (2 + -1) mod 36 = 1.
    const b = `${T}${I}S00003001`;
    for (const ch of ['a', '.', '-', ' ']) expect(isLegacyCheck(b, ch), ch).toBe(false);
  });

  it('a body of digits has the same check under both value maps: never legacy', () => {
    // python3 (both maps): '1234567890' * 4 → check 5.
    const digits = '1234567890'.repeat(4);
    expect(checkChar(digits)).toBe('5');
    expect(isLegacyCheck(digits, '5')).toBe(false);
  });

  it('a vendor check of 0 (value 0 in both maps) is found', () => {
    // python3: body T + I + 'S00018' + '001' → standard J; vendor 0 or Z (36 ≡ 0 mod 36).
    const b = `${T}${I}S00018001`;
    expect(checkChar(b)).toBe('J');
    expect(isLegacyCheck(b, '0')).toBe(true);
    expect(isLegacyCheck(b, 'Z')).toBe(true);
    expect(isLegacyCheck(b, 'J')).toBe(false);
  });
});

describe('parsing: each rule alone', () => {
  const good = `${ROOT}.${T}.${I}.2430599.001.F`;
  const reason = (text: string) => {
    const r = parseIdentifier(text);
    expect(isIdentifier(text)).toBe(r.ok);
    return r.ok ? 'ok' : r.reason;
  };

  it('root and segment count', () => {
    expect(reason(good)).toBe('ok');
    expect(reason(42 as unknown as string)).toBe('identifier is not text');
    expect(reason(good.replace('3005', '3006'))).toBe('identifier does not start with 1.2.156.3005.2');
    expect(reason(`${ROOT}${T}.${I}.2430599.001.F`)).toBe('identifier does not start with 1.2.156.3005.2');
    expect(reason(`${ROOT}.${T}.${I}.2430599.001`)).toBe('identifier needs 5 segments after the root, got 4');
    expect(reason(`${good}.F`)).toBe('identifier needs 5 segments after the root, got 6');
    expect(reason(`${ROOT}.${T}`)).toBe('identifier needs 5 segments after the root, got 1');
    // A dot right after the root's: five segments, the first one too short.
    expect(reason(`${ROOT}.1.${I}.2430599.001.F`)).toBe('type code is not 18 [0-9A-Z] chars + 3 digits');
    expect(reason(`${ROOT}..${I}.2430599.001.F`)).toBe('type code is not 18 [0-9A-Z] chars + 3 digits');
  });

  it('type code: 21 chars, 18 alphanumerics then 3 digits', () => {
    const r = 'type code is not 18 [0-9A-Z] chars + 3 digits';
    expect(reason(good.replace(T, `${T}0`))).toBe(r);
    expect(reason(good.replace(T, `a${T.slice(1)}`))).toBe(r);
    expect(reason(good.replace(T, `${T.slice(0, 17)}a${T.slice(18)}`))).toBe(r);
    expect(reason(good.replace(T, `${T.slice(0, 18)}A${T.slice(19)}`))).toBe(r);
    expect(reason(good.replace(T, `${T.slice(0, 19)}A${T.slice(20)}`))).toBe(r);
    expect(reason(good.replace(T, `${T.slice(0, 20)}A`))).toBe(r);
  });

  it('issuer code: 18 alphanumerics', () => {
    const r = 'issuer code is not 18 [0-9A-Z] chars';
    expect(reason(good.replace(I, `${I}0`))).toBe(r);
    expect(reason(good.replace(I, I.slice(1)))).toBe(r);
    expect(reason(good.replace(I, `${I.slice(0, 17)}j`))).toBe(r);
  });

  it('serial: 1 to 32 alphanumerics', () => {
    const r = 'serial is not 1-32 [0-9A-Z] chars';
    expect(reason(good.replace('2430599', ''))).toBe(r);
    expect(reason(good.replace('2430599', 'A'.repeat(33)))).toBe(r);
    expect(reason(good.replace('2430599', '243059a'))).toBe(r);
    // 32 is allowed (its check char from python3 above).
    expect(reason(`${ROOT}.${T}.${I}.ABCDEFGHIJKLMNOPQRSTUVWXYZ012345.001.J`)).toBe('ok');
  });

  it('version: three digits from 001', () => {
    const r = 'version is not 3 digits from 001';
    for (const v of ['01', '0001', 'A01', '0A1', '00A', '000']) {
      expect(reason(good.replace('.001.', `.${v}.`))).toBe(r);
    }
    // 000 is refused only at the version's own place: a serial ending in 000 is fine (check X, python3).
    expect(reason(`${ROOT}.${T}.${I}.1000.001.X`)).toBe('ok');
  });

  it('check: one alphanumeric, and the right one', () => {
    expect(reason(`${good}F`)).toBe('check is not one [0-9A-Z] char');
    expect(reason(good.slice(0, -1))).toBe('check is not one [0-9A-Z] char');
    expect(reason(`${good.slice(0, -1)}f`)).toBe('check is not one [0-9A-Z] char');
    expect(reason(`${good.slice(0, -1)}G`)).toBe(
      'check char is G, expected F (GB/T 36904, ISO/IEC 7064 MOD 37,36)',
    );
    // The vendor variant's check (L, python3 with A–Z → 11–36) parses, marked legacy.
    expect(parseIdentifier(`${good.slice(0, -1)}L`)).toMatchObject({
      ok: true,
      legacyCheck: true,
      check: 'L',
    });
  });

  it('every segment counts towards the check', () => {
    // Same chars, dots moved: a different split of one body is a different shape, never the same check.
    expect(reason(`${ROOT}.${T}.${I}.243059.9001.F`)).toBe('version is not 3 digits from 001');
    // One char changed in each segment: the check no longer matches.
    for (const [from, to] of [
      [T, `${T.slice(0, 5)}1${T.slice(6)}`],
      [I, `${I.slice(0, 5)}1${I.slice(6)}`],
      ['2430599', '2430598'],
      ['.001.', '.002.'],
    ] as const) {
      expect(reason(good.replace(from, to))).toMatch(/^check char is /);
    }
  });
});
