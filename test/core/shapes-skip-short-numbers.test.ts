/**
 * Every number masked by shape holds seven digits or more, together or parted only by what parts
 * a number's groups (a passport number seven, a mobile number eleven). A text without seven such
 * digits (`page 12 of 40`, as most log lines hold) is returned after one look: each of the shapes'
 * passes ran over it, and a log line whose message held a digit cost twice what one without did.
 * A text with them is masked as before, whatever stands between its digits.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { regexpScans } from './regexp-scans.js';

describe('numbers masked by shape', () => {
  it('a text without seven digits together is looked at once', () => {
    for (const text of [
      'page 12 of 40 read in 1830 ms',
      'took 12.5 s, 3 retries',
      'E123456',
      '１２３ ４５６',
    ]) {
      let shown = '';
      const scans = regexpScans(() => {
        shown = maskNumberShapes(text);
      });
      expect(shown).toBe(text);
      expect(scans.calls, text).toBe(1);
    }
  });

  it('a text with them is masked, their groups parted by any separator or by nothing visible', () => {
    const cases: [string, string][] = [
      ['passport E12345678', 'passport E*******8'],
      ['call 138 0013 8000', 'call *********8000'],
      ['call 138-0013-8000', 'call *********8000'],
      ['id 11010519491231002X', 'id 1101**********002X'],
      ['id 110105 19491231 002X', 'id 1101** ******** 002X'],
      ['call １３８００１３８０００', 'call *******８０００'],
      ['call 1380\u200b0138000', 'call *******8000'],
    ];
    for (const [text, masked] of cases) expect(maskNumberShapes(text), text).toBe(masked);
  });
});
