/**
 * printsAsDecimal (core/decimal-text.ts) reads a decimal text from the data — a mapping's `number`
 * transform over a source value, SQL Server MONEY text. Its trailing zeros were taken off with
 * `/0+$/`, which is tried at every zero of a run in the middle of the digits and scans each time to
 * the run's end: time quadratic in the run, ~3.6 s for `1`, 40,000 zeros, `1`, ~29 s for 80,000,
 * the read stalled on one value. They are now found by walking in from the end. The old code is
 * kept here as the oracle for what the answer is.
 */
import { describe, expect, it } from 'vitest';
import { printsAsDecimal } from '../../core/decimal-text.js';
import { mulberry32 } from '../../core/seeded-random.js';

function oldDecimalDigits(text: string): string | null {
  const m = /^([+-]?)(?=\.?[0-9])([0-9]*)(?:\.([0-9]*))?(?:e([+-]?[0-9]+))?$/i.exec(text);
  if (!m) return null;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  const all = int + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(lead).replace(/0+$/, '');
  if (digits === '') return '0';
  const power = Number(exp) + int.length - lead;
  return `${sign === '-' ? '-' : ''}0.${digits}e${power}`;
}

const oldPrintsAsDecimal = (n: number, text: string) => {
  const value = oldDecimalDigits(text);
  return value !== null && Number.isFinite(n) && oldDecimalDigits(String(n)) === value;
};

const TABLE: [number, string][] = [
  [0, '0'],
  [0, '000'],
  [0, '0.000'],
  [-0, '-0.0'],
  [0, '.0'],
  [0, '0.'],
  [10, '10'],
  [10, '10.00'],
  [100, '1e2'],
  [100, '1.00e2'],
  [1000, '100e1'],
  [1.5, '001.500'],
  [0.05, '0.0500'],
  [1e21, '1000000000000000000000'],
  [1e21, '1000000000000000000000.000'],
  [1e-7, '0.0000001000'],
  [101, '101'],
  [101, '1010e-1'],
  [0, ''],
  [0, '.'],
  [0, 'e1'],
  [0, '0x0'],
];

// Digits weighted to zeros, so runs of them come up at either end and in the middle.
function randomText(rand: () => number): string {
  const pick = (s: string) => s[Math.floor(rand() * s.length)] as string;
  let t = rand() < 0.3 ? pick('+-') : '';
  const len = Math.floor(rand() * 12);
  for (let i = 0; i < len; i++) t += rand() < 0.6 ? '0' : pick('0123456789.');
  if (rand() < 0.3) t += `${pick('eE')}${rand() < 0.3 ? pick('+-') : ''}${Math.floor(rand() * 30)}`;
  return t;
}

describe('printsAsDecimal over runs of zeros', () => {
  it.each(TABLE)('answers as the old pattern did: %d, %j', (n, text) => {
    expect(printsAsDecimal(n, text)).toBe(oldPrintsAsDecimal(n, text));
  });

  it('answers as the old pattern did over 20,000 random texts', () => {
    const rand = mulberry32(0x5eed);
    // Every text and number answered otherwise, named at once: an expect for each of the 60,000
    // was most of this case's time.
    const differing: [string, number, boolean][] = [];
    for (let i = 0; i < 20_000; i++) {
      const text = randomText(rand);
      // The number the text reads as, and one next to it, so both answers come up.
      for (const n of [Number(text), Number(text) * 10, Number(text) + 1]) {
        const now = printsAsDecimal(n, text);
        if (now !== oldPrintsAsDecimal(n, text)) differing.push([text, n, now]);
      }
    }
    expect(differing).toEqual([]);
  });

  it('reads a long run of zeros inside the digits', () => {
    const run = '0'.repeat(1_000_000);
    expect(printsAsDecimal(1, `1.${run}1`)).toBe(false);
    expect(printsAsDecimal(1, `1.${run}`)).toBe(true);
    expect(printsAsDecimal(Number.POSITIVE_INFINITY, `1${run}1`)).toBe(false);
    expect(printsAsDecimal(1, `0.${run}1e1000001`)).toBe(true);
  });
});
