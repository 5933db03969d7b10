import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { registerFormats } from '../../catalog/formats.js';

const ajv = registerFormats(new Ajv());
const check = (format: string, value: string) => ajv.validate({ type: 'string', format }, value);

describe('catalog ajv formats', () => {
  it('iso-date needs a real calendar date', () => {
    expect(check('iso-date', '2024-02-29')).toBe(true);
    expect(check('iso-date', '2023-02-29')).toBe(false);
    expect(check('iso-date', '2023-2-1')).toBe(false);
    expect(check('iso-date', '0000-01-01')).toBe(false);
  });

  it('division-code is 6 digits, not 000000', () => {
    expect(check('division-code', '370211')).toBe(true);
    expect(check('division-code', '000000')).toBe(false);
    expect(check('division-code', '37021')).toBe(false);
  });

  it('uscc, resident-id and license-identifier use the standards checks', () => {
    expect(check('uscc', '91370406L24894136J')).toBe(true);
    expect(check('uscc', '91370406L24894136K')).toBe(false);
    expect(check('resident-id', '11010519491231002X')).toBe(true);
    expect(check('resident-id', '110105194912310021')).toBe(false);
    expect(
      check('license-identifier', '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F'),
    ).toBe(true);
    expect(
      check('license-identifier', '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.G'),
    ).toBe(false);
  });
});
