/**
 * One rule for "this number is that decimal text exactly", shared by the `number` transform and
 * SQL Server MONEY text: the number's shortest text spells the same decimal, formatting aside.
 */
import { describe, expect, it } from 'vitest';
import { printsAsDecimal } from '../../core/decimal-text.js';

describe('printsAsDecimal', () => {
  it('takes leading zeros, trailing fraction zeros, a plus sign, exponents and -0 as formatting', () => {
    expect(printsAsDecimal(-12.34, '-0012.3400')).toBe(true);
    expect(printsAsDecimal(3, '+3')).toBe(true);
    expect(printsAsDecimal(-0, '-0.0000')).toBe(true);
    expect(printsAsDecimal(1e21, '1000000000000000000000')).toBe(true);
    expect(printsAsDecimal(1e-7, '0.0000001')).toBe(true);
    expect(printsAsDecimal(0.5, '.5')).toBe(true);
  });

  it('refuses a number that rounded the text, and text that is no decimal', () => {
    // 674685308101.2956 reads as the double nearest 674685308101.2957.
    expect(printsAsDecimal(Number('674685308101.2956'), '674685308101.2956')).toBe(false);
    expect(printsAsDecimal(674685308101.2957, '674685308101.2957')).toBe(true);
    expect(printsAsDecimal(Number('0.12345678901234567890'), '0.12345678901234567890')).toBe(false);
    expect(printsAsDecimal(0, '')).toBe(false);
    expect(printsAsDecimal(Number.NaN, 'NaN')).toBe(false);
    expect(printsAsDecimal(Number.POSITIVE_INFINITY, `1${'0'.repeat(400)}`)).toBe(false);
  });
});
