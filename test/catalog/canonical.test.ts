import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson, contentHash, jcs, jcsReference } from '../../catalog/canonical.js';
import { buildIdentifier } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { DEMO_ISSUER, DEMO_TYPE, demoLicense } from './fixtures.js';

function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    ) as T;
  }
  return value;
}

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys, whatever order the object was built in', () => {
    const license = demoLicense();
    expect(canonicalJson(reversedKeys(license))).toBe(canonicalJson(license));
    const text = canonicalJson(license);
    expect(text.indexOf('"areaCode"')).toBeLessThan(text.indexOf('"holder"'));
    expect(text.indexOf('"holder"')).toBeLessThan(text.indexOf('"identifier"'));
    expect(text).not.toContain(' ');
    expect(text).not.toContain('\n');
  });

  it('keeps Chinese text as UTF-8, not \\u escapes, in the signed bytes', () => {
    const license = demoLicense();
    const bytes = canonicalBytes(license);
    expect(new TextDecoder().decode(bytes)).toBe(canonicalJson(license));
    expect(canonicalJson(license)).toContain('食品经营许可证');
    expect(bytes.length).toBeGreaterThan(canonicalJson(license).length);
  });

  it('serialises null validTo (long-term) explicitly', () => {
    expect(canonicalJson({ ...demoLicense(), validTo: null })).toContain('"validTo":null');
  });
});

describe('contentHash', () => {
  it('is hex SM3 and ignores the identifier (and so the version)', () => {
    const v1 = demoLicense();
    const parts = { typeCode: DEMO_TYPE, issuerCode: DEMO_ISSUER.code, serial: 'ABC123' };
    const v2: License = { ...v1, identifier: buildIdentifier({ ...parts, version: 2 }) };
    expect(contentHash(v1)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(v2)).toBe(contentHash(v1));
    expect(canonicalJson(v2)).not.toBe(canonicalJson(v1));
  });

  it('ignores key order and changes with any content', () => {
    const base = demoLicense();
    expect(contentHash(reversedKeys(base))).toBe(contentHash(base));
    expect(contentHash({ ...base, status: 'revoked' })).not.toBe(contentHash(base));
    expect(contentHash({ ...base, surface: { ...base.surface, premises: 'x' } })).not.toBe(contentHash(base));
    expect(contentHash({ ...base, validTo: null })).not.toBe(contentHash(base));
  });
});

describe('jcs against the reference implementation', () => {
  it('writes exactly what the canonicalize package writes', () => {
    const values: unknown[] = [
      demoLicense(),
      { ...demoLicense(), validTo: null },
      {
        b: 1,
        a: [1.5, -0, 1e21, 1e-7, 'x', null, true, undefined],
        c: { z: '\u2028\u0007"\\', é: 'é', '𝄞': 1, Z: 2 },
      },
      [],
      {},
      'a\uD800b',
      123456789012345680000,
      { toJSON: () => ({ y: 1, x: 2 }) },
    ];
    for (const v of values) expect(jcs(v)).toBe(jcsReference(v));
    expect(() => jcs(Number.NaN)).toThrow();
    expect(() => jcs({ a: Number.POSITIVE_INFINITY })).toThrow();
  });
});
