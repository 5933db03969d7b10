/**
 * `repairCharset` as a unit: its argument, the GBK family read as GB18030, ASCII text left alone
 * whatever the charset, and the bound on input length. Expected characters come from the WHATWG
 * GB18030 decoder (TextDecoder), not from the library under test; GB18030 four-byte sequences
 * (81 30 81 30 is U+0080, 95 32 82 36 is U+20000) are what a plain GBK decoder cannot read.
 */
import { describe, expect, it } from 'vitest';
import { charsetRepair } from '../../mappings/charset-transform.js';
import type { MapValue, TransformStep } from '../../mappings/types.js';

const step = (arg: unknown): TransformStep => {
  const s = charsetRepair.compile(arg);
  if (typeof s !== 'function') throw new Error(typeof s === 'string' ? s : s.message);
  return s;
};
const run = (arg: unknown, value: MapValue) => {
  const r = step(arg)(value);
  return r.ok ? r.value : r.code;
};
const FOUR_BYTE = [0x81, 0x30, 0x81, 0x30, 0x95, 0x32, 0x82, 0x36];
const gb18030 = (bytes: number[]) =>
  new TextDecoder('gb18030', { fatal: true }).decode(Uint8Array.from(bytes));

describe('repairCharset: the argument', () => {
  it('a charset name iconv-lite knows, in any case', () => {
    expect(typeof charsetRepair.compile('GB18030')).toBe('function');
    expect(typeof charsetRepair.compile('big5')).toBe('function');
  });

  it('anything else is refused with the same message, a list naming a charset included', () => {
    const message = 'expected a charset iconv-lite knows, e.g. gb18030, big5';
    for (const arg of ['klingon', 5, null, true, ['gb18030'], { gb18030: true }]) {
      expect(charsetRepair.compile(arg)).toBe(message);
    }
  });
});

describe('repairCharset: decoding', () => {
  it('gbk, cp936 and gb2312, in any case, decode as GB18030 (four-byte sequences too)', () => {
    const want = gb18030(FOUR_BYTE);
    expect([...want].map((c) => c.codePointAt(0))).toEqual([0x80, 0x20000]);
    for (const name of ['gbk', 'GBK', 'cp936', 'CP936', 'gb2312', 'GB2312', 'gb18030']) {
      expect(run(name, Uint8Array.from(FOUR_BYTE))).toBe(want);
    }
  });

  it('a GB label in any spelling of the one label table (core/encoding-labels.ts) decodes as GB18030', () => {
    // GB-2312 and CP-936 were looked up as written: iconv-lite read them by its cp936 table, which
    // has no four-byte codes and maps FE59 to a private-use code point, so 𠀀 was refused as bytes
    // that are not GB-2312; x-mswin-936 and gb18030-2022 were refused as unknown charsets.
    const bytes = [...FOUR_BYTE, 0xfe, 0x59, 0xd5, 0xc5];
    const want = gb18030(bytes);
    expect([...want].map((c) => c.codePointAt(0))).toEqual([0x80, 0x20000, 0x9fb4, 0x5f20]);
    const names = ['GB-2312', 'gb_2312', 'GB_2312-80', 'CP-936', 'MS936', 'windows-936', 'x-mswin-936'];
    for (const name of [...names, 'GB_18030', 'gb-18030', 'gb18030-2022', 'EUC-CN', 'x-gbk']) {
      expect(run(name, Uint8Array.from(bytes)), name).toBe(want);
    }
  });

  it('plain ASCII text is never repaired, even where its bytes would decode to other text', () => {
    // As UTF-16LE the bytes of "ab" are one character, U+6261.
    expect(run('utf16le', 'ab')).toBe('ab');
    expect(run('utf16le', Uint8Array.from([0x61, 0x62]))).toBe('\u6261');
  });

  it('text and bytes are bounded at four times the text limit; other values are refused by type', () => {
    expect(run('gb18030', 'a'.repeat(16_000))).toBe('a'.repeat(16_000));
    expect(run('gb18030', 'a'.repeat(16_001))).toBe('LB_MAP_TOO_LONG');
    expect(run('gb18030', new Uint8Array(16_001))).toBe('LB_MAP_TOO_LONG');
    // A list or an object is no text whatever its length.
    expect(
      run(
        'gb18030',
        Array.from({ length: 16_001 }, () => 'a'),
      ),
    ).toBe('LB_MAP_TYPE');
    expect(run('gb18030', new Date(0))).toBe('LB_MAP_TYPE');
    expect(run('gb18030', 7)).toBe(7);
    expect(run('gb18030', null)).toBeNull();
  });
});
