/**
 * The Hong Kong SAR's passport (K and eight digits), the electronic passports' two letters (DE, SE,
 * PE), the dotted older numbers (S., P.) and Macao's (MA) were masked in any case and after any K
 * (core/mask.ts, 2068711e), so common serials and references went out cut: a serial K and a date
 * (`K20240101`), a page (`p.1234567`), a lower-case code (`de1234567`). K and eight digits that read
 * as a date (yyyymmdd) are a serial, and the two-letter and dotted series are masked in capitals
 * only, as passports print them. (An error's text still cuts any run of seven or more digits to its
 * last four, core/scrub.ts: `K****0101`.)
 */
import { describe, expect, it } from 'vitest';
import { maskPassportShapes } from '../../core/mask.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';

describe('serials shaped like a passport series', () => {
  it.each(['K20240101', 'k19991231', 'p.1234567', 's.7654321', 'de1234567', 'se1234567', 'ma1234567'])(
    'keeps %s whole in a log line',
    (text) => {
      expect(maskPassportShapes(`serial ${text},`)).toBe(`serial ${text},`);
      expect(maskNumberShapes(`serial ${text},`)).toBe(`serial ${text},`);
    },
  );

  it.each([
    ['K12345678', 'K*******8'],
    ['K20241399', 'K*******9'],
    ['DE1234567', 'D*******7'],
    ['P.1234567', 'P*******7'],
    ['MA1234567', 'M*******7'],
  ])('still masks %s', (number, masked) => {
    expect(maskNumberShapes(`passport ${number},`)).toBe(`passport ${masked},`);
  });
});
