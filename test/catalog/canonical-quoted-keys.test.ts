/**
 * jcs quotes member names through a bounded cache (catalog/canonical.ts): names that need escapes,
 * long names, names past the cache's bound and the same name met again keep the reference's text,
 * and the SM3 one-shot of catalog/sm3.ts gives GB/T 32905's vector and node's streaming digest.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentHash, jcs, jcsReference } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { sm3Bytes, sm3Hex } from '../../catalog/sm3.js';

describe('jcs member names through the quoted-name cache', () => {
  it('names with quotes, escapes, non-BMP characters and 100 characters, twice, read as the reference', () => {
    const value = {
      'a"b': 1,
      'c\\d': { 'a"b': 2, '\n': 3 },
      '\u{1d11e}名': [{ '\u0001': 4 }],
      ['长'.repeat(100)]: 5,
    };
    expect(jcs(value)).toBe(jcsReference(value));
    expect(jcs(value)).toBe(jcsReference(value));
  });

  it('past the bound (5,000 distinct names), old and new names still read as the reference', () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}"`, i]));
    expect(jcs(many)).toBe(jcsReference(many));
    const later = { 'k4999"': 1, 'later\t': 2, k0: 3 };
    expect(jcs(later)).toBe(jcsReference(later));
  });

  it('the content hash of a license is SM3 of the reference text without identifier', () => {
    const license = { identifier: 'x', number: 'N1', holder: { name: '某"店' } } as unknown as License;
    const text = jcsReference({ number: 'N1', holder: { name: '某"店' } }) as string;
    expect(contentHash(license)).toBe(createHash('sm3').update(text, 'utf8').digest('hex'));
  });
});

describe('sm3Hex and sm3Bytes', () => {
  it('GB/T 32905 example 1 ("abc"), as text and as bytes', () => {
    const expected = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
    expect(sm3Hex('abc')).toBe(expected);
    expect(sm3Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(expected);
    expect(Buffer.from(sm3Bytes('abc')).toString('hex')).toBe(expected);
    expect(sm3Bytes('abc')).toBeInstanceOf(Uint8Array);
  });

  it('Chinese text hashes as its UTF-8 bytes, as the streaming digest does', () => {
    const text = '青岛西海岸新区市场监督管理局\u{1d11e}';
    expect(sm3Hex(text)).toBe(createHash('sm3').update(text, 'utf8').digest('hex'));
  });
});
