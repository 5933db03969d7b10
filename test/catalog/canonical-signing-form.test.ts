/**
 * signingForm (catalog/canonical.ts), the sign stage's one serialisation, gives the same content
 * hash and signed bytes as contentHash and canonicalBytes, which stay the definition: on the
 * members that reach each branch (`identifier` first, last, absent or undefined, undefined and
 * symbol members, keys in UTF-16 order) and on a license with toJSON, which takes the long way.
 */
import { describe, expect, it } from 'vitest';
import { canonicalBytes, contentHash, signingForm } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';

const CASES: Array<[string, Record<string, unknown>]> = [
  ['identifier among the members', { type: { code: 'X' }, identifier: '1.2.3', holder: { name: '甲' } }],
  ['identifier the first member', { identifier: '1', z: 2 }],
  ['identifier the only member', { identifier: '1' }],
  ['no identifier', { b: [1, { d: 2, c: 3 }], a: 'x' }],
  ['identifier undefined', { identifier: undefined, a: 1 }],
  ['undefined and symbol members dropped', { a: undefined, b: 1, c: Symbol('s'), identifier: 'i' }],
  ['keys in UTF-16 order', { '\u{1d11e}': 1, '\uff5a': 2, a: 3, identifier: 'i', when: new Date(0) }],
  ['no members', {}],
];

describe('signingForm equals contentHash and canonicalBytes', () => {
  it.each(CASES)('%s', (_name, value) => {
    const license = value as unknown as License;
    const form = signingForm(license);
    expect(form.contentHash).toBe(contentHash(license));
    expect(Buffer.from(form.bytes).toString('utf8')).toBe(
      Buffer.from(canonicalBytes(license)).toString('utf8'),
    );
  });

  it('a license with toJSON', () => {
    const license = { toJSON: () => ({ identifier: '9', b: 1, a: 2 }) } as unknown as License;
    const form = signingForm(license);
    expect(form.contentHash).toBe(contentHash(license));
    expect(Buffer.from(form.bytes).toString('utf8')).toBe('{"a":2,"b":1,"identifier":"9"}');
  });
});
