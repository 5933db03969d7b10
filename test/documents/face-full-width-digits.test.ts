// Full-width digits (U+FF10–U+FF19: the `fullWidth` transform's output, a legacy system's
// full-width numbers) are an em wide, as Chinese characters are, and the wrap broke between any two
// of them: a year, a licence number or an amount printed in two pieces (`２０` / `２４年`). Digits
// hold together (UAX #14 LB25, NU × NU): a number goes down to the next line whole, broken inside
// only when no whole line holds it; a line still breaks between a number and the Chinese beside it.
import { describe, expect, it } from 'vitest';
import { wrapInBox } from './fixtures.js';

const lines = (value: string, maxLines?: number): string[] => wrapInBox(value, maxLines).map((l) => l.text);

describe('full-width digits', () => {
  it('keep a number on one line', () => {
    for (let at = 1; at < 6; at++) {
      const value = `${'青'.repeat(at)}２０２４年${'海'.repeat(10 - at)}`;
      const laid = lines(value);
      expect(laid.join(''), value).toBe(value);
      expect(
        laid.some((l) => l.includes('２０２４')),
        `${value}: ${laid.join(' / ')}`,
      ).toBe(true);
    }
    expect(lines('有效期至２０２９年０５月')).toEqual(['有效期至', '２０２９年', '０５月']);
  });

  it('are broken inside a number only when no line holds it', () => {
    expect(lines('青１２３４５６７８９０')).toEqual(['青１２３４５', '６７８９０']);
  });
});
