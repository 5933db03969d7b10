/**
 * Numbers a person is known by, written in groups other than their own: a mobile number with its
 * network code in brackets (`(138) 0013 8000`) or parted by slashes (`138/0013/8000`), an ID number
 * in groups of 6-4-4-4 (`110101 1990 0307 1234`, as a form's boxes print it) or of four
 * (`1101 0119 9003 0712 34`), and groups parted by two spaces or more. None had a shape: each went
 * out whole in a log line, and some in an error's text too.
 */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../core/errors.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const MOBILE = `13${digits(9)}`;
const ID = `1${digits(5)}1990${String(1 + Math.floor(Math.random() * 9)).padStart(2, '0')}1${digits(4)}X`;

const m = (a: number, b: number): string => MOBILE.slice(a, b);
const cases: Record<string, string> = {
  'network code in brackets': `(${m(0, 3)}) ${m(3, 7)} ${m(7, 11)}`,
  'network code in brackets, dash': `(${m(0, 3)})${m(3, 7)}-${m(7, 11)}`,
  slashes: `${m(0, 3)}/${m(3, 7)}/${m(7, 11)}`,
  'two spaces': `${m(0, 3)}  ${m(3, 7)}  ${m(7, 11)}`,
  'ID 6-4-4-4': `${ID.slice(0, 6)} ${ID.slice(6, 10)} ${ID.slice(10, 14)} ${ID.slice(14)}`,
  'ID 4-4-4-4-2': `${ID.slice(0, 4)} ${ID.slice(4, 8)} ${ID.slice(8, 12)} ${ID.slice(12, 16)} ${ID.slice(16)}`,
  'ID 6-8-4, two spaces': `${ID.slice(0, 6)}  ${ID.slice(6, 14)}  ${ID.slice(14)}`,
};

function logged(value: string): string {
  const { logger, lines } = lineLogger();
  logger.info({ reason: `holder ${value} refused` }, 'deliver: refused');
  return lines.join('\n');
}

const hidden = (shown: string, number: string): void => {
  const plain = shown.replace(/[^0-9Xx]/g, '');
  expect(plain, shown).not.toContain(number.slice(3, 11));
};

describe('numbers in groups of other shapes', () => {
  for (const [name, text] of Object.entries(cases)) {
    const number = text.replace(/[^0-9X]/g, '');
    it(`masks ${name} by shape`, () => {
      hidden(maskNumberShapes(`holder ${text} refused`), number);
      hidden(logged(text), number);
      hidden(failureMessage(new Error(`refused: ${text}`)).message, number);
    });
  }

  it('leaves dates, amounts, times, ids and addresses in such groups as they are', () => {
    const kept = [
      '2024/03/07 12:34:56',
      '1 234 567.89',
      '138/2024',
      '12/31/2023',
      '2024 0307 1234',
      '10.138.13.80',
      '1234 5678 9012',
      'GB/T 36904-2018',
      '8f3c2a10-4b7e-4d21-9c3e-2a1b0c9d8e7f',
    ];
    for (const text of kept) expect(maskNumberShapes(text)).toBe(text);
  });
});
