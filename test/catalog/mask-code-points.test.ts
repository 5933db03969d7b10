// Masks count characters by code point: a supplementary character (𠮷, U+20BB7, in names and
// addresses) kept at the edge of a masked value is whole, never half a surrogate pair.
import { describe, expect, it } from 'vitest';
import { maskContact, maskId, maskName } from '../../core/mask.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('masks and supplementary characters', () => {
  it('maskId keeps four whole characters at each end', () => {
    expect(maskId('山东省𠮷青岛市黄岛区幸福路8号院𠮷楼')).toBe('山东省𠮷**********号院𠮷楼');
    expect(maskId('𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷')).toBe('********');
    expect(maskId('110105194912310021')).toBe('1101**********0021');
  });

  it('no mask leaves a lone surrogate, wherever the character sits', () => {
    for (let at = 0; at < 14; at++) {
      const chars = Array.from('青岛市黄岛区长江中路二十八号');
      chars.splice(at, 1, '𠮷');
      const value = chars.join('');
      for (const mask of [maskId, maskName, maskContact]) {
        expect(LONE_SURROGATE.test(mask(value)), `${mask.name} at ${at}`).toBe(false);
      }
    }
  });
});
