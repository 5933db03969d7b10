/**
 * `licbridge check uscc` given a person's ID number (copied from the wrong column of a row, or
 * typed where a holder's credit code was asked for): 18 digits are within the GB 32100 alphabet, so
 * the number was checked as a credit code and printed whole, `completed` too, where `check id` masks
 * it. A value with a resident ID number's shape is now shown masked whatever the kind asked for.
 */
import { describe, expect, it } from 'vitest';
import { checkCode } from '../../pipelines/check-code.js';

// GB 11643's own example number, and the same with a wrong check char.
const PERSON = '11010519491231002X';
const PERSON_WRONG = '110105194912310021';

const shown = (value: string): string => JSON.stringify(checkCode('uscc', value));

describe('check uscc given a resident ID number', () => {
  it('an 18-character number, valid or not as an ID number: masked', () => {
    for (const id of [PERSON, PERSON_WRONG, '１１０１０５１９４９１２３１００２ｘ']) {
      const result = checkCode('uscc', id);
      expect(result.valid).toBe(false);
      expect(result.value).toMatch(/^1101\*{10}00\d[0-9X]$/);
      expect(shown(id)).not.toContain('19491231');
    }
  });

  it('the first 17 digits, completed: both masked, the check character still given', () => {
    const result = checkCode('uscc', PERSON.slice(0, 17));
    expect(result).toMatchObject({ valid: false, value: '1101*********1002' });
    expect(result.checkChar).toMatch(/^[0-9A-Y]$/);
    expect(result.completed).toBe(`1101**********002${result.checkChar}`);
    expect(shown(PERSON.slice(0, 17))).not.toContain('19491231');
  });

  it('a 15-digit first-generation number: masked', () => {
    expect(shown('110105491231002')).not.toContain('491231');
  });

  it('a credit code with letters in its body stays in clear', () => {
    expect(checkCode('uscc', '11370211MB12345672')).toMatchObject({
      valid: true,
      value: '11370211MB12345672',
    });
    expect(checkCode('uscc', '11370211MB1234567')).toMatchObject({ completed: '11370211MB12345672' });
  });
});
