import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { isDivisionCode, isIsoDate, registerFormats } from '../../catalog/formats.js';

/**
 * Edges of the catalog's ajv formats, worked by hand: each string below is wrong in exactly one
 * place, so each guard in isIsoDate / isDivisionCode is the only thing that can reject it. The
 * ajv instance is built inside each test (not at import) so the registration itself is checked.
 */
describe('iso-date: one wrong place each', () => {
  it('the right length and dashes are each required', () => {
    expect(isIsoDate('2024-01-31')).toBe(true);
    expect(isIsoDate('2024-01-011')).toBe(false); // 11 chars; the first 10 would read as a date
    expect(isIsoDate('2024x01-01')).toBe(false); // no dash at 4
    expect(isIsoDate('2024-01x01')).toBe(false); // no dash at 7
  });

  it('a non-digit anywhere is no date, whether it sorts above or below the digits', () => {
    // 'a' is 49 above '0': read as a digit, 20a4 would be year 2494 and pass the calendar check.
    expect(isIsoDate('20a4-01-01')).toBe(false);
    expect(isIsoDate('2024-0a-01')).toBe(false);
    expect(isIsoDate('2024-01-0a')).toBe(false);
    // ':' is one above '9'; '/' one below '0'.
    expect(isIsoDate('202:-01-01')).toBe(false);
    expect(isIsoDate('202/-01-01')).toBe(false);
    // Skipping a bad char (or counting it as -1) would leave 2019 or 2020: still a year.
    expect(isIsoDate('202x-01-01')).toBe(false);
    expect(isIsoDate('x024-01-01')).toBe(false);
  });
});

describe('division-code', () => {
  it('exactly six digits, not all zero', () => {
    expect(isDivisionCode('370211')).toBe(true);
    expect(isDivisionCode('3702110')).toBe(false); // 7 chars: the first six are a code
    expect(isDivisionCode('37021a')).toBe(false);
    expect(isDivisionCode('000000')).toBe(false);
    expect(isDivisionCode('000001')).toBe(true);
  });
});

describe('registerFormats on a fresh ajv', () => {
  const fresh = () => registerFormats(new Ajv({ allErrors: true }));

  it('each format rejects a bad string and passes a good one', () => {
    const ajv = fresh();
    const check = (format: string, value: string) => ajv.validate({ type: 'string', format }, value);
    expect([check('uscc', '91370406L24894136J'), check('uscc', '91370406L24894136K')]).toEqual([true, false]);
    expect([check('resident-id', '11010519491231002X'), check('resident-id', '110105194912310021')]).toEqual([
      true,
      false,
    ]);
    expect([check('division-code', '370211'), check('division-code', '000000')]).toEqual([true, false]);
    expect([check('iso-date', '2024-02-29'), check('iso-date', '2023-02-29')]).toEqual([true, false]);
    expect([
      check('license-identifier', '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F'),
      check('license-identifier', '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.G'),
    ]).toEqual([true, false]);
  });

  it('formats apply to strings only: a number under a string format is not checked', () => {
    const ajv = fresh();
    expect(ajv.validate({ format: 'iso-date' }, 20240229)).toBe(true);
    expect(ajv.validate({ format: 'iso-date' }, 'not a date')).toBe(false);
  });

  it('holderIdType holds a string field to that holder id type, with one plain error', () => {
    const ajv = fresh();
    const v = ajv.compile({ type: 'string', holderIdType: '111' });
    expect(v('11010519491231002X')).toBe(true);
    expect(v('110105194912310021')).toBe(false);
    expect(v.errors).toEqual([expect.objectContaining({ keyword: 'holderIdType', instancePath: '' })]);
    const org = ajv.compile({ type: 'string', holderIdType: '001' });
    expect([org('91370406L24894136J'), org('91370406L24894136K')]).toEqual([true, false]);
    // Not a string value: the keyword is for string fields only, so it does not apply.
    expect(ajv.validate({ holderIdType: '111' }, 42)).toBe(true);
  });

  it('holderIdType takes only a GB/T 36903 code as its value', () => {
    const ajv = fresh();
    expect(() => ajv.compile({ type: 'string', holderIdType: '11' })).toThrow(/holderIdType/);
    expect(() => ajv.compile({ type: 'string', holderIdType: 111 })).toThrow(/holderIdType/);
  });
});
