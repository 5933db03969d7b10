/**
 * The JavaScript row fingerprint, key bucket and digest part, pinned to values computed outside
 * licbridge (python3 hashlib on this machine). They are stored at extract time and compared at
 * reconcile time, and the ledger computes buckets from its own copy of the key: a change of format
 * would make every stored fingerprint differ, so the format is pinned, not just "some hash".
 *
 * python3:
 *   md5 = lambda s: hashlib.md5(s.encode('utf-8')).hexdigest()
 *   prefix = md5(json.dumps(["lb-fp-1", trim, charset, zeroDates, maxValueBytes], separators=(',', ':')))[:16]
 *   fingerprint = md5(prefix + ''.join('\x1f' + tagged for each column))
 *   bucket = int(md5(key)[:7], 16) % buckets; part = int(fingerprint[:13], 16)
 */
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { decodingPrefix, rowFingerprint } from '../../connectors/sql/fingerprint.js';
import { fingerprintPart, keyBucket, pairFingerprint } from '../../core/reconcile-digest.js';

const PREFIX_DEFAULT = '300b8104ee99665a';

describe('row fingerprint format', () => {
  it('derives the prefix from the decoding settings, with their defaults', () => {
    expect(decodingPrefix({ kind: 'sqlite', path: 'x.db' } as unknown as SourceConfig)).toBe(PREFIX_DEFAULT);
    expect(decodingPrefix({ kind: 'sqlite', path: 'x.db', trim: 'all' } as unknown as SourceConfig)).toBe(
      PREFIX_DEFAULT,
    );
    expect(
      decodingPrefix({
        kind: 'sqlite',
        path: 'x.db',
        trim: 'none',
        zeroDates: 'all',
        maxValueBytes: 1000,
      } as unknown as SourceConfig),
    ).toBe('c41e3016ff2347ff');
    expect(
      decodingPrefix({
        kind: 'sqlite',
        path: 'x.db',
        charset: { repair: ['MC'], from: 'gbk' },
        zeroDates: ['YXQZ'],
      } as unknown as SourceConfig),
    ).toBe('29b3b98e3771d965');
  });

  it('tags every kind of value: null, undefined, text, number, bigint, boolean, bytes, dates, JSON', () => {
    const raw: Record<string, unknown> = {
      A: null,
      B: undefined,
      S: '中',
      EMPTY: '',
      N: 12,
      G: 12n,
      T: true,
      X: new Uint8Array([1, 255]),
      D: new Date(0),
      I: new Date(Number.NaN),
      J: { k: [1, 2n] },
    };
    // parts: \x1eN \x1eN s中 s n12 n12 ntrue x01ff d1970-01-01T00:00:00.000Z dinvalid j{"k":[1,"2"]}
    expect(rowFingerprint(PREFIX_DEFAULT, raw, Object.keys(raw))).toBe('58306e9b3ade0a55b98dbcf651a7e1ca');
  });

  it('keeps two columns apart from one column holding the separator', () => {
    const two = rowFingerprint(PREFIX_DEFAULT, { A: 'a', B: 'b' }, ['A', 'B']);
    expect(two).toBe('0747a38c88378aba19d65bed2b420767');
    expect(rowFingerprint(PREFIX_DEFAULT, { A: 'a\u001fb' }, ['A'])).not.toBe(two);
    expect(rowFingerprint(PREFIX_DEFAULT, { A: null }, ['A'])).not.toBe(
      rowFingerprint(PREFIX_DEFAULT, { A: '' }, ['A']),
    );
  });

  it('puts a key in the bucket the ledger computes from md5 of its text', () => {
    expect(keyBucket('00001', 16)).toBe(10);
    expect(keyBucket('中文', 1000)).toBe(154);
  });

  it('adds up the first 13 hex digits of a fingerprint', () => {
    expect(fingerprintPart('58306e9b3ade0a55b98dbcf651a7e1ca')).toBe(1551440597462496);
  });

  it("gives the ledger's fingerprint of a license: the first 13 hex digits of md5(key 0x1F content hash)", () => {
    // python3: int(hashlib.md5((k + '\x1f' + h).encode()).hexdigest()[:13], 16)
    expect(pairFingerprint('00017', 'ab'.repeat(32))).toBe(4029050780793491);
    expect(pairFingerprint('中文键', '0'.repeat(64))).toBe(1076621545665766);
  });
});
