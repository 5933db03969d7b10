/**
 * A passport number typed in lower case (`e12345678`), or with letters glued before it as a record
 * key names the document (`NoE12345678`, `PPE12345678`), had no passport's shape: an error's text cut
 * only its digits' middle by its digit rule, and a log line showed it whole. Both are masked as a
 * passport number now; a word before digits that holds no passport's letter stays as it is.
 */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../core/errors.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const NUMBER = digits(8);

function logged(value: string): string {
  const { logger, lines } = lineLogger();
  logger.info({ recordKey: value }, 'read');
  return lines.join('\n');
}

describe('passport numbers in lower case or glued to letters', () => {
  for (const text of [
    `e${NUMBER}`,
    `g${NUMBER}`,
    `No${'E'}${NUMBER}`,
    `PP${'E'}${NUMBER}`,
    `no.e${NUMBER}`,
  ]) {
    it(`masks ${text.replace(NUMBER, 'N')} in a log line and an error's text`, () => {
      const shown = [
        maskNumberShapes(`key ${text}`),
        logged(text),
        failureMessage(new Error(`refused ${text}`)).message,
      ];
      for (const s of shown) {
        expect(s).not.toContain(NUMBER.slice(0, 7));
        expect(s).not.toContain(NUMBER.slice(1));
      }
      expect(maskNumberShapes(text)).toMatch(/^(?:No|PP|no\.)?[EeGg]\*{7}[0-9]$/);
    });
  }

  it('leaves a word before seven or eight digits without a passport letter alone', () => {
    for (const text of ['page12345678', 'batch 2024', 'Build 12345678', 'sha1 abc12345678'])
      expect(maskNumberShapes(text)).toBe(text);
  });
});
