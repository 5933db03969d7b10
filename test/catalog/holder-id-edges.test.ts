/**
 * Holder id checks at their edges: each rule alone rejecting an id, the reason and the masked
 * id in each message, and "today" following the clock across midnight (a fake clock, no waits).
 *
 * Vectors computed with python3 on this machine, not with the code under test:
 *   GB 11643: def rc(b): return '10X98765432'[sum(int(c)*pow(2,17-i,11) for i,c in enumerate(b))%11]
 *   GB 32100: A='0123456789ABCDEFGHJKLMNPQRTUWXY'; s=sum(A.index(c)*pow(3,i,31) for i,c in enumerate(b));
 *             c=31-s%31; A[0 if c==31 else c]
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  checkHolderId,
  holderIdTypeOfShape,
  isCalendarDate,
  isValidResidentId,
  isValidUscc,
  normaliseResidentId,
  residentIdCheckChar,
  upgradeResidentId15,
  usccCheckChar,
} from '../../catalog/holder-id.js';

// rc('11010520260101123') etc.: born on the given day, each with its correct check char.
const BORN_2026_01_01 = '110105202601011230';
const BORN_2026_01_02 = '110105202601021236';
const BORN_2026_12_31 = '110105202612311239';
const BORN_1850_01_01 = '110105185001011235';
const BORN_1849_12_31 = '110105184912311234';
const BORN_2024_02_29 = '110105202402291233';
const BORN_2023_02_29 = '110105202302291236'; // correct check char, impossible date
const USCC = '91370406L24894136J';

const JAN_1_2026 = new Date(2026, 0, 1);

describe('resident id: each rule alone', () => {
  it('the birth date must be real, from 1850 to today', () => {
    expect(isValidResidentId(BORN_2026_01_01, JAN_1_2026)).toBe(true);
    expect(isValidResidentId(BORN_2026_01_02, JAN_1_2026)).toBe(false);
    expect(isValidResidentId(BORN_1850_01_01, JAN_1_2026)).toBe(true);
    expect(isValidResidentId(BORN_1849_12_31, JAN_1_2026)).toBe(false);
    expect(isValidResidentId(BORN_2024_02_29, JAN_1_2026)).toBe(true);
    expect(isValidResidentId(BORN_2023_02_29, JAN_1_2026)).toBe(false);
    // Later in the year the date is no longer in the future; the month and day count, not only the year.
    expect(isValidResidentId(BORN_2026_12_31, new Date(2026, 11, 30))).toBe(false);
    expect(isValidResidentId(BORN_2026_12_31, new Date(2026, 11, 31))).toBe(true);
    expect(isValidResidentId(BORN_2026_01_02, new Date(2026, 0, 2))).toBe(true);
  });

  it('each problem has its own code and names the rule, with the id masked', () => {
    const date = checkHolderId('111', BORN_2026_01_02, JAN_1_2026);
    expect(date).toEqual({
      code: 'LB_HOLDER_ID_DATE',
      message:
        'resident id 1101**********1236 fails the date check: digits 7-14 are not a real birth date (yyyymmdd, 1850 to today; GB 11643)',
    });
    const check = checkHolderId('111', '110105202601011231', JAN_1_2026);
    expect(check).toEqual({
      code: 'LB_HOLDER_ID_CHECK',
      message:
        "resident id 1101**********1231 fails the check-char check: expected 1101**********1230 (check char 0, GB 11643); a typing error in the source, or another person's number",
    });
    const format = checkHolderId('111', '11010520260101123Y', JAN_1_2026);
    expect(format?.code).toBe('LB_HOLDER_ID_FORMAT');
    expect(format?.message).toBe(
      'resident id 1101**********123Y fails the format check: expected 17 digits + check char 0-9 or X (GB 11643; the idNumber transform upgrades 15-digit numbers)',
    );
    // Anchored: one digit more or a prefix fails the format too.
    expect(checkHolderId('111', `${BORN_2026_01_01}0`, JAN_1_2026)?.code).toBe('LB_HOLDER_ID_FORMAT');
    expect(checkHolderId('111', `a${BORN_2026_01_01}`, JAN_1_2026)?.code).toBe('LB_HOLDER_ID_FORMAT');
  });

  it('check char, upgrade and normalising refuse what they cannot handle', () => {
    expect(() => residentIdCheckChar('1101051949123100')).toThrow('resident id: need 17 digits');
    expect(() => residentIdCheckChar('1101051949123100a')).toThrow(RangeError);
    expect(() => residentIdCheckChar('x11010519491231002')).toThrow(RangeError);
    expect(() => residentIdCheckChar('110105194912310021')).toThrow(RangeError); // 18 digits
    // A number is not an id, even one with 18 digits.
    expect(isValidResidentId(110105194912310020 as unknown as string)).toBe(false);
    expect(() => upgradeResidentId15('11010549123100')).toThrow('resident id: a 15-digit number is needed');
    expect(() => upgradeResidentId15('1101054912310021')).toThrow('resident id: a 15-digit number is needed');
    expect(() => upgradeResidentId15('x11010549123100')).toThrow('resident id: a 15-digit number is needed');
    // Only a trailing x is upper-cased; 16 digits are left as they are (no upgrade, no check).
    expect(normaliseResidentId('x10105194912310021')).toBe('x10105194912310021');
    expect(normaliseResidentId('1101054912310021')).toBe('1101054912310021');
  });
});

describe('isCalendarDate', () => {
  it('whole numbers only, years 1 to 9999, months 1 to 12, days from 1', () => {
    expect(isCalendarDate(1, 1, 1)).toBe(true);
    expect(isCalendarDate(9999, 12, 31)).toBe(true);
    expect(isCalendarDate(0, 1, 1)).toBe(false);
    expect(isCalendarDate(10000, 1, 1)).toBe(false);
    expect(isCalendarDate(2024, 0, 1)).toBe(false);
    expect(isCalendarDate(2024, 13, 1)).toBe(false);
    expect(isCalendarDate(2024, 1, 0)).toBe(false);
    expect(isCalendarDate(2024.5, 1, 1)).toBe(false);
    expect(isCalendarDate(2024, 1.5, 1)).toBe(false);
    expect(isCalendarDate(2024, 1, 1.5)).toBe(false);
  });
});

describe('today follows the clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // Beijing wall-clock time as an instant (China Standard Time is UTC+8 all year).
  const beijing = (y: number, m: number, d: number, h: number, mi: number, s: number, ms = 0) =>
    new Date(Date.UTC(y, m, d, h - 8, mi, s, ms));
  it('a birth date becomes valid at midnight in Beijing and not before, and the cache goes back too', () => {
    vi.useFakeTimers();
    vi.setSystemTime(beijing(2026, 0, 1, 23, 59, 59));
    expect(isValidResidentId(BORN_2026_01_01)).toBe(true);
    expect(isValidResidentId(BORN_2026_01_02)).toBe(false);
    vi.setSystemTime(beijing(2026, 0, 2, 0, 0, 0));
    expect(isValidResidentId(BORN_2026_01_02)).toBe(true);
    vi.setSystemTime(beijing(2026, 0, 2, 23, 59, 59, 999));
    expect(isValidResidentId(BORN_2026_01_02)).toBe(true);
    // A clock set back (or another test's fake date) is not answered from the cache.
    vi.setSystemTime(beijing(2026, 0, 1, 0, 0, 0));
    expect(isValidResidentId(BORN_2026_01_02)).toBe(false);
    expect(isValidResidentId(BORN_2026_01_01)).toBe(true);
    vi.setSystemTime(beijing(2025, 11, 31, 23, 59, 59, 999));
    expect(isValidResidentId(BORN_2026_01_01)).toBe(false);
  });
});

describe('unified social credit code', () => {
  it('says which char is outside the alphabet, counting from 1', () => {
    expect(() => usccCheckChar('91370406I24894136')).toThrow('uscc: char 9 is not in the GB 32100 alphabet');
    expect(() => usccCheckChar('I1370406L24894136')).toThrow('uscc: char 1 is not in the GB 32100 alphabet');
    expect(() => usccCheckChar('91370406L2489413')).toThrow('uscc: need 17 chars, got 16');
    // A char code above 127 is outside the alphabet, not an index past the table.
    expect(() => usccCheckChar('91370406L2489413\u0130')).toThrow('uscc: char 17 is not');
    expect(() => usccCheckChar('91370406L2489413\u0080')).toThrow('uscc: char 17 is not');
    // Σ = 0 is a sum like any other: 31 − 0 = 31 → '0' (python3 above gives '000000000000000000').
    expect(usccCheckChar('00000000000000000')).toBe('0');
    expect(isValidUscc('000000000000000000')).toBe(true);
  });

  it('needs 18 chars, all in the alphabet, the last one the check char', () => {
    expect(isValidUscc(USCC)).toBe(true);
    expect(isValidUscc(`${USCC}0`)).toBe(false);
    expect(isValidUscc(USCC.slice(0, 17))).toBe(false);
    expect(isValidUscc(42 as unknown as string)).toBe(false);
    expect(isValidUscc(Array.from(USCC) as unknown as string)).toBe(false); // 18 long, not text
    // 'I' (not in the alphabet) and 'i' as the check char; lowercase is not accepted anywhere.
    expect(isValidUscc('91370406L24894136I')).toBe(false);
    expect(isValidUscc('91370406L24894136j')).toBe(false);
    expect(isValidUscc('91370406l24894136J')).toBe(false);
  });

  it('names the reason a code fails, with the code masked', () => {
    expect(checkHolderId('001', USCC)).toBeNull();
    expect(checkHolderId('001', '91370406l24894136J')).toEqual({
      code: 'LB_HOLDER_ID_FORMAT',
      message:
        'credit code 9137**********136J fails the format check: expected 18 chars 0-9 A-Z (GB 32100), written in lower case, full-width characters or with spaces, which the trim, halfWidth and upper transforms bring to this form',
    });
    expect(checkHolderId('001', `${USCC}0`)?.code).toBe('LB_HOLDER_ID_FORMAT');
    expect(checkHolderId('001', `-${USCC.slice(1)}`)?.code).toBe('LB_HOLDER_ID_FORMAT');
    expect(checkHolderId('001', `-${USCC}`)?.code).toBe('LB_HOLDER_ID_FORMAT');
    expect(checkHolderId('001', '91370406O24894136J')).toEqual({
      code: 'LB_HOLDER_ID_FORMAT',
      message: 'credit code 9137**********136J fails the format check: holds I, O, S, V or Z (GB 32100)',
    });
    expect(checkHolderId('001', '91370406L24894136K')).toEqual({
      code: 'LB_HOLDER_ID_CHECK',
      message:
        'credit code 9137**********136K fails the check-char check: expected 9137**********136J (check char J, GB 32100)',
    });
  });

  it('other id types need only a non-blank id; a non-string id is empty', () => {
    expect(checkHolderId('999', 'anything')).toBeNull();
    expect(checkHolderId('999', ' \t')).toEqual({
      code: 'LB_HOLDER_ID_EMPTY',
      message: 'holder id is empty',
    });
    expect(checkHolderId('999', undefined as unknown as string)?.code).toBe('LB_HOLDER_ID_EMPTY');
  });
});

describe('holderIdTypeOfShape', () => {
  it('a resident id first, then a credit code, then the shape of a failing one', () => {
    expect(holderIdTypeOfShape('110105491231002', JAN_1_2026)).toBe('111');
    expect(holderIdTypeOfShape(BORN_2026_01_01, JAN_1_2026)).toBe('111');
    expect(holderIdTypeOfShape(USCC, JAN_1_2026)).toBe('001');
    // A valid credit code of 18 digits has a resident id's shape too: its check decides (001).
    expect(holderIdTypeOfShape('000000000000000000', JAN_1_2026)).toBe('001');
    // Right shape, wrong check char: still named by its shape.
    expect(holderIdTypeOfShape('110105202601011231', JAN_1_2026)).toBe('111');
    expect(holderIdTypeOfShape('91370406L24894136K', JAN_1_2026)).toBe('001');
    // Born tomorrow: a resident id's shape, not valid today.
    expect(holderIdTypeOfShape(BORN_2026_01_02, JAN_1_2026)).toBe('111');
    // Anchors: a char more, or one outside the GB 32100 alphabet, is neither.
    expect(holderIdTypeOfShape(`${BORN_2026_01_01}1`, JAN_1_2026)).toBeNull();
    expect(holderIdTypeOfShape('1101054912310021', JAN_1_2026)).toBeNull();
    expect(holderIdTypeOfShape('91370406I24894136J', JAN_1_2026)).toBeNull();
    expect(holderIdTypeOfShape(`x${USCC}`, JAN_1_2026)).toBeNull();
  });
});
