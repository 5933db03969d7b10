/**
 * The signed bytes (canonicalBytes, signingForm in catalog/canonical.ts) are the UTF-8 encoding of
 * the reference JCS text, byte for byte, as the WHATWG encoder writes it: on Chinese text, pairs
 * and lone halves of surrogates, every control character, escapes, and numbers at JSON's edges,
 * in names and in values, and on generated licenses mixing them. A signature made before a change
 * in how the text becomes bytes must still verify after it.
 */
import { describe, expect, it } from 'vitest';
import { canonicalBytes, jcsReference, signingForm } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';

const whatwg = new TextEncoder();

function expectSameBytes(value: Record<string, unknown>): void {
  const license = value as unknown as License;
  const text = jcsReference(value);
  if (text === undefined) throw new Error('test: value has no JSON form');
  const expected = Buffer.from(whatwg.encode(text));
  expect(Buffer.from(canonicalBytes(license)).equals(expected)).toBe(true);
  expect(Buffer.from(signingForm(license).bytes).equals(expected)).toBe(true);
}

const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');

const CASES: Array<[string, Record<string, unknown>]> = [
  ['Chinese text', { identifier: '1.2.156', holder: { name: '欧阳秀英' }, issuer: '食品经营许可证' }],
  ['a surrogate pair (outside the BMP)', { name: '𠀀𪚥\u{1d11e}', '\u{1f600}': '𡃁' }],
  ['lone surrogate halves', { a: '\ud800', b: 'x\udfffy', c: '\udc00\ud800', '\ud834': 1 }],
  ['every control character', { text: controls, [controls]: controls }],
  ['escapes JSON writes', { q: '"\\/\b\f\n\r\t', u: '\u2028\u2029\u007f\u0080\u00ff' }],
  ['characters of every UTF-8 length', { s: 'a\u00e9\u07ff\u0800\uffff\u{10000}\u{10ffff}' }],
  [
    'numbers at the edges',
    { n: [0, -0, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, -9007199254740991, 123456789.125] },
  ],
  ['empty strings and nesting', { '': '', a: [[], {}, [''], { '': null }], b: true, c: false }],
];

/** A seeded generator, so a failure names a case that runs again the same. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const RANGES: Array<[number, number]> = [
  [0x00, 0x7f],
  [0x80, 0x7ff],
  [0x4e00, 0x9fff],
  [0xd800, 0xdfff],
  [0xe000, 0xffff],
  [0x10000, 0x10ffff],
];

function randomText(next: () => number): string {
  let out = '';
  const length = Math.floor(next() * 24);
  for (let i = 0; i < length; i++) {
    const [lo, hi] = RANGES[Math.floor(next() * RANGES.length)] as [number, number];
    out += String.fromCodePoint(lo + Math.floor(next() * (hi - lo + 1)));
  }
  return out;
}

function randomLicense(next: () => number): Record<string, unknown> {
  const license: Record<string, unknown> = { identifier: randomText(next) };
  const members = 1 + Math.floor(next() * 8);
  for (let i = 0; i < members; i++) {
    const pick = next();
    license[randomText(next)] =
      pick < 0.5
        ? randomText(next)
        : pick < 0.7
          ? (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20)
          : { [randomText(next)]: [randomText(next), Math.floor(next() * 1e6)] };
  }
  return license;
}

describe('signed bytes are the UTF-8 of the JCS text', () => {
  it.each(CASES)('%s', (_name, value) => {
    expectSameBytes(value);
  });

  it('2,000 generated licenses', () => {
    const next = generator(36904);
    for (let i = 0; i < 2000; i++) expectSameBytes(randomLicense(next));
  });
});
