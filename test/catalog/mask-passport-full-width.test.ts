/**
 * Resident ID and mobile numbers are masked by their shape in half-width and full-width characters
 * and across invisible characters (mask-shapes-gaps); PRC passport and Hong Kong or Macao travel
 * permit numbers were masked only as typed in ASCII. One typed in full-width characters, as legacy
 * data and Chinese input methods hold them (`Ｅ１２３４５６７８`), went out whole where numbers are
 * masked by shape (a licbridge error the CLI prints, a record key in a report), and the digit rule
 * of text from outside cut only its middle (`Ｅ****５６７８`, five of nine characters shown); one with
 * a zero-width space inside (`E1234\u200B5678`) went out whole everywhere. Each is masked now as
 * its ASCII form is (`E*******8`).
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { scrubPersonal } from '../../core/scrub.js';

const scrub = (text: string) => scrubPersonal(text, [], () => '***');

describe('passport and travel permit numbers in full-width characters', () => {
  it.each([
    ['Ｅ１２３４５６７８', 'Ｅ*******８'],
    ['ＥＡ１２３４５６７', 'Ｅ*******７'],
    ['Ｈ１２３４５６７８', 'Ｈ*******８'],
    ['Ｍ１２３４５６７８９０', 'Ｍ１*******９０'],
  ])('%s is masked by shape as its ASCII form is', (number, masked) => {
    const text = `holder document ${number} not found`;
    expect(maskNumberShapes(text)).toBe(`holder document ${masked} not found`);
    expect(safeErrorText(text, { numbers: 'shapes' })).toBe(`holder document ${masked} not found`);
    // The digit rule hides at least what the shape rule hides.
    expect(Array.from(scrub(text)).filter((c) => c === '*').length).toBeGreaterThanOrEqual(
      Array.from(masked).filter((c) => c === '*').length,
    );
    expect(safeErrorText(text)).not.toContain('１２３４');
  });

  it('leaves full-width text that holds no such number as it is', () => {
    for (const text of ['型号 ＥＸ－２０２６', '批次 Ｅ１２３４', 'Ｅ１２３４５６７８９０１２']) {
      expect(maskNumberShapes(text)).toBe(text);
    }
  });
});

describe('passport numbers with an invisible character inside', () => {
  it.each(['\u200B', '\u00AD', '\u200E'])('E1234%s5678 is masked', (invisible) => {
    const text = `holder passport E1234${invisible}5678 not found`;
    for (const out of [
      maskNumberShapes(text),
      scrub(text),
      safeErrorText(text),
      safeErrorText(text, { numbers: 'shapes' }),
    ]) {
      expect(out).toBe('holder passport E*******8 not found');
    }
  });
});
