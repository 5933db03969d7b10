/**
 * The texts a repaired value may be stored as (repair/charset.ts `storedSpellings`), by which a
 * charset-repaired key is looked up: the value itself, which the repair passes through unchanged
 * (a column converted since), and the latin1 text of its bytes, which it reads back as the value —
 * each of them a row a page delivers under that key. Looked up by the latin1 spellings alone
 * (75489163), a key held as proper text was never found again.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { characterSetHolds, repairText, storedSpellings } from '../../connectors/repair/charset.js';

describe('stored spellings of a repaired value', () => {
  it('gives the value itself, then the Windows-1252 and the ISO 8859-1 reading of its bytes, each repaired back to it', () => {
    const text = '丂亐垚堃002';
    const spellings = storedSpellings(text, 'gb18030');
    // 亐's trail byte 0x80: `€` in Windows-1252, U+0080 in ISO 8859-1.
    expect(spellings).toHaveLength(3);
    expect(spellings[0]).toBe(text);
    expect(spellings[1]).toContain('€');
    expect(spellings[2]).toBe(iconv.encode(text, 'gbk').toString('latin1'));
    for (const s of spellings) expect(repairText(s, 'gb18030')).toEqual({ ok: true, value: text });
  });

  it("keeps a latin1 column's Windows-1252 reading alone, and one where both read alike", () => {
    expect(storedSpellings('丂亐垚堃002', 'gbk', characterSetHolds('windows-1252'))).toEqual([
      '\u0081@\u0081€\u02c6\u0090\u02c6Ò002',
    ]);
    expect(storedSpellings('中国', 'gb18030')).toEqual(['中国', 'ÖÐ¹ú']);
    expect(storedSpellings('中国', 'gb18030', characterSetHolds('iso-8859-1'))).toEqual(['ÖÐ¹ú']);
  });

  it('keeps ASCII, and text the encoding has no code for, as they are', () => {
    expect(storedSpellings('JY003', 'gbk')).toEqual(['JY003']);
    expect(storedSpellings('한국', 'big5')).toEqual(['한국']);
    expect(storedSpellings('한국', 'big5', characterSetHolds('windows-1252'))).toEqual([]);
  });
});

describe('what a column of a character set holds', () => {
  it('a Unicode set holds all three spellings; GBK the value alone; a set not known ASCII alone', () => {
    const text = '丂亐垚堃002';
    for (const set of ['utf8mb4', 'utf8mb3', 'utf8', 'UTF8', 'gb18030'])
      expect(storedSpellings(text, 'gb18030', characterSetHolds(set))).toHaveLength(3);
    expect(storedSpellings(text, 'gb18030', characterSetHolds('gbk'))).toEqual([text]);
    expect(characterSetHolds('no-such-set')('JY003')).toBe(true);
    expect(characterSetHolds('no-such-set')('中国')).toBe(false);
  });
});
