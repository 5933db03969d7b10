/**
 * A credit code whose organisation code is all digits, as a government body's converted one is
 * (`11100000000013338W`, the national definer's; `11220000013544541J`), runs 17 digits before its
 * check char, and was cut to its last four in text from outside while any 15 digits in a row were
 * taken for an old ID number. It is shown whole now when nothing in its digits may be a person's
 * number: not exactly 15 digits, no 16 to 19 a card's Luhn check reads right, no year of birth
 * where an ID number has one, no date of birth or old number's date anywhere, no mobile number's
 * eleven digits (core/legal-entity-code.ts). Made-up numbers; each code built with its part checks
 * (GB 32100, GB 11714) right, so only the person's number can keep it cut.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubPersonal } from '../../core/scrub.js';
import { isValidUscc, usccCheckFor, usccSum } from '../../core/uscc.js';
import { seededDraws } from '../support/seeded-draws.js';

const scrub = (text: string) => scrubPersonal(text, [], () => '***');
const shown = (text: string) => [scrub(text), safeErrorText(text)];

// GB 11714: the organisation code's check char over its eight chars.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const orgCheck = (org: string): string => {
  const sum = ORG_WEIGHTS.reduce((s, w, i) => s + w * Number.parseInt(org[i] as string, 36), 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
};
/** 16 chars (department, kind, division, organisation code) with both check chars after them. */
const built = (first16: string): string => {
  return withCheck(`${first16}${orgCheck(first16.slice(8))}`);
};
/** 17 chars with GB 32100's check char after them. */
const withCheck = (first17: string): string => `${first17}${usccCheckFor(usccSum(`${first17}0`))}`;
/** Whether `code` has both check chars right, as `built` makes them. */
const checksRight = (code: string): boolean => isValidUscc(code) && orgCheck(code.slice(8, 16)) === code[16];

// GB 11643's check char for 17 digits.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheck = (body: string): string =>
  '10X98765432'[ID_WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11] as string;
// A loop, not an array reversed and reduced: the draws below call it some 300,000 times.
const LUHN_DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
const luhnRight = (digits: string): boolean => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    // A letter (a code's X) reads as no digit, as Number('X') is NaN: never right.
    if (d < 0 || d > 9) return false;
    sum += i % 2 === 1 ? (LUHN_DOUBLED[d] as number) : d;
  }
  return sum % 10 === 0;
};

