/**
 * An error's text is made one line before it is masked, every run of white space a single space
 * (core/error-text.ts). JavaScript's `\s` holds U+FEFF, the zero-width no-break space a byte order
 * mark becomes inside text joined from files, and so a number with one inside was parted by a space
 * before any shape was looked for: a licbridge error printed by the CLI showed
 * `110105 194912310021` whole, and a driver's error the area code and last four
 * (`110105 ********0021`), while maskNumberShapes and scrubPersonal, which read across invisible
 * characters, masked the same text. The character is dropped now, as it shows nothing.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';

const BOM = '\uFEFF';

describe('a zero-width no-break space inside a number in an error text', () => {
  it.each([
    [`110105${BOM}194912310021`, '1101**********0021'],
    [`11010519491231${BOM}0021`, '1101**********0021'],
    [`138${BOM}00138000`, '*******8000'],
    [`E1234${BOM}5678`, 'E*******8'],
  ])('%s is masked as the number is', (number, masked) => {
    const text = `source S: holder ${number} refused`;
    expect(safeErrorText(text, { numbers: 'shapes' })).toBe(`source S: holder ${masked} refused`);
    const all = safeErrorText(text);
    expect(all).not.toMatch(/110105|1012310|0013|2345/);
    expect(safeErrorText(all)).toBe(all);
  });

  it('is dropped between words, other white space still made one space', () => {
    expect(safeErrorText(`table${BOM}T_XKZ\u3000not\u00a0found`)).toBe('tableT_XKZ not found');
  });
});
