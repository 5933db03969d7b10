/**
 * A double quote glued after a digit is an inch or second mark (`5' 10"`, `39°54'20"N`) when no
 * letter follows it (core/quoted-values.ts). Read as opening a value closed before a word, a mark
 * paired with a later quote and left the value quoted after that out of any pair
 * (`size 10" holder "测试戊己"`); read as no opening quote before a letter either, a value glued
 * after a row's number and cut short (`row 3"测试戊己`) went out whole. The marks and the words
 * after them stay.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideQuoted } from '../../core/quoted-values.js';

// Made up: no one's name.
const HAN = '测试戊己';
const PINYIN = 'Ceshi Wuji';
const keep = { backticks: true, keepIdentifiers: true };

describe('a quote after a digit', () => {
  it.each([
    [`size 10" holder "${HAN}" refused`, 'size 10" holder "***" refused'],
    [`size 10" holder "${HAN}"`, 'size 10" holder "***"'],
    [`cut at 40: row 3"${HAN}`, 'cut at 40: row 3"***'],
    [`cut at 40: row 3"${PINYIN}`, 'cut at 40: row 3"***'],
    [`row 3"${HAN}" refused`, 'row 3"***" refused'],
    [`size 10" ${HAN}" refused`, 'size 10"***" refused'],
    [`row 3"${HAN}"已存在`, 'row 3"***"已存在'],
    [`row 3"${HAN}" and 4"${PINYIN}"`, 'row 3"***" and 4"***"'],
  ])('hides the value in %s', (text, hidden) => {
    expect(hideQuoted(text, keep)).toBe(hidden);
    const shown = safeErrorText(text);
    expect(shown).not.toContain('戊己');
    expect(shown).not.toContain('Wuji');
  });

  it.each([
    'height 5\' 10" recorded twice',
    'height 5\'10" recorded twice',
    `at 39°54'20"N 116°23'29"E`,
    'pipe 3/4" thread, 2 m',
  ])('keeps %s whole', (text) => {
    expect(hideQuoted(text, keep)).toBe(text);
    expect(safeErrorText(text)).toBe(text);
  });
});
