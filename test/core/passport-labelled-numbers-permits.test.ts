/**
 * A document number after a label naming it, in the forms passport-labelled-numbers left out: the
 * Mainland's exit-entry permits for Hong Kong and Macao (往来港澳通行证: C and eight digits, the card;
 * W and eight, the booklet before it) and for Taiwan (往来台湾通行证: T and eight digits, or eight
 * digits), a label in lenticular or full-width square brackets (`证件号码【…】`, `证件号码［…］`) or
 * with a space inside (`护照 号`), the English `travel document no.`, and a number of digits alone
 * after 证件号码 (a foreign passport's, or a permit's). Those went out whole in a log line, and some
 * cut to their last digits in an error's text (`K****0312`). Bare, and after another label, they
 * stay: an eight-digit run is a date or an amount as often, and a C or W with digits a code.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { everywhere, loggedTexts } from '../logging/labelled-fixture.js';

/** Every run of four of `number`'s characters from its second on: none may stay in a masked text. */
function fourRuns(number: string): string[] {
  const runs: string[] = [];
  for (let i = 1; i + 4 <= number.length; i++) runs.push(number.slice(i, i + 4));
  return runs;
}

describe('a document number after its label, in the forms first left out', () => {
  it.each([
    ['港澳通行证号码：C12345678', 'C12345678'],
    ['证件号码：C12345678', 'C12345678'],
    ['通行证号：C12345678', 'C12345678'],
    ['通行证号码：c12345678', 'c12345678'],
    ['港澳通行证号码：W12345678', 'W12345678'],
    ['通行证号：T12345678', 'T12345678'],
    ['往来台湾通行证号码：12345678', '12345678'],
    ['证件号码【K19850312】', 'K19850312'],
    ['证件号码［K19850312］', 'K19850312'],
    ['证件号码[C12345678]', 'C12345678'],
    ['护照 号：K19850312', 'K19850312'],
    ['证件 号码：K19850312', 'K19850312'],
    ['travel document no. K19850312', 'K19850312'],
    ['Travel Document No: de1234567', 'de1234567'],
    ['证件号码: 1234567890', '1234567890'],
    ['证件号码：12345678', '12345678'],
  ])('is masked in %s', (text, number) => {
    for (const out of everywhere(text)) {
      expect(out).not.toContain(number);
      for (const run of fourRuns(number)) expect(out).not.toContain(run);
    }
  });
});

describe('the same shapes bare or after another label', () => {
  it.each([
    'code C12345678 printed',
    'batch W12345678 done',
    'order T12345678',
    '证照编号：C12345678',
    '证件号码: 1234567',
    'amount 12345678 yuan',
    '证件类型【身份证】',
    'document no. K20240101',
  ])('keeps %s as it was in a log line', (text) => {
    expect(maskNumberShapes(text)).toBe(text);
    for (const out of loggedTexts(text)) expect(out).toBe(text);
  });
});
