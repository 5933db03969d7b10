/**
 * Whether a mobile or passport number's shape lies in a UUID (a run id holding `…-13812345678a`,
 * `D1234567-…`) is judged from the text around it: it was judged by finding every UUID of the whole
 * text again for each shape found, so a long line of them (a batch's report, a platform's list of
 * refused items) took time growing with the square of its length. Counted, not timed: the
 * characters regular expressions ran over stay in proportion to the text, and a long line is
 * masked as its parts are one by one.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { scrubPersonal } from '../../core/scrub.js';
import { regexpScans } from './regexp-scans.js';

// Made up: mobile numbers and a passport number beside run ids whose groups hold such shapes.
const PARTS = [
  'tel 13800138000 run 9f1c2d4e-1381-4234-8567-13812345678a; ',
  'passport E12345678 job D1234567-0B3C-4D5E-8F90-123456789ABC; ',
  'repair-5c2d4e6f-1390-4234-8567-13912345678b from 139-1234-5678; ',
];
const line = (n: number): string => Array.from({ length: n }, (_, i) => PARTS[i % PARTS.length]).join('');

describe('a long line of numbers beside UUIDs', () => {
  it('is masked as its parts are', () => {
    const masked = PARTS.map((p) => maskNumberShapes(p));
    expect(masked[0]).toBe('tel *******8000 run 9f1c2d4e-1381-4234-8567-13812345678a; ');
    expect(masked[1]).toBe('passport E*******8 job D1234567-0B3C-4D5E-8F90-123456789ABC; ');
    expect(maskNumberShapes(line(600))).toBe(
      Array.from({ length: 600 }, (_, i) => masked[i % PARTS.length]).join(''),
    );
  });

  it('is read a number of times that does not grow with its length', () => {
    for (const mask of [maskNumberShapes, (t: string) => scrubPersonal(t, [], () => '***')]) {
      const per = (n: number): number => regexpScans(() => mask(line(n))).chars / line(n).length;
      const short = per(30);
      const long = per(600);
      // Twenty times the text, about the same reads per character (not twenty times as many).
      expect(long).toBeLessThan(short * 2);
    }
  });
});

// A mobile number's shape glued to letters, again and again (`a13800000000a13800000001…`), and
// passport numbers' shapes joined by dashes (`E00000000-E00000001-…`, a hex run throughout).
const glued = (n: number): string =>
  Array.from({ length: n }, (_, i) => `a138${String(100_000_000 + i).slice(1)}`).join('');
const dashed = (n: number): string =>
  `x ${Array.from({ length: n }, (_, i) => `E${String(100_000_000 + i).slice(1)}`).join('-')}`;

describe('a long run of letters and digits', () => {
  it('is masked as its parts are', () => {
    expect(maskNumberShapes(glued(3))).toBe('a*******0000a*******0001a*******0002');
    expect(maskNumberShapes(dashed(600))).toBe(dashed(600));
  });

  it('is read a number of times that does not grow with its length', () => {
    for (const text of [glued, dashed]) {
      const per = (n: number): number => {
        const scans = regexpScans(() => maskNumberShapes(text(n)));
        return (scans.calls + scans.chars) / text(n).length;
      };
      expect(per(600)).toBeLessThan(per(30) * 2);
    }
  });
});
