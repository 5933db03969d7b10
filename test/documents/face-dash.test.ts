// A Chinese dash (破折号) is two em dashes, ——, one mark two characters wide; GB/T 15834 and W3C
// clreq keep it whole on one line. The wrap broke between its halves wherever the box ran out:
// `…海韵广场—` ended one line and `—东北角` began the next, two short dashes a reader takes for
// something else. The pair now goes down to the next line whole (a dash may start a line).
import { describe, expect, it } from 'vitest';
import { wrapInBox } from './fixtures.js';

const lines = (value: string, maxLines?: number): string[] => wrapInBox(value, maxLines).map((l) => l.text);

describe('a Chinese dash', () => {
  it('is never split between two lines', () => {
    for (const dash of ['——', '――']) {
      for (let at = 1; at < 11; at++) {
        const value = `${'青'.repeat(at)}${dash}${'海'.repeat(11 - at)}`;
        const laid = lines(value);
        expect(laid.join(''), value).toBe(value);
        expect(
          laid.some((l) => l.includes(dash)),
          `${value}: ${laid.join(' / ')}`,
        ).toBe(true);
      }
    }
  });

  it('goes down whole', () => {
    expect(lines('青青青青青——海海')).toEqual(['青青青青青', '——海海']);
  });
});
