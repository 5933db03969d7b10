/**
 * The latin1 text a repaired value is stored as (repair/charset.ts `storedSpellings`), by which a
 * charset-repaired key is looked up: the repair reads each spelling back as the value it came from.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { repairText, storedSpellings } from '../../connectors/repair/charset.js';

describe('stored spellings of a repaired value', () => {
  it('gives the Windows-1252 and the ISO 8859-1 reading of its bytes, each repaired back to it', () => {
    const text = '丂亐垚堃002';
    const spellings = storedSpellings(text, 'gb18030');
    // 亐's trail byte 0x80: `€` in Windows-1252, U+0080 in ISO 8859-1.
    expect(spellings).toHaveLength(2);
    expect(spellings[0]).toContain('€');
    expect(spellings[1]).toBe(iconv.encode(text, 'gbk').toString('latin1'));
    for (const s of spellings) expect(repairText(s, 'gb18030')).toEqual({ ok: true, value: text });
  });

  it('gives the Windows-1252 reading alone where asked, and one where both read alike', () => {
    expect(storedSpellings('丂亐垚堃002', 'gbk', 'windows-1252')).toEqual([
      '\u0081@\u0081€\u02c6\u0090\u02c6Ò002',
    ]);
    expect(storedSpellings('中国', 'gb18030')).toEqual(['ÖÐ¹ú']);
  });

  it('keeps ASCII, and text the encoding has no code for, as they are', () => {
    expect(storedSpellings('JY003', 'gbk')).toEqual(['JY003']);
    expect(storedSpellings('한국', 'big5')).toEqual(['한국']);
  });
});
