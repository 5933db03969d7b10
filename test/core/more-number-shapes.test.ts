/**
 * Numbers a person is known by, written as people and legacy systems write them, are masked by
 * their shape (maskNumberShapes: a log line, an error's text, a record key in a report):
 * - a resident ID number in its groups parted by `_` or `.` (`110101_19900307_1234`, a record
 *   key; `110101.19900307.1234`) or by a typographic dash (`110101–19900307–1234`), as it was by a
 *   space or `-`, and the 15-digit number so too;
 * - a mobile number in its 3-4-4 groups parted by dots (`138.0013.8000`) or `_` or a typographic
 *   dash, as it was by a space or `-`;
 * - a Taiwan resident's travel permit for the mainland (台胞证, holder id type 511): 8 digits (the
 *   card) or 10 (the booklet), with the issue letter in brackets after them (`12345678(B)`), or
 *   after the permit's name (`台胞证号码：12345678`). Alone, 8 or 10 digits are a date, an amount, a
 *   timestamp: not taken for one.
 * And what holds no such number stays whole: amounts, dates, timestamps, UUIDs, license
 * identifiers (GB/T 36904), credit codes (GB 32100), addresses, versions.
 */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../core/errors.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';

// Made up.
const ID = '110101199003071234';
const OLD_ID = '110101900307123';
const MOBILE = '13800138000';
const digitsOf = (s: string): string => s.replace(/[^0-9０-９]/g, '');

function expectMasked(text: string, number: string): void {
  const shown = maskNumberShapes(text);
  expect(shown, text).toContain('*');
  // None of the number's middle shows, whatever parts its groups.
  expect(digitsOf(shown), `${text} -> ${shown}`).not.toContain(digitsOf(number).slice(4, -4));
  expect(shown.length, text).toBe(text.length);
}

describe('numbers in groups parted by other separators', () => {
  it('a resident ID number', () => {
    for (const sep of ['_', '.', '\u2013', '\u2010']) {
      expectMasked(`holder 110101${sep}19900307${sep}1234 refused`, ID);
      expectMasked(`key SFZ_110101${sep}19900307${sep}1234`, ID);
      expectMasked(`old ${OLD_ID.slice(0, 6)}${sep}${OLD_ID.slice(6, 12)}${sep}${OLD_ID.slice(12)}`, OLD_ID);
    }
    expect(maskNumberShapes('holder 110101_19900307_1234')).toBe('holder 1101**_********_1234');
  });

  it('a mobile number', () => {
    for (const sep of ['.', '_', '\u2013']) expectMasked(`call 138${sep}0013${sep}8000 back`, MOBILE);
    expectMasked('call +86 138.0013.8000', MOBILE);
    expectMasked('call １３８．００１３．８０００', MOBILE);
    expect(maskNumberShapes('call 138.0013.8000')).toBe('call *********8000');
    // A zero-width space beside a dot, as beside a space or a dash: read across, shown without it.
    expect(maskNumberShapes('call 138.\u200b0013.8000')).toBe('call *********8000');
  });

  it("in an error's text", () => {
    const shown = failureMessage(new Error('row 110101.19900307.1234 tel 138.0013.8000 refused')).message;
    expect(shown).not.toContain('19900307');
    expect(shown).not.toContain('0013');
  });
});

describe('numbers in groups parted by a space other than U+0020', () => {
  it('a no-break, thin, en or narrow no-break space parts them as a space does', () => {
    for (const sep of ['\u00a0', '\u2009', '\u2002', '\u202f']) {
      expectMasked(`holder 110101${sep}19900307${sep}1234 refused`, ID);
      expectMasked(`call 138${sep}0013${sep}8000 back`, MOBILE);
      expectMasked(`call +86${sep}138${sep}0013${sep}8000 back`, MOBILE);
    }
    expect(maskNumberShapes('holder 110101\u00a019900307\u00a01234')).toBe(
      'holder 1101**\u00a0********\u00a01234',
    );
  });
});

describe("a Taiwan resident's travel permit", () => {
  it('with its issue letter, or after its name', () => {
    for (const [text, number] of [
      ['holder 12345678(B) refused', '12345678'],
      ['holder 1234567890（B） refused', '1234567890'],
      ['台胞证 12345678 校验失败', '12345678'],
      ['台胞证号码：1234567890', '1234567890'],
      ['台湾居民来往大陆通行证号码:12345678', '12345678'],
    ] as const) {
      const shown = maskNumberShapes(text);
      expect(shown, text).not.toContain(number.slice(0, 6));
      expect(shown, text).not.toContain(number.slice(-6));
    }
    expect(maskNumberShapes('台胞证号码：12345678')).toBe('台胞证号码：********');
  });
});

describe('what holds no such number', () => {
  it('stays whole', () => {
    const texts = [
      'amount 13800.50, total ¥1,380,013.80, fee 138.00',
      'paid 1380013800.25 in 2024',
      'issued 2024-01-05, 2024.01.05, 20240105, 2024年01月05日, valid 20240105-20290104',
      'at 2026-12-06T14:04:55.130Z, 1733489400123, 1733489400.123',
      'run b3f1c2d4-1381-4234-8567-13812345678a, job 9f1c2d4e-1380-0138-0000-138001380001',
      '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
      '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
      '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0',
      'issuer 91370406L24894136J, 11100000MB03271699, type 11100000000013338W032',
      'server 10.0.138.13:5432, v13.800.138, OID 1.2.156.10197.1.501',
      'page 12345678 of 99999999, batch 1234567890',
    ];
    for (const text of texts) expect(maskNumberShapes(text)).toBe(text);
  });
});
