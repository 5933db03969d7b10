/**
 * `licbridge check`: validity and check character of a credit code (GB 32100), a resident ID
 * number (GB 11643) — vectors computed by hand from the standards' weights — and a license
 * identifier (GB/T 36904, whose check function has its own vector tests); a full ID number is never echoed.
 */
import { describe, expect, it } from 'vitest';
import { checkCode } from '../../pipelines/check-code.js';

describe('check uscc', () => {
  it('validates a code and names its check character', () => {
    // GB 32100: the demo issuer's code; its check character is 2.
    expect(checkCode('uscc', '11370211MB12345672')).toMatchObject({ valid: true, checkChar: '2' });
    expect(checkCode('uscc', '11370211mb12345672 ')).toMatchObject({
      valid: true,
      value: '11370211MB12345672',
    });
  });
  it('completes 17 characters, and says what is wrong with a bad code', () => {
    expect(checkCode('uscc', '11370211MB1234567')).toMatchObject({
      valid: false,
      checkChar: '2',
      completed: '11370211MB12345672',
    });
    const wrong = checkCode('uscc', '11370211MB12345673');
    expect(wrong).toMatchObject({ valid: false, checkChar: '2' });
    expect(wrong.problem).toContain('GB 32100 gives 2');
    expect(checkCode('uscc', '11370211MB1234567O').valid).toBe(false);
    expect(checkCode('uscc', '91370211MO1234567X').problem).toMatch(/alphabet/);
    expect(checkCode('uscc', '123').problem).toMatch(/18 characters/);
  });
});

describe('check id', () => {
  it('validates a resident ID number without echoing it', () => {
    // GB 11643's own example number.
    const ok = checkCode('id', '11010519491231002X');
    expect(ok).toMatchObject({ valid: true, checkChar: 'X' });
    expect(ok.value).not.toContain('19491231');
    expect(checkCode('id', '110105194912310021')).toMatchObject({ valid: false, checkChar: 'X' });
    expect(checkCode('id', '11010519491231002')).toMatchObject({ valid: false, checkChar: 'X' });
    // A pre-1999 15-digit number: upgraded (century 19, check appended) and valid.
    expect(checkCode('id', '110105491231002')).toMatchObject({ valid: true, checkChar: 'X' });
  });
});

describe('check identifier', () => {
  it('validates an identifier and names the check character over its parts', () => {
    const body = '11370200MB12345674001.11370211MB12345672.K4Y975IEBLBMRV0NNFYN.001';
    const good = checkCode('identifier', `1.2.156.3005.2.${body}.X`);
    const check = good.checkChar as string;
    expect(check).toMatch(/^[0-9A-Z]$/);
    const right = checkCode('identifier', `1.2.156.3005.2.${body}.${check}`);
    expect(right).toMatchObject({ valid: true, checkChar: check });
    const other = check === '0' ? '1' : '0';
    expect(checkCode('identifier', `1.2.156.3005.2.${body}.${other}`)).toMatchObject({
      valid: false,
      checkChar: check,
    });
  });
});
