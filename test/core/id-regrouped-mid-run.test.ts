/**
 * An ID number in groups that are not its own (`1101 0519 9001 0112 34`, `110105 1990 0101 1234`)
 * was read only from the first group of a run of digit groups: with another group before it (a
 * year, a box number, `ref 2024 1101 0519 …`) or after it, the run was taken as one number, no ID
 * number's, and the ID went out whole in a log line and by shape. Each stretch of whole groups in a
 * run is read now; a run holding no ID number's digits (a card number, a date and time) stays.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChar = (first17: string): string =>
  '10X98765432'.charAt(WEIGHTS.reduce((sum, w, i) => sum + w * Number(first17[i]), 0) % 11);
// Made up: area 110105, a birth date in 1990, a random sequence, its GB 11643 check char.
const FIRST17 = `1101051990${String(1 + Math.floor(Math.random() * 9)).padStart(2, '0')}1${digits(1)}${digits(3)}`;
const ID = `${FIRST17}${checkChar(FIRST17)}`;

const fours = (sep: string): string =>
  [ID.slice(0, 4), ID.slice(4, 8), ID.slice(8, 12), ID.slice(12, 16), ID.slice(16)].join(sep);
const sixFours = (sep: string): string =>
  [ID.slice(0, 6), ID.slice(6, 10), ID.slice(10, 14), ID.slice(14)].join(sep);

function logged(value: string): string {
  const { logger, lines } = lineLogger();
  logger.info({ reason: value }, 'deliver: refused');
  return lines.join('\n');
}

const hidden = (shown: string): void => {
  const plain = shown.replace(/[^0-9Xx]/g, '');
  expect(plain, shown).not.toContain(ID.slice(4, -4));
};

describe('an ID number in groups part-way through a run of groups', () => {
  for (const [name, text] of [
    ['a year before, spaces', `ref 2024 ${fours(' ')}`],
    ['a group before, dashes', `box 7 2024-${fours('-')}`],
    ['a group after', `holder ${fours(' ')} 0001 refused`],
    ['groups before and after', `no. 12 2024 ${fours(' ')} 88 refused`],
    ['6-4-4-4 after a year', `ref 2024 ${sixFours(' ')}`],
    ['6-4-4-4 with a group after', `${sixFours('-')}-0001`],
  ] as const) {
    it(`masks it: ${name}`, () => {
      const shown = maskNumberShapes(text);
      hidden(shown);
      hidden(logged(text));
      expect(shown.length).toBe(text.length);
    });
  }

  it('masks only the ID number, the groups around it stay', () => {
    expect(maskNumberShapes(`ref 2024 ${fours(' ')} 0001`)).toBe(
      `ref 2024 1101 **** **** **${ID.slice(14, 16)} ${ID.slice(16)} 0001`,
    );
  });

  it('reads a number born 2001-2012 as the 18-digit number, not the 15-digit one its first groups make', () => {
    const first17 = `11010520050310${digits(3)}`;
    const id = `${first17}${checkChar(first17)}`;
    const threes = [id.slice(0, 6), ...(id.slice(6).match(/.{3}/g) ?? [])].join(' ');
    expect(maskNumberShapes(`holder ${threes}`)).toBe(
      `holder 1101** *** *** **${id.slice(14, 15)} ${id.slice(15)}`,
    );
  });

  it('leaves runs of groups holding no ID number as they are', () => {
    for (const text of [
      '6222 0212 3456 7890 123',
      '2024 05 06 12 30 45',
      '1 234 567 890 123 456 789',
      '2024 1101 0519 0013 0112 34',
    ])
      expect(maskNumberShapes(text)).toBe(text);
  });
});
