/**
 * A foreign passport's or another document's number after a label naming a person's document
 * (证件号码, 护照号, `passport`, `idNo=`, `certNo=`): three letters and six digits (`ABC123456`), or
 * letters and digits mixed (`12AB34567`, `C01X00T47`, `L898902C3`, ICAO 9303's specimen). Only one or
 * two letters then seven digits or more were read there, so these went out whole in a log line, an
 * error's text and a stored reason. Bare, or after a license's or an order's label, a code of
 * letters and digits stays, as do words and a code joined by dashes (`certNo=LB-2024-01`).
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { maskPassportShapes } from '../../core/mask.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { loggedTexts, stored } from '../logging/labelled-fixture.js';

describe('a foreign document number after a person document label', () => {
  it.each([
    ['证件号码：ABC123456', 'ABC123456'],
    ['证件号码（护照）：ABC123456', 'ABC123456'],
    ['护照号码：12AB34567', '12AB34567'],
    ['证件号码: C01X00T47 已过期', 'C01X00T47'],
    ['passport: L898902C3', 'L898902C3'],
    ['passportNo=ab1c23456&x=1', 'ab1c23456'],
    ['certNo=ABC123456', 'ABC123456'],
    ['certNo: XYZ98765', 'XYZ98765'],
    ['idNo=ABC123456', 'ABC123456'],
    ['{"idCardNo":"ABC123456"}', 'ABC123456'],
    ['身份证号：ABC123456', 'ABC123456'],
    ['zjhm=ABC123456', 'ABC123456'],
    ['证件号码：ABC123456，批次 20240101123', 'ABC123456'],
    ['row 1234567: certNo=XYZ98765', 'XYZ98765'],
  ])('is masked in %s', (text, number) => {
    expect(maskPassportShapes(text)).not.toContain(number);
    // maskNumberShapes alone reads no text without seven digits in a row (core/personal-shapes.ts).
    for (const shown of [...loggedTexts(text), safeErrorText(text), stored(text)]) {
      expect(shown).not.toContain(number);
      for (let i = 1; i + 4 <= number.length - 1; i++) expect(shown).not.toContain(number.slice(i, i + 4));
    }
  });

  it.each([
    'code ABC123456 printed',
    '证照编号：ABC123456',
    'licenseNo=ABC123456',
    'orderNo=ABC123456',
    'certNo=LB-2024-01',
    'certNo=AB12',
    'idNo=ABCDEFGH',
    '证件号码：LB_SOURCE_SCHEMA',
    '证件号码：格式错误',
    'passport: expired since 2024',
  ])('keeps %s as it was in a log line', (text) => {
    expect(maskNumberShapes(text)).toBe(text);
    expect(loggedTexts(text)).toEqual([text, text]);
  });
});
