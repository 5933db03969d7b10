/**
 * safeErrorText masks a text until a pass changes nothing, and the second pass reads the first's
 * `***`. After a digit a quote is an inch or second mark unless a letter follows it
 * (core/quoted-values.ts): the mask's `*` is no letter, so the second pass paired an inch mark
 * with the quote before a mask, and read the quote after the mask as one never closed, hiding the
 * words after it (`size 10" holder "***" refused` → `size 10"***"***"***`).
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';

// Made up: no one's name.
const HAN = '测试戊己';

describe('a quote after a digit, masked twice', () => {
  it.each([
    [`size 10" holder "${HAN}" refused`, 'size 10" holder "***" refused'],
    [`row 3"${HAN}"已存在`, 'row 3"***"已存在'],
    [`size 5" ${HAN}"`, 'size 5"***"'],
    [`size 10" ${HAN}" refused`, 'size 10"***" refused'],
  ])('%s reads %s, and again the same', (text, shown) => {
    const once = safeErrorText(text);
    expect(once).toBe(shown);
    expect(safeErrorText(once)).toBe(once);
  });

  it.each(['height 5\' 10" recorded twice', `at 39°54'20"N 116°23'29"E`])('keeps %s whole', (text) => {
    expect(safeErrorText(text)).toBe(text);
  });
});
