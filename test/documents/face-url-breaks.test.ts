// A web address in a face text (a caption `查验网址：https://…`, a value holding one) is one word
// to the wrap, wider than a line, and was broken where the line ran out: inside a path's word
// (`…/licen` and `se/verify…`) or the identifier it carries (`id=1.` and `2.156…`). A word broken inside now
// breaks after the last `/`, `?`, `&`, `=`, `#` or `-` on its line (as UAX #14's SY and HY classes
// and the usual rules for printed addresses allow), when that leaves the line at least half full;
// else, as before, where the line runs out. Words that fit a line are moved down whole, as before.
import { describe, expect, it } from 'vitest';
import { wrap } from '../../adapters/documents/face/wrap-lines.js';
import { wrapInBox } from './fixtures.js';

describe('a web address wider than a line', () => {
  it('breaks after a slash, not inside a word of its path', () => {
    expect(wrap('网址：https://zwfw.example.gov.cn/license/verify/index.html?id=123', 20, 4)).toEqual({
      lines: ['网址：https://zwfw.example.gov.cn/', 'license/verify/index.html?id=123'],
      cut: false,
    });
  });

  it('breaks after `=` or `&`, not inside the identifier it carries', () => {
    expect(
      wrap('https://zwfw.example.gov.cn/verify?id=1.2.156.3005.2.11370200MB12345674001&x=1', 20, 4),
    ).toEqual({
      lines: ['https://zwfw.example.gov.cn/verify?id=', '1.2.156.3005.2.11370200MB12345674001&', 'x=1'],
      cut: false,
    });
  });

  it('breaks where the line runs out when no such break leaves it half full', () => {
    // The one `/` is 1.5 em into a 10 em line: broken there, the line would be short.
    expect(wrap('ab/cdefghijklmnopqrstuvwxyzabcdefghijklmnopq', 10, 3).lines).toEqual([
      'ab/cdefghijklmnopqr',
      'stuvwxyzabcdefghijk',
      'lmnopq',
    ]);
  });

  it('leaves words that fit a line as they were: moved down whole', () => {
    expect(wrapInBox('王海 2024-05-06 青岛').map((l) => l.text)).toEqual(['王海 ', '2024-05-06 ', '青岛']);
  });
});
