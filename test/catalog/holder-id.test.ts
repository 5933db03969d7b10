import { describe, expect, it } from 'vitest';
import {
  checkHolderId,
  isValidResidentId,
  isValidUscc,
  normaliseResidentId,
  residentIdCheckChar,
  upgradeResidentId15,
  usccCheckChar,
} from '../../catalog/holder-id.js';

// reference/STANDARDS.md §2 vectors.
const USCC_VALID = ['11100000000013338W', '91370406L24894136J', '11220000013544541J', '11100000MB03271699'];
const ID_VALID = ['11010519491231002X', '440524188001010014'];

describe('unified social credit code (GB 32100)', () => {
  it.each(USCC_VALID)('accepts %s and computes its check char', (code) => {
    expect(isValidUscc(code)).toBe(true);
    expect(usccCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
    expect(checkHolderId('001', code)).toBeNull();
  });

  it.each([
    ['wrong check char', '91370406L24894136K', 'LB_HOLDER_ID_CHECK'],
    ['changed body char', '91370406L24894137J', 'LB_HOLDER_ID_CHECK'],
    ['forbidden letter I', '91370406I24894136J', 'LB_HOLDER_ID_FORMAT'],
    ['forbidden letter O', '9137040OL24894136J', 'LB_HOLDER_ID_FORMAT'],
    ['forbidden letter S', '91370406S24894136J', 'LB_HOLDER_ID_FORMAT'],
    ['forbidden letter V', '91370406V24894136J', 'LB_HOLDER_ID_FORMAT'],
    ['forbidden letter Z', '91370406Z24894136J', 'LB_HOLDER_ID_FORMAT'],
    ['17 chars', '91370406L24894136', 'LB_HOLDER_ID_FORMAT'],
    ['lowercase', '91370406l24894136j', 'LB_HOLDER_ID_FORMAT'],
  ])('rejects a code with %s', (_what, code, expected) => {
    expect(isValidUscc(code)).toBe(false);
    expect(checkHolderId('001', code)?.code).toBe(expected);
  });

  it('maps a check of 31 to 0', () => {
    // Search a body whose Σ mod 31 is 0: its check char must be `0`.
    let found = false;
    for (let i = 0; i < 31 && !found; i++) {
      const body = `9137040600000000${'0123456789ABCDEFGHJKLMNPQRTUWXY'.charAt(i)}`;
      if (usccCheckChar(body) === '0') {
        found = true;
        expect(isValidUscc(`${body}0`)).toBe(true);
      }
    }
    expect(found).toBe(true);
  });

  it('validates the demo codes chosen for the west-coast example', () => {
    expect(isValidUscc('11370200MB12345674')).toBe(true);
    expect(isValidUscc('11370211MB12345672')).toBe(true);
    // The codes first suggested fail GB 32100.
    expect(isValidUscc('11370200MB1234567X')).toBe(false);
    expect(isValidUscc('11370211MB1234567X')).toBe(false);
  });
});

describe('resident ID number (GB 11643)', () => {
  it.each(ID_VALID)('accepts %s', (id) => {
    expect(isValidResidentId(id)).toBe(true);
    expect(residentIdCheckChar(id.slice(0, 17))).toBe(id.charAt(17));
    expect(checkHolderId('111', id)).toBeNull();
  });

  it.each([
    ['a wrong check digit', '110105194912310021', 'LB_HOLDER_ID_CHECK'],
    ['a wrong check digit (X expected 4)', '44052418800101001X', 'LB_HOLDER_ID_CHECK'],
    ['Feb 30', '110105194902300012', 'LB_HOLDER_ID_DATE'],
    ['month 13', '110105194913010012', 'LB_HOLDER_ID_DATE'],
    ['a birth year before 1850', '110105184901010012', 'LB_HOLDER_ID_DATE'],
    ['a future birth date', '110105299901010012', 'LB_HOLDER_ID_DATE'],
    ['lowercase x', '11010519491231002x', 'LB_HOLDER_ID_FORMAT'],
    ['15 digits', '110105491231002', 'LB_HOLDER_ID_FORMAT'],
    ['letters', '11010519491231002A', 'LB_HOLDER_ID_FORMAT'],
  ])('rejects an id with %s', (_what, id, expected) => {
    expect(isValidResidentId(id)).toBe(false);
    expect(checkHolderId('111', id)?.code).toBe(expected);
  });

  it('accepts Feb 29 in a leap year only', () => {
    const leap = `11010520000229001`;
    const noLeap = `11010519000229001`;
    expect(isValidResidentId(`${leap}${residentIdCheckChar(leap)}`)).toBe(true);
    expect(isValidResidentId(`${noLeap}${residentIdCheckChar(noLeap)}`)).toBe(false);
  });

  it('upgrades 15-digit numbers with the 19 century and a check char', () => {
    // 110105491231002 is the 15-digit form of 11010519491231002X.
    expect(upgradeResidentId15('110105491231002')).toBe('11010519491231002X');
    expect(() => upgradeResidentId15('11010549123100')).toThrow(RangeError);
  });

  it('normalises legacy forms', () => {
    expect(normaliseResidentId(' 11010519491231002x ')).toBe('11010519491231002X');
    expect(normaliseResidentId('110105491231002')).toBe('11010519491231002X');
    expect(normaliseResidentId('440524188001010014')).toBe('440524188001010014');
  });

  it('never puts the full number into a message', () => {
    const problem = checkHolderId('111', '110105194912310021');
    expect(problem?.message).not.toContain('110105194912310021');
    expect(problem?.message).toContain('1101**********0021');
  });
});

describe('checkHolderId for other id types', () => {
  it('only needs a non-empty id', () => {
    expect(checkHolderId('414', 'E12345678')).toBeNull();
    expect(checkHolderId('414', '  ')?.code).toBe('LB_HOLDER_ID_EMPTY');
    expect(checkHolderId('001', '')?.code).toBe('LB_HOLDER_ID_EMPTY');
  });
});
