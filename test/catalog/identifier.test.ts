import { describe, expect, it } from 'vitest';
import {
  buildIdentifier,
  checkChar,
  deriveSerial,
  IDENTIFIER_ROOT,
  isLegacyCheck,
  licenseIdOf,
  parseIdentifier,
  serialForm,
} from '../../catalog/identifier.js';

// reference/STANDARDS.md §1: real identifiers, all three checked.
const REAL = [
  '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
  '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
  '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0',
];

describe('GB/T 36904 identifier', () => {
  it.each(REAL)('parses and checks the real identifier %s', (id) => {
    const parsed = parseIdentifier(id);
    expect(parsed).toMatchObject({ ok: true, legacyCheck: false });
  });

  it('splits a real identifier into its parts', () => {
    expect(parseIdentifier(REAL[2] as string)).toEqual({
      ok: true,
      typeCode: '11100000000013338W009',
      issuerCode: '11330105002500287C',
      serial: '2025052201',
      version: 2,
      check: '0',
      legacyCheck: false,
    });
  });

  it('computes the check over the segments without dots and without the root', () => {
    expect(checkChar('11100000000013338W03211220000013544541J2430599001')).toBe('F');
    expect(checkChar('11100000000013338W01111430000006122244L20230000403001')).toBe('U');
    expect(checkChar('11100000000013338W00911330105002500287C2025052201002')).toBe('0');
  });

  it('rebuilds each real identifier from its parts', () => {
    for (const id of REAL) {
      const p = parseIdentifier(id);
      if (!p.ok) throw new Error(p.reason);
      expect(buildIdentifier(p)).toBe(id);
    }
  });

  it.each([
    ['a changed check char', REAL[0]?.replace(/F$/, 'G')],
    ['a changed serial digit', REAL[0]?.replace('2430599', '2430598')],
    ['swapped adjacent serial digits', REAL[1]?.replace('20230000403', '20230000430')],
    ['a changed version', REAL[0]?.replace('.001.F', '.002.F')],
    ['a changed issuer char', REAL[1]?.replace('11430000006122244L', '11430000006122244M')],
    ['another root', REAL[0]?.replace('1.2.156.3005.2', '1.2.156.3005.3')],
    ['a missing segment', REAL[0]?.replace('.2430599', '')],
    ['a lowercase serial', '1.2.156.3005.2.11100000000013338W032.11220000013544541J.abc.001.F'],
    ['version 000', REAL[0]?.replace('.001.F', '.000.F')],
    ['empty text', ''],
  ])('rejects %s', (_what, id) => {
    const parsed = parseIdentifier(id as string);
    expect(parsed.ok).toBe(false);
  });

  it('flags (does not reject) a check computed with the vendor variant A–Z → 11–36', () => {
    let found: string | undefined;
    for (let i = 0; i < 50 && !found; i++) {
      const body = `11100000000013338W03211220000013544541J${2430599 + i}001`;
      const legacy = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].find((ch) => isLegacyCheck(body, ch));
      if (legacy)
        found = `${IDENTIFIER_ROOT}.11100000000013338W032.11220000013544541J.${2430599 + i}.001.${legacy}`;
    }
    expect(found).toBeDefined();
    expect(parseIdentifier(found as string)).toMatchObject({ ok: true, legacyCheck: true });
  });

  it('builds identifiers with a 3-digit version and a stable license id', () => {
    const parts = { typeCode: '11370200MB12345674001', issuerCode: '11370211MB12345672', serial: 'ABC1234' };
    const v1 = buildIdentifier({ ...parts, version: 1 });
    const v12 = buildIdentifier({ ...parts, version: 12 });
    expect(v1).toMatch(/\.ABC1234\.001\.[0-9A-Z]$/);
    expect(v12).toMatch(/\.ABC1234\.012\.[0-9A-Z]$/);
    expect(parseIdentifier(v12)).toMatchObject({ ok: true, version: 12, legacyCheck: false });
    expect(licenseIdOf(parts)).toBe(`${IDENTIFIER_ROOT}.11370200MB12345674001.11370211MB12345672.ABC1234`);
    expect(v1.startsWith(`${licenseIdOf(parts)}.`)).toBe(true);
    expect(() => buildIdentifier({ ...parts, version: 0 })).toThrow(RangeError);
    expect(() => buildIdentifier({ ...parts, version: 1000 })).toThrow(RangeError);
  });
});

describe('deriveSerial', () => {
  it('is 20 chars [0-9A-Z] and deterministic', () => {
    for (const key of ['42', 'a1b2-c3', '']) {
      const a = deriveSerial('food-business-licenses', key);
      expect(a).toMatch(/^[0-9A-Z]{20}$/);
      expect(deriveSerial('food-business-licenses', key)).toBe(a);
    }
  });

  it('is the same on every machine (fixed SM3-derived values)', () => {
    // Pinned: any change to the derivation would re-identify every license already issued.
    // Computed independently with Python's hashlib SM3 and big integers (docs/catalog.md).
    expect(deriveSerial('food-business-licenses', '1')).toBe('K4Y975IEBLBMRV0NNFYN');
    expect(deriveSerial('food-business-licenses', 'a1b2-c3')).toBe('HVZMIORMU8PFUMC9G9R6');
  });

  it('uses the keyed form for short [0-9A-Z] keys and long decimals, the hashed form otherwise', () => {
    expect(serialForm(deriveSerial('p', '1'))).toBe('keyed');
    expect(serialForm(deriveSerial('p', 'SP2023000001'.slice(0, 11)))).toBe('keyed');
    expect(serialForm(deriveSerial('p', '123456789012345678'))).toBe('keyed');
    expect(serialForm(deriveSerial('p', '0123456789012'))).toBe('hashed');
    expect(serialForm(deriveSerial('p', '1234567890123456789'))).toBe('hashed');
    expect(serialForm(deriveSerial('p', 'abc'))).toBe('hashed');
    expect(serialForm(deriveSerial('p', '1|2'))).toBe('hashed');
    expect(serialForm('ABC1234')).toBe('other');
  });

  it('does not show the key verbatim', () => {
    expect(deriveSerial('p', '13800138000')).not.toContain('13800138000');
  });

  it('separates namespace and key, so (a, bc) and (ab, c) differ', () => {
    expect(deriveSerial('a', 'bc')).not.toBe(deriveSerial('ab', 'c'));
    expect(deriveSerial('p1', '1')).not.toBe(deriveSerial('p2', '1'));
    expect(deriveSerial('p', '7')).not.toBe(deriveSerial('p', '007'));
  });

  it('is injective on keyed keys: consecutive, padded, boundary and long decimal keys', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 20000; i++) keys.add(String(i));
    for (let i = 0; i < 2000; i++) keys.add(String(i).padStart(6, '0'));
    for (const k of ['Z', 'ZZZZZZZZZZZ', '00000000000', '10000000000', '100000000000', '999999999999999999'])
      keys.add(k);
    for (let i = 0; i < 1000; i++) keys.add(String(100000000000 + i));
    const serials = new Set([...keys].map((k) => deriveSerial('p', k)));
    expect(serials.size).toBe(keys.size);
  });

  it('gives distinct serials over many hashed keys', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(deriveSerial('p', `k-${i}`));
    expect(seen.size).toBe(5000);
  });
});
