/**
 * A resident ID number typed wrong (a month 24, a day 83) reads as no ID number by shape, so only
 * its label tells whose it is: after 身份证号码 or 公民身份号码 a log line showed it whole, as it did
 * one ending in X after 证件号码 (the rule for eight digits or more after a person's document label
 * took no check letter). Made-up numbers.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';

describe('a mistyped ID number after its label', () => {
  it.each([
    ['身份证号码：341102198724151234', '341102198724151234'],
    ['公民身份号码：611102197702830784与姓名不符', '611102197702830784'],
    ['身份证号341102198724151234', '341102198724151234'],
    ['证件号码：34110219872415123X', '34110219872415123X'],
    ['身份证号码：34110219872415123x', '34110219872415123x'],
  ])('is masked in a log line and in error text: %s', (text, number) => {
    for (const shown of [maskNumberShapes(text), safeErrorText(text)]) {
      expect(shown).not.toContain(number);
      expect(shown).not.toMatch(/[0-9]{5}/);
    }
  });

  it('leaves a license number after another label as it is', () => {
    expect(maskNumberShapes('证照编号：JY23702111234567')).toBe('证照编号：JY23702111234567');
  });
});
