/**
 * An invisible character inside a number (a zero-width space, a soft hyphen, a byte order mark
 * pasted from a web form) is read across, so the number is masked by its shape. Percent-encoded,
 * as a URL's query or a form body carries it (`id=110105%E2%80%8B19491231…`), it split the number
 * into runs too short for any shape, and a log line showed it whole. Read across now as well.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const body = `110105${1950 + Math.floor(Math.random() * 60)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}${digits(3)}`;
const ID = `${body}${'10X98765432'[WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11]}`;
const MOBILE = `139${digits(8)}`;

const ENCODED_INVISIBLES = [
  '%E2%80%8B',
  '%e2%80%8b',
  '%C2%AD',
  '%EF%BB%BF',
  '%E2%81%A0',
  '%E2%80%8B%E2%80%8C',
];

function logged(value: string): string {
  const { logger, lines } = lineLogger();
  logger.info({ query: value }, 'verify');
  logger.info(`verify ${value}`);
  return lines.join('\n');
}

describe('a percent-encoded invisible character inside a number', () => {
  for (const invisible of ENCODED_INVISIBLES) {
    it(`reads an ID and a mobile number across ${invisible}`, () => {
      const id = `id=${ID.slice(0, 6)}${invisible}${ID.slice(6)}&type=1`;
      const phone = `tel=${MOBILE.slice(0, 3)}${invisible}${MOBILE.slice(3, 7)}${invisible}${MOBILE.slice(7)}`;
      for (const shown of [maskNumberShapes(id), logged(id)]) expect(shown).not.toContain(ID.slice(6, 14));
      for (const shown of [maskNumberShapes(phone), logged(phone)])
        expect(shown).not.toContain(MOBILE.slice(3, 7));
    });
  }

  it('leaves an encoded visible character between digits as it is', () => {
    expect(maskNumberShapes('q=1234%E4%B8%AD5678')).toBe('q=1234%E4%B8%AD5678');
    expect(maskNumberShapes('page=12%E2%80%8B3')).toBe('page=12%E2%80%8B3');
  });
});
