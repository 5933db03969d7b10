import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { latin1Bytes, repairText } from '../../connectors/repair/charset.js';
import { isZeroDate } from '../../connectors/repair/dates.js';
import { compileRepair } from '../../connectors/repair/repair.js';
import type { SourceValue } from '../../connectors/source.js';

/** What a driver hands back for GBK bytes in a latin1 column: one character per byte. */
const asLatin1 = (text: string): string => iconv.encode(text, 'gbk').toString('latin1');

describe('charset repair', () => {
  it('recovers GBK text read through latin1, and leaves ASCII and real Unicode alone', () => {
    expect(repairText(asLatin1('青岛西海岸新区市场监督管理局'), 'gb18030')).toEqual({
      ok: true,
      value: '青岛西海岸新区市场监督管理局',
    });
    expect(repairText('JY23702110000001', 'gb18030')).toEqual({ ok: true, value: 'JY23702110000001' });
    expect(repairText('已是正确的文字', 'gb18030')).toEqual({ ok: true, value: '已是正确的文字' });
    expect(repairText(new Uint8Array(iconv.encode('食品', 'gbk')), 'gbk')).toEqual({
      ok: true,
      value: '食品',
    });
  });

  it('maps MySQL latin1 (cp1252) characters back to their bytes', () => {
    // 0x80 0x82 0x9F are `€`, `‚`, `Ÿ` in cp1252.
    expect(Array.from(latin1Bytes('\u20ac\u201a\u0178') ?? [])).toEqual([0x80, 0x82, 0x9f]);
    expect(latin1Bytes('中')).toBeNull();
  });

  it('fails on bytes that are not valid in the encoding instead of producing �', () => {
    const broken = `${asLatin1('中国')}\u00d6`; // a lead byte with no trail byte
    const out = repairText(broken, 'gb18030');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.message).toMatch(/1 invalid gb18030 byte sequence in 5 bytes/);
  });
});

describe('zero dates', () => {
  it('recognises the placeholders legacy systems use and nothing else', () => {
    for (const z of [
      '00000000',
      '0000-00-00',
      '0000/00/00',
      '0000-00-00 00:00:00',
      '0000-00-00 00:00:00.000000',
    ]) {
      expect(isZeroDate(z), z).toBe(true);
    }
    expect(isZeroDate(new Date(Number.NaN))).toBe(true);
    for (const d of ['20240301', '2024-03-01', '0000', '00000001', '', 0])
      expect(isZeroDate(d), String(d)).toBe(false);
  });
});

describe('row repair', () => {
  it('repairs declared columns, nulls zero dates, bounds sizes, and reports problems per column', () => {
    const repair = compileRepair({
      charset: { repair: ['jyzmc'], from: 'gb18030' },
      zeroDates: ['YXQZ'],
      maxValueBytes: 16,
    });
    const values: Record<string, SourceValue> = {
      JYZMC: asLatin1('中国'),
      YXQZ: '00000000',
      FZRQ: '00000000',
      BZ: 'x'.repeat(17),
      IMG: new Uint8Array(4),
    };
    const problems = repair(values);
    expect(values).toEqual({ JYZMC: '中国', YXQZ: null, FZRQ: '00000000', BZ: null, IMG: new Uint8Array(4) });
    expect(problems).toEqual([
      {
        column: 'BZ',
        code: 'LB_SOURCE_TOO_LARGE',
        message: 'value too large: column BZ: 17 bytes, over maxValueBytes 16',
      },
    ]);
    const bad: Record<string, SourceValue> = { JYZMC: `${asLatin1('中')}\u00d6` };
    expect(repair(bad)[0]).toMatchObject({ column: 'JYZMC', code: 'LB_SOURCE_CHARSET' });
    expect(bad.JYZMC).toBeNull();
  });
});

describe('charset repair from cp936', () => {
  // 中 龴 ︐ 国: FE59 and A6D9 are two of the 18 codes GB 18030-2022 moved out of the Private Use
  // Area (U+9FB4, U+FE10, as TextDecoder('gb18030') reads them); iconv-lite's cp936 table lacks
  // them and read both as U+FFFD, so a cp936 row holding one was quarantined where gbk read it.
  const bytes = Buffer.from('d6d0fe59a6d9b9fa', 'hex');
  const want = new TextDecoder('gb18030', { fatal: true }).decode(bytes);

  it('reads the codes GBK added to cp936 by GB 18030-2022, as from: gbk does', () => {
    expect(want).toBe('中\u9fb4\ufe10国');
    for (const from of ['cp936', 'gbk'] as const) {
      expect(repairText(bytes.toString('latin1'), from), from).toEqual({ ok: true, value: want });
      expect(repairText(new Uint8Array(bytes), from), from).toEqual({ ok: true, value: want });
    }
    const repair = compileRepair({ charset: { repair: ['JYZMC'], from: 'cp936' } });
    const values: Record<string, SourceValue> = { JYZMC: bytes.toString('latin1') };
    expect(repair(values)).toEqual([]);
    expect(values.JYZMC).toBe(want);
  });

  it('refuses a four-byte code for cp936 and gbk, which have none, and reads it for gb18030', () => {
    // 95328236 is U+20000 in GB18030 only.
    const four = Buffer.from('d6d095328236', 'hex').toString('latin1');
    expect(repairText(four, 'cp936')).toEqual({
      ok: false,
      message: '1 invalid cp936 byte sequence in 6 bytes',
    });
    expect(repairText(four, 'gbk').ok).toBe(false);
    expect(repairText(four, 'gb18030')).toEqual({ ok: true, value: '中\u{20000}' });
  });

  it('counts a four-byte code that is no character once, for cp936 as for gb18030', () => {
    // 8431A530 lies between U+FFFF's code and U+10000's: no character in GB 18030 either.
    const unassigned = Buffer.from('d6d08431a530', 'hex').toString('latin1');
    for (const from of ['cp936', 'gbk', 'gb18030'] as const)
      expect(repairText(unassigned, from)).toEqual({
        ok: false,
        message: `1 invalid ${from} byte sequence in 6 bytes`,
      });
  });
});
