/**
 * An ID or mobile number with an invisible character inside it (a zero-width space or joiner, a
 * soft hyphen, a bidi mark: legacy data pasted from web forms holds them) read as two short runs
 * of digits and was left whole by maskPersonalShapes, so a record key or a reason showed it in the
 * reports, the worklist and the logs. It is masked as the number it reads as; a text whose
 * invisible characters split no personal number is returned as it was.
 */
import { describe, expect, it } from 'vitest';
import { maskPersonalShapes } from '../../core/personal-shapes.js';

const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u202e', '\u2066'];

describe('a personal number with an invisible character inside it', () => {
  for (const inv of INVISIBLES) {
    const code = `U+${inv.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
    it(`masks an ID number split by ${code}`, () => {
      const shown = maskPersonalShapes(`key 1101051990${inv}03071234 refused`);
      expect(shown).not.toMatch(/19900307/);
      expect(shown).not.toContain('110105');
      expect(shown).toBe('key 1101**********1234 refused');
    });
    it(`masks a mobile number split by ${code}`, () => {
      const shown = maskPersonalShapes(`call 1381234${inv}5678`);
      expect(shown).not.toContain('1381234');
      expect(shown).toBe('call *******5678');
    });
  }

  it('masks a grouped ID number with invisible characters beside its separators', () => {
    const shown = maskPersonalShapes('110105\u200b 19491231 \u200d002X');
    expect(shown).not.toContain('19491231');
  });

  it('masks a full-width ID number split by a zero-width space', () => {
    const shown = maskPersonalShapes('１１０１０５１９９０\u200b０３０７１２３４');
    expect(shown).not.toContain('０５１９９０');
    expect(shown).not.toContain('０３０７');
  });

  it('leaves a text whose invisible characters split no personal number as it was', () => {
    for (const text of ['JY2370\u200b2118159548', 'a\u200bb 12\u200b34', 'plain 1101 05']) {
      expect(maskPersonalShapes(text)).toBe(text);
    }
  });
});
