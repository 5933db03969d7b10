/**
 * A Hong Kong or Macao resident holds a license under the number of the travel permit the PRC
 * issues them (holder id type 516: H or M and eight digits on the card, ten on the older booklet).
 * Where numbers are masked by their shape only — what the CLI prints of a licbridge error, a
 * source's record key in a report or on the worklist page — a PRC passport number was masked and
 * such a permit number shown whole. It is masked as a passport number is.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes } from '../../catalog/personal.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { maskPassportShapes } from '../../core/mask.js';
import { printedError } from '../cli/printed-error.js';

const CARD = 'H01234567';
const BOOKLET = 'M0123456789';

describe('a Hong Kong or Macao travel permit number', () => {
  it('is masked by its shape, card and booklet alike', () => {
    expect(maskPassportShapes(`证件号码 ${CARD}`)).toBe('证件号码 H*******7');
    expect(maskPassportShapes(`permit ${BOOKLET} refused`)).toBe('permit M0*******89 refused');
    expect(maskNumberShapes(CARD)).toBe('H*******7');
  });

  it('is masked in a licbridge error the CLI prints', () => {
    const { text } = printedError(
      new LicbridgeError(
        ErrorCodes.SOURCE_QUERY,
        `source legacy: query failed: holder ${CARD} is listed twice`,
      ),
    );
    expect(text).not.toContain(CARD);
    expect(text).toContain('H*******7');
  });

  it('leaves a longer word and a number of another length alone', () => {
    for (const text of ['HK01234567', 'H1234567', 'H012345678', 'ABH01234567', 'H01234567X'])
      expect(maskPassportShapes(text)).toBe(text);
  });
});
