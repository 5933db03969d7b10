/**
 * A mobile number is masked by its shape with `+86`, `86` or `(+86)` before it. Dialled from the
 * mainland the international prefix is `00`, and `008613800138000` or `0086 138 0013 8000` held no
 * such shape (a digit stood before its 86): masking by shape (a licbridge error the CLI prints, a
 * record key in a report, an error's context in a log line) showed it whole. It is masked now as
 * `+86 …` is.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { maskNumberShapes, maskPersonalShapes } from '../../core/personal-shapes.js';

describe('a mobile number after 0086', () => {
  it.each([
    ['008613800138000', '***********8000'],
    ['0086 13800138000', '************8000'],
    ['0086-138-0013-8000', '**************8000'],
    ['(0086)13800138000', '*************8000'],
    ['００８６１３８００１３８０００', '***********８０００'],
  ])('%s is masked', (number, masked) => {
    const text = `holder tel ${number} refused`;
    expect(maskPersonalShapes(text)).toBe(`holder tel ${masked} refused`);
    expect(maskNumberShapes(text)).not.toMatch(/138.?0013.?8000|１３８/);
    expect(safeErrorText(text, { numbers: 'shapes' })).not.toContain('0013');
    expect(safeErrorText(text)).not.toContain('0013');
  });

  it('leaves a longer run of digits, and 00 86 before no mobile number, as they are', () => {
    for (const text of ['serial 1008613800138000', 'code 0086 12345678901', 'tel 0085213800138000']) {
      expect(maskPersonalShapes(text)).toBe(text);
    }
  });
});
