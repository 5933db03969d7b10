/**
 * `maskId` masks a holder's ID whatever its kind: an 18-character resident ID or credit code, the
 * old 15-digit number, but also a passport (9 characters), a Hong Kong or Macau permit, a mobile
 * number a mapping marked personal. Four characters kept at each end of a short one showed all
 * but one of a passport number: at least six characters always stay hidden.
 */
import { describe, expect, it } from 'vitest';
import { maskId } from '../../core/mask.js';

const hidden = (masked: string): number => Array.from(masked).filter((c) => c === '*').length;

describe('maskId on IDs shorter than a resident ID', () => {
  it.each([
    ['E12345678', 'E*******8'],
    ['H123456789', 'H1******89'],
    ['13800138000', '13*******00'],
    ['AB1234567890', 'AB1******890'],
    ['1234567890123', '123*******123'],
  ])('%s becomes %s', (id, masked) => {
    expect(maskId(id)).toBe(masked);
  });

  it('hides at least six characters of every ID, all of one up to eight, and shows at most eight', () => {
    for (let n = 1; n <= 24; n++) {
      const id = 'A1B2C3D4E5F6G7H8I9J0K1L2'.slice(0, n);
      const masked = maskId(id);
      expect(masked).toHaveLength(n);
      if (n <= 8) expect(hidden(masked)).toBe(n);
      else expect(hidden(masked)).toBeGreaterThanOrEqual(6);
      expect(n - hidden(masked)).toBeLessThanOrEqual(8);
    }
  });

  it('keeps four characters at each end of the 15- and 18-character numbers', () => {
    expect(maskId('110105491231002')).toBe('1101*******1002');
    expect(maskId('110105194912310021')).toBe('1101**********0021');
    expect(maskId('91370211MA3C5XYZ01')).toBe('9137**********YZ01');
  });
});
