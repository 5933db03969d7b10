/**
 * jcs against the `canonicalize` package (the RFC 8785 reference implementation, a separate code
 * base) on values chosen to reach each branch of the hand-written loops: toJSON at every depth,
 * undefined and symbol members and items, the skip of `identifier` at the top level only, and
 * the non-finite numbers the RFC forbids. contentHash is checked against node's own SM3 of the
 * reference's text.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentHash, jcs, jcsReference } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';

const sm3 = (text: string) => createHash('sm3').update(text, 'utf8').digest('hex');

const CASES: Array<[string, unknown]> = [
  ['scalars', [1, -0, 1e21, 0.1, 'a"\\\n', true, false, null]],
  ['empty containers', { a: [], b: {}, c: [{}] }],
  ['undefined and symbol items become null', [undefined, Symbol('s'), 1]],
  [
    'undefined and symbol members are dropped, first member dropped',
    { a: undefined, b: 1, c: Symbol('s'), d: 2 },
  ],
  ['only dropped members', { a: undefined }],
  ['toJSON at the top', new Date(Date.UTC(2026, 0, 2, 3, 4, 5))],
  ['toJSON nested in an object and an array', { when: new Date(0), list: [new Date(1000)] }],
  ['a custom toJSON returning an object', { x: { toJSON: () => ({ z: 1, a: 2 }) } }],
  ['keys in UTF-16 order, nested', { b: { '\u{1d11e}': 1, '\uff5a': 2, a: 3 }, a: [{ y: 1, x: 2 }] }],
  ['an array of one, and nested arrays', [[1], [[2, 3]]]],
];

describe('jcs equals the reference implementation', () => {
  it.each(CASES)('%s', (_name, value) => {
    expect(jcs(value)).toBe(jcsReference(value));
  });

  it('rejects NaN and both infinities, naming which, at any depth', () => {
    expect(() => jcs(Number.NaN)).toThrow('NaN is not allowed');
    expect(() => jcs({ a: [Number.POSITIVE_INFINITY] })).toThrow('Infinity is not allowed');
    expect(() => jcs([Number.NEGATIVE_INFINITY])).toThrow('Infinity is not allowed');
    expect(() => jcsReference(Number.NaN)).toThrow();
  });

  it('a value with no JSON form is a TypeError', () => {
    expect(() => jcs(undefined)).toThrow(new TypeError('canonical: value has no JSON form'));
    expect(() => jcs(() => 1)).toThrow(TypeError);
    expect(jcsReference(undefined)).toBeUndefined();
  });
});

describe('contentHash leaves out the top-level identifier only', () => {
  const license = {
    identifier: '1.2.156.3005.2.X',
    face: { identifier: 'kept: not the top level', n: 1 },
    holder: { name: 'n', id: 'i', idType: '999' },
    gone: undefined,
  } as unknown as License;
  const expected = sm3(
    jcsReference({
      face: { identifier: 'kept: not the top level', n: 1 },
      holder: { name: 'n', id: 'i', idType: '999' },
    }) as string,
  );

  it('a plain object: its members minus identifier', () => {
    expect(contentHash(license)).toBe(expected);
    // identifier sorts between face and holder: leaving it out must not leave a stray comma.
    expect(contentHash({ ...license, identifier: 'another' } as License)).toBe(expected);
  });

  it('an object with toJSON and a class instance give the same answer as the plain object', () => {
    const withToJson = { ...license, toJSON: undefined } as unknown as License;
    expect(contentHash(withToJson)).toBe(expected);
    class Wrapped {
      identifier = 'x';
      face = { identifier: 'kept: not the top level', n: 1 };
      holder = { name: 'n', id: 'i', idType: '999' };
      toJSON() {
        return { face: this.face, holder: this.holder };
      }
    }
    expect(contentHash(new Wrapped() as unknown as License)).toBe(expected);
  });

  it('an own toJSON is honoured, as JSON.stringify and the reference honour it', () => {
    const withOwn = {
      identifier: 'x',
      a: 1,
      b: 2,
      toJSON(this: { a: number }) {
        return { a: this.a };
      },
    } as unknown as License;
    expect(contentHash(withOwn)).toBe(sm3(jcsReference({ a: 1 }) as string));
  });

  it('only the identifier member: the hash of {}', () => {
    expect(contentHash({ identifier: 'x' } as unknown as License)).toBe(sm3('{}'));
  });
});
