// Closing punctuation may not start a line (避头, GB/T 15834 and W3C clreq). The marks kept off a
// line's start were 、，。；：？！）》」』】〕… and their half-width forms, but not the closing
// quotation marks ” and ’, the angle bracket 〉, the full-width ］ and ｝, 〗, nor the signs that
// follow a number (％ ‰ ℃): `他说：“好` ending one line and `”` starting the next, `50` and `％`
// parted. Each now stays at the end of the line before, hanging past the box as the others do.
import { describe, expect, it } from 'vitest';
import { WRAP_BOX, wrapInBox } from './fixtures.js';

const CLOSING = [...'”’〉］｝〗〙〛｠｣％‰℃'];

const { size: SIZE, width: WIDTH } = WRAP_BOX;
const lines = wrapInBox;

describe('closing punctuation', () => {
  it('never starts a line, wherever the box runs out', () => {
    for (const mark of CLOSING) {
      for (let at = 1; at < 12; at++) {
        const value = `${'青'.repeat(at)}${mark}${'海'.repeat(12 - at)}`;
        const laid = lines(value);
        expect(laid.map((l) => l.text).join(''), value).toBe(value);
        for (const line of laid) {
          expect(line.text.startsWith(mark), `${value}: ${line.text}`).toBe(false);
          // One mark hangs past the box, no more.
          expect(line.width, value).toBeLessThanOrEqual(WIDTH + SIZE + 1e-9);
        }
      }
    }
  });

  it('stays at the end of the line it closes', () => {
    expect(lines('他说：“好好”海').map((l) => l.text)).toEqual(['他说：“好好”', '海']);
    expect(lines('同比增长五十％').map((l) => l.text)).toEqual(['同比增长五十％']);
  });
});