describe('a code whose organisation code is all digits', () => {
  it.each([
    ['definer 11100000000013338W refused', '11100000000013338W'],
    ['issuer 11220000013544541J refused', '11220000013544541J'],
    ['type 11100000000013338W032 unknown', '11100000000013338W032'],
    [
      'license 1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
      '11100000000013338W032.11220000013544541J',
    ],
    ['unit 12210000600079197A refused', '12210000600079197A'],
    ['unit 12440000700012344B refused', '12440000700012344B'],
  ])('is shown whole when nothing in it may be a person’s: %s', (text, code) => {
    expect(checksRight(code.slice(0, 18))).toBe(true);
    for (const out of shown(text)) expect(out).toContain(code);
  });

  // Seeded, so each run draws the same numbers.
  const { rnd, chars, digits } = seededDraws(20261207);
  const letters = (n: number): string => chars(n, 'ABCDEFGHJKLMNPQRTUWY');
  const date = (from: number): string =>
    `${from + rnd(80)}${String(1 + rnd(12)).padStart(2, '0')}${String(1 + rnd(28)).padStart(2, '0')}`;
  const province = () => ['11', '13', '22', '31', '33', '37', '44', '51', '61'][rnd(9)] as string;
  const idNumber = (): string => {
    const body = `${province()}${digits(4)}${date(1930)}${digits(3)}`;
    return `${body}${idCheck(body)}`;
  };
  const oldId = () => `${province()}${digits(4)}${date(1930).slice(2)}${digits(3)}`;
  /** A month of 13 to 32: a date of birth typed wrong, a person's number still. */
  const mistyped = (from: number): string =>
    `${from + rnd(80)}${13 + rnd(20)}${String(1 + rnd(28)).padStart(2, '0')}`;
  const mobile = () => `1${'3456789'[rnd(7)]}${digits(9)}`;
  /** `first` and digits to 15, then the digit making the 16 a card's Luhn check reads right. */
  const card = (first: string): string => {
    const body = `${first}${digits(15 - first.length)}`;
    return `${body}${'0123456789'.split('').find((d) => luhnRight(`${body}${d}`))}`;
  };

  // Each draws a person's number and a code holding it with every part check right, or none.
  const cases: [string, () => [string, string | undefined]][] = [
    [
      'an old ID number, 15 digits alone between letters',
      () => ((old) => [old, withCheck(`A${old}X`)])(oldId()),
    ],
    [
      'an old ID number after the department and kind (91)',
      () => ((old) => [old, built(`91${old.slice(0, 14)}`)])(oldId()),
    ],
    [
      'an old ID number with a mistyped date after the department and kind (91)',
      () =>
        ((old) => [old, built(`91${old.slice(0, 14)}`)])(
          `${province()}${digits(4)}${mistyped(1930).slice(2)}${digits(3)}`,
        ),
    ],
    [
      'an ID number’s first 16 digits with a mistyped date after a letter and the kind',
      () => ((id) => [id, `N1${id}`])(`${province()}${digits(4)}${mistyped(1930)}${digits(2)}`),
    ],
    [
      'an ID number’s last 17 digits after a letter',
      () => ((id) => [id.slice(1, 15), `N${id.slice(1)}`])(idNumber()),
    ],
    ['an ID number’s first 16 digits', () => ((id) => [id.slice(0, 16), built(id.slice(0, 16))])(idNumber())],
    [
      'a card number of 16 digits, an X and a check char',
      () =>
        ((card) => [card, luhnRight(card) && built(card)[16] === 'X' ? built(card) : undefined])(
          `62${province()}${digits(12)}`,
        ),
    ],
    [
      'a card number of 17 digits',
      () =>
        ((code) => [code.slice(0, 17), luhnRight(code.slice(0, 17)) ? code : undefined])(
          built(`91${province()}${digits(12)}`),
        ),
    ],
    // A card's 16 digits inside 17, after the department's digit (3 then a Visa card's 4…) or
    // after a letter and a digit, its last digit the code's check char (A9 then 62…).
    ['a card number after the department', () => ((c) => [c, withCheck(`3${c}`)])(card('4'))],
    ['a card number after a letter and the kind', () => ((c) => [c, `A9${c}`])(card('62'))],
    [
      'a mobile number at the end of 17 digits',
      () => ((tel) => [tel, built(`111100${tel.slice(0, 10)}`)])(mobile()),
    ],
    [
      'a mobile number inside 17 digits, after the division’s first digits',
      () =>
        ((tel) => [tel, built(`${['111', '1111', '11110'][rnd(3)]}${tel}`.padEnd(16, '0').slice(0, 16))])(
          mobile(),
        ),
    ],
    // Eleven digits of a mobile number's shape from the code's kind or its division's first digit
    // on, with digits after them, may be a person's as well as the code's own: cut.
    ['a digit, a mobile number and digits', () => ((tel) => [tel, built(`9${tel}${digits(4)}`)])(mobile())],
    [
      'two digits, a mobile number and digits',
      () => ((tel) => [tel, built(`91${tel}${digits(3)}`)])(`1${'345'[rnd(3)]}${digits(9)}`),
    ],
    [
      'a digit, a mobile number, a digit and letters',
      () => ((tel) => [tel, built(`9${tel}${digits(1)}${letters(3)}`)])(mobile()),
    ],
    [
      'a digit and a mobile number before letters',
      () => ((tel) => [tel, built(`9${tel}${letters(4)}`)])(`13${'1234567'[rnd(7)]}${digits(8)}`),
    ],
    [
      'two digits and a mobile number before letters',
      () => ((tel) => [tel, built(`91${tel}${letters(3)}`)])(`1${'345'[rnd(3)]}${digits(9)}`),
    ],
  ];

  it.each(cases)('is cut when it holds %s (200 built)', (_, draw) => {
    const whole: string[] = [];
    let drawn = 0;
    for (let n = 0; n < 200_000 && drawn < 200; n++) {
      const [secret, code] = draw();
      // Kept only where the code holds the person's number and reads right in every part.
      if (code === undefined || !code.includes(secret) || !checksRight(code) || /^[0-9]{18}$/.test(code))
        continue;
      drawn++;
      const text = `holder ${code} refused`;
      if (shown(text).some((out) => out.includes(secret))) whole.push(text);
    }
    expect(drawn).toBe(200);
    expect(whole).toEqual([]);
  });
});
