// A right single quotation mark used as an apostrophe inside a Latin word (McDonald’s, Domino’s:
// a foreign-invested business's name, typed with the curly mark editors put in) is closing
// punctuation, so a line may not start with it; but a line broke right after it, parting the
// word: `青McDonald’` on one line and `s Qingdao` on the next. Between two letters it is part of the
// word (UAX #14 LB19: no break beside a quotation mark), which goes down to the next line whole.
import { describe, expect, it } from 'vitest';
import { wrapInBox } from './fixtures.js';

const lines = (value: string, maxLines?: number): string[] => wrapInBox(value, maxLines).map((l) => l.text);

describe('an apostrophe inside a Latin word', () => {
  it('keeps the word whole, wherever the box runs out', () => {
    for (let n = 0; n < 6; n++) {
      const value = `${'青'.repeat(n)}McDonald’s Qingdao`;
      const laid = lines(value);
      expect(laid.join(''), value).toBe(value);
      expect(
        laid.some((l) => l.includes('McDonald’s')),
        laid.join(' / '),
      ).toBe(true);
    }
    expect(lines('青McDonald’s Qingdao')).toEqual(['青', 'McDonald’s ', 'Qingdao']);
  });

  it('still lets a line break after a closing quotation mark before Chinese text', () => {
    expect(lines('他说：“好好”海海')).toEqual(['他说：“好好”', '海海']);
  });
});
