/**
 * An apostrophe glued after a digit opened no value (core/quoted-values.ts), as in `1990's` or
 * `5'10"`, so a name quoted right after a row's number went out whole (`row 3'张三'`, and `row
 * 3'张三` cut short). Before a letter it opens one now, but for `'s` and a compass point standing
 * alone (`39°54'N`); before a digit it stays a foot or minute mark.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';

// Made up: no one's name.
const HAN = '测试戊己';

describe('an apostrophe after a digit', () => {
  it.each([
    [`row 3'${HAN}'`, "row 3'***'"],
    [`row 3'${HAN}' refused`, "row 3'***' refused"],
    [`row 3'${HAN}'已存在`, "row 3'***'已存在"],
    [`row 3'Ceshi Wuji' refused`, "row 3'***' refused"],
    [`cut at 40: row 3'${HAN}`, "cut at 40: row 3'***"],
  ])('%s reads %s, and again the same', (text, shown) => {
    const once = safeErrorText(text);
    expect(once).toBe(shown);
    expect(safeErrorText(once)).toBe(once);
  });

  it.each([
    "the 1990's rules",
    'height 5\'10" recorded twice',
    "at 39°54'N 116°23'E",
    `at 39°54'20"N 116°23'29"E`,
  ])('keeps %s whole', (text) => {
    expect(safeErrorText(text)).toBe(text);
  });
});
