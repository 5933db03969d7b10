/**
 * Charset repair against bytes and decodes from another implementation: python3's codecs on this
 * machine (`s.encode('gb18030')`, `bytes([b]).decode('cp1252')`), cross-checked with iconv(1).
 */
import { describe, expect, it } from 'vitest';
import { latin1Bytes, repairText } from '../../connectors/repair/charset.js';

// python3: [(b, ord(bytes([b]).decode('cp1252'))) for b in range(0x80, 0xa0) if defined] — 27 pairs;
// 0x81 0x8D 0x8F 0x90 0x9D have no cp1252 character (MySQL hands them back as U+0081 … U+009D).
const CP1252_HIGH: ReadonlyArray<readonly [number, number]> = [
  [0x80, 0x20ac],
  [0x82, 0x201a],
  [0x83, 0x0192],
  [0x84, 0x201e],
  [0x85, 0x2026],
  [0x86, 0x2020],
  [0x87, 0x2021],
  [0x88, 0x02c6],
  [0x89, 0x2030],
  [0x8a, 0x0160],
  [0x8b, 0x2039],
  [0x8c, 0x0152],
  [0x8e, 0x017d],
  [0x91, 0x2018],
  [0x92, 0x2019],
  [0x93, 0x201c],
  [0x94, 0x201d],
  [0x95, 0x2022],
  [0x96, 0x2013],
  [0x97, 0x2014],
  [0x98, 0x02dc],
  [0x99, 0x2122],
  [0x9a, 0x0161],
  [0x9b, 0x203a],
  [0x9c, 0x0153],
  [0x9e, 0x017e],
  [0x9f, 0x0178],
];

// python3: [bytes([b, 0x40]).decode('gb18030') for b in the lead bytes above from 0x81]: the
// character whose GB18030 form is <b> 0x40, i.e. what a repair must recover from "<cp1252 char>@".
const LEAD_AT_DECODES = [
  '\u4fa4',
  '\u50bd',
  '\u51d8',
  '\u5311',
  '\u54a2',
  '\u5606',
  '\u5712',
  '\u583e',
  '\u593d',
  '\u5a61',
  '\u5b48',
  '\u5da1',
  '\u6147',
  '\u624f',
  '\u63c1',
  '\u64db',
  '\u65f2',
  '\u6704',
  '\u685c',
  '\u6961',
  '\u6a5c',
  '\u6b2f',
  '\u6c59',
  '\u6dcd',
  '\u6fe6',
  '\u70dc',
];

describe('cp1252 bytes 0x80–0x9F', () => {
  it('has all 27 characters that map to a byte', () => {
    expect(CP1252_HIGH).toHaveLength(27);
  });

  it.each(CP1252_HIGH.map(([b, c]) => [b.toString(16), b, c] as const))(
    'maps byte 0x%s back from its cp1252 character',
    (_hex, byte, char) => {
      expect(Array.from(latin1Bytes(String.fromCharCode(char)) ?? [])).toEqual([byte]);
    },
  );

  it('repairs GB18030 text whose lead byte is each cp1252 byte from 0x82', () => {
    const leads = CP1252_HIGH.filter(([b]) => b >= 0x81);
    expect(leads).toHaveLength(LEAD_AT_DECODES.length);
    leads.forEach(([, char], i) => {
      expect(repairText(`${String.fromCharCode(char)}@`, 'gb18030')).toEqual({
        ok: true,
        value: LEAD_AT_DECODES[i],
      });
    });
  });
});

// python3: '中𠀀国é'.encode('gb18030').hex() = d6d0 95328236 b9fa a8a6 — U+20000 takes the 4-byte
// form 95 32 82 36 that GBK lacks; decoded back as cp1252 (undefined bytes as latin1) that is:
const GB18030_4BYTE_MOJIBAKE = '\u00d6\u00d0\u20222\u201a6\u00b9\u00fa\u00a8\u00a6';
const GB18030_4BYTE_BYTES = 'd6d095328236b9faa8a6';

describe('GB18030 four-byte sequences', () => {
  it('recovers the exact bytes a latin1 column returned', () => {
    expect(latin1Bytes(GB18030_4BYTE_MOJIBAKE)?.toString('hex')).toBe(GB18030_4BYTE_BYTES);
  });

  it('decodes a 4-byte character as GB18030, not as GBK', () => {
    expect(repairText(GB18030_4BYTE_MOJIBAKE, 'gb18030')).toEqual({ ok: true, value: '中\u{20000}国é' });
    expect(repairText(Buffer.from(GB18030_4BYTE_BYTES, 'hex'), 'gb18030')).toEqual({
      ok: true,
      value: '中\u{20000}国é',
    });
  });

  it('quarantines the same bytes when the column is declared GBK', () => {
    // python3: bytes.fromhex('95328236').decode('gbk') raises: GBK has no 4-byte form.
    expect(repairText(GB18030_4BYTE_MOJIBAKE, 'gbk').ok).toBe(false);
  });
});
