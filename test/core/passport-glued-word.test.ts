/**
 * Letters glued before an E or G and eight digits count as a record key naming a passport
 * (`PPE12345678`, `NoE12345678`), so a word in capitals ending in E or G and a number glued to it
 * (`LICENSE12345678`, a license's key) was masked as a passport (`LICENSE*******8`) in a log line,
 * a report and a worklist. A capital word of a short list, standing alone and whole, now keeps
 * its number; a passport number is still masked wherever the letters before it are anything else:
 * another word, the word with a letter more or less, a separator, a lower-case letter, a Han
 * character, full-width or with an invisible character inside.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const EIGHT = digits(8);
const SEVEN = digits(7);
const fullWidth = (s: string): string =>
  s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function logged(value: string): string {
  const { logger, lines } = lineLogger();
  logger.info({ recordKey: value }, 'read');
  return lines.join('\n');
}

describe('a capital word glued to digits', () => {
  for (const key of [`LICENSE${EIGHT}`, `LICENCE${EIGHT}`, `CONFIG${EIGHT}`, `MESSAGE${EIGHT}`]) {
    it(`keeps ${key.replace(/[0-9]+$/, '…')} whole`, () => {
      expect(maskNumberShapes(`key ${key} read`)).toBe(`key ${key} read`);
      expect(maskNumberShapes(`key ${fullWidth(key)}`)).toBe(`key ${fullWidth(key)}`);
      expect(maskNumberShapes(`license_no=${key}`)).toBe(`license_no=${key}`);
      expect(logged(key)).toContain(key);
    });
  }
});

describe('a passport number glued to letters', () => {
  const masked = [
    `passportE${EIGHT}`,
    `NO.E${EIGHT}`,
    `护照E${EIGHT}`,
    `PPE${EIGHT}`,
    `NoE${EIGHT}`,
    `HZE${EIGHT}`,
    `LICENSEE${EIGHT}`,
    `LICENSEG${EIGHT}`,
    `LICENSE_E${EIGHT}`,
    `LICENSE-E${EIGHT}`,
    `LICENS\u200BE${EIGHT}`,
    `LICENSE\u200BE${EIGHT}`,
    `xLICENSE${EIGHT}`,
    `1LICENSE${EIGHT}`,
    `LICENSEEA${SEVEN}`,
    `PASSPORTE${EIGHT}`,
    `ZHENGG${EIGHT}`,
  ];
  for (const text of masked) {
    it(`masks ${JSON.stringify(text.replace(/[0-9]+$/, '…'))}`, () => {
      const body = text.replace(/^.*?([0-9]+)$/, '$1');
      for (const shown of [
        maskNumberShapes(`key ${text}`),
        maskNumberShapes(fullWidth(text)),
        logged(text),
      ]) {
        expect(shown).not.toMatch(new RegExp(`${body.slice(0, -1)}|${body.slice(1)}`));
        expect(shown).not.toMatch(new RegExp(`${fullWidth(body.slice(0, -1))}|${fullWidth(body.slice(1))}`));
      }
    });
  }
});
