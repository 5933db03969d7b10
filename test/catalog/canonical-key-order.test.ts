/**
 * Members are written in UTF-16 order of their names (RFC 8785 §3.2.3) however the objects before
 * were shaped (catalog/canonical.ts keeps the order of names it sorted): objects whose names begin
 * alike and then differ, the same names in another order, more names than it keeps, a name longer
 * than it keeps, and many shapes with one first name, each held to the reference.
 */
import { describe, expect, it } from 'vitest';
import { canonicalBytes, contentHash, jcs, jcsReference, signingForm } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';

function expectReference(value: Record<string, unknown>): void {
  expect(jcs(value)).toBe(jcsReference(value));
  const license = value as unknown as License;
  expect(Buffer.from(canonicalBytes(license)).toString('utf8')).toBe(jcsReference(value));
  expect(Buffer.from(signingForm(license).bytes).toString('utf8')).toBe(jcsReference(value));
  const { identifier: _identifier, ...content } = value;
  expect(signingForm(license).contentHash).toBe(contentHash(license));
  expect(contentHash(license)).toBe(contentHash({ ...content, identifier: 'other' } as unknown as License));
}

describe('members in key order whatever came before', () => {
  it('objects whose names begin alike and then differ', () => {
    const shapes = [
      { z: 1, b: 2, a: 3 },
      { z: 1, a: 3, c: 2 },
      { z: 1, b: 2, a: 3, y: 0 },
      { z: 1, b: 2 },
      { z: 1, a: 2, b: 3 },
      { z: 1, b: 2, a: 3 },
    ];
    for (let round = 0; round < 3; round++) {
      for (const shape of shapes) expectReference({ identifier: 'i', holder: shape, ...shape });
    }
  });

  it('the same names in other orders', () => {
    expectReference({
      identifier: 'i',
      a: { b: 1, a: 2, c: 3 },
      b: { b: 1, c: 3, a: 2 },
      c: { c: 1, b: 2, a: 3 },
    });
    expectReference({ identifier: 'i', a: { b: 1, c: 3, a: 2 }, b: { b: 1, a: 2, c: 3 } });
  });

  it('more names than are kept, a long name, many shapes with one first name', () => {
    const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${(i * 37) % 70}`, i]));
    const long = { ['n'.repeat(65)]: 1, a: 2, m: 3 };
    expectReference({ identifier: 'i', many, long });
    expectReference({ identifier: 'i', many: { ...many, k0: 'again' }, long: { ...long, b: 4 } });
    for (let i = 0; i < 20; i++) {
      const shape: Record<string, unknown> = { first: 0 };
      for (let j = i; j >= 0; j--) shape[`m${j}`] = j;
      expectReference({ identifier: 'i', shape });
      expectReference({ identifier: 'i', shape: { first: 0, m0: 0, [`x${i}`]: 1 } });
    }
  });
});
