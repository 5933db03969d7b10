// A no-break space (U+00A0; U+202F narrow, U+2007 figure space) joins the characters on each side
// (UAX #14 class GL): `第 3 号`, `王 海` typed in Word or a web form that keeps the two together.
// Between Chinese characters, where a line may otherwise break anywhere, the wrap broke right
// after one (`…青 ` ending a line, the name parted from its other half) or right before it (the
// next line starting with a blank). A line now breaks before the character the no-break space
// follows, so the two sides go down together, and stays within its box.
import { describe, expect, it } from 'vitest';
import { WRAP_BOX, wrapInBox } from './fixtures.js';

const { size: SIZE, width: WIDTH } = WRAP_BOX;
const lines = wrapInBox;

describe('a no-break space beside Chinese characters', () => {
  it('never ends or starts a line, at any place in a line', () => {
    for (const nbsp of ['\u00A0', '\u202F', '\u2007']) {
      for (let at = 1; at < 12; at++) {
        const value = `${'青'.repeat(at)}${nbsp}${'海'.repeat(12 - at)}`;
        const laid = lines(value);
        expect(laid.map((l) => l.text).join(''), value).toBe(value);
        for (const line of laid) {
          expect(line.text, value).not.toMatch(/^[\u00A0\u202F\u2007]|[\u00A0\u202F\u2007]$/);
          expect(line.width, value).toBeLessThanOrEqual(WIDTH + 1e-9);
        }
      }
    }
  });

  it('takes the characters on both sides down to the next line together', () => {
    expect(lines('青青青青青\u00A0海海').map((l) => l.text)).toEqual(['青青青青', '青\u00A0海海']);
    expect(lines('青青青青青青\u00A0海').map((l) => l.text)).toEqual(['青青青青青', '青\u00A0海']);
  });
});
