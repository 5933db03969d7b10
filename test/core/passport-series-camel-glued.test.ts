/**
 * A passport number of the D, S or P series or a Hong Kong or Macao travel permit number (H, M)
 * with letters glued before it was masked only standing alone: a record key naming the document in
 * camel case (`passportD1234567`, `permitH01234567`, `abcD1234567`) went out whole in a log line,
 * as those series stay alone where a capital word ends in their letter (`ORDERS1234567`,
 * `ITEM12345678`). A lower-case letter before the series' capital starts a new word: the number is
 * masked there; a word in capitals or in lower case before digits still stays.
 */
import { describe, expect, it } from 'vitest';
import { maskId } from '../../core/mask.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const SEVEN = digits(7);
const EIGHT = digits(8);
const TEN = digits(10);

function logged(value: string): string {
  const { logger, lines } = lineLogger();
  logger.info({ recordKey: value }, 'read');
  return lines.join('\n');
}

describe('passport and permit series glued after a lower-case letter', () => {
  for (const [prefix, number] of [
    ['abc', `D${SEVEN}`],
    ['passport', `D${EIGHT}`],
    ['no', `S${SEVEN}`],
    ['ref', `P${EIGHT}`],
    ['permit', `H${EIGHT}`],
    ['hkm', `M${TEN}`],
  ] as const) {
    it(`masks ${prefix}${number[0]}… in a log line and by shape`, () => {
      const text = `${prefix}${number}`;
      const body = number.slice(1);
      for (const shown of [maskNumberShapes(`key ${text}`), logged(text)]) {
        expect(shown).not.toContain(body.slice(0, -1));
        expect(shown).not.toContain(body.slice(1));
      }
      expect(maskNumberShapes(text)).toBe(`${prefix}${maskId(number)}`);
    });
  }

  it('leaves a capital word or a lower-case letter before digits alone', () => {
    for (const text of [`ORDERS${SEVEN}`, `ITEM${EIGHT}`, `ABH${EIGHT}`, `abcd${SEVEN}`, `items${SEVEN}`])
      expect(maskNumberShapes(text)).toBe(text);
  });
});
