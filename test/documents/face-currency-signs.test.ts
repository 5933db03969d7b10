// A currency sign before an amount (￥100万, €2,000: a registered capital, a fee) belongs with the
// number it prefixes (UAX #14 LB25: PR × NU). The full-width signs and the euro are an em wide, as
// Chinese characters are, and a line broke right after one: `￥` ended a line and `100万元` began the
// next. The sign now goes down to the next line with its amount.
import { describe, expect, it } from 'vitest';
import { wrapInBox } from './fixtures.js';

const lines = (value: string, maxLines?: number): string[] => wrapInBox(value, maxLines).map((l) => l.text);

describe('a currency sign before an amount', () => {
  it.each(['￥', '＄', '￡', '€', '№'])('%s never ends a line', (sign) => {
    for (let at = 1; at < 8; at++) {
      const value = `${'青'.repeat(at)}${sign}100${'海'.repeat(8 - at)}`;
      const laid = lines(value);
      expect(laid.join(''), value).toBe(value);
      expect(
        laid.some((l) => l.includes(`${sign}100`)),
        laid.join(' / '),
      ).toBe(true);
    }
  });

  it('goes down with its amount', () => {
    expect(lines('注册资本人￥100万元')).toEqual(['注册资本人', '￥100万元']);
    expect(lines('注册资本人￥１００万元')).toEqual(['注册资本人', '￥１００万元']);
  });
});
