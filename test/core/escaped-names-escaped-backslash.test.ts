/**
 * A `\u` whose backslash is itself escaped (`"C:\\u6570data"` in JSON text: a path, the letters
 * `\u6570` after a backslash) is no escape, but was decoded with the names beside it
 * (52847fe3), and a log line showed `C:\数data`, a text the body never held. Only a `\u` after an
 * even number of backslashes is read as one. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideEscapedNames } from '../../core/encoded-names.js';
import { hideLabelledNames } from '../../core/labelled-names.js';

/** Stands for the labelled names' pass: hides 张 wherever it reads one. */
const hideZhang = (text: string): string => text.replace(/张/g, '*');

describe('a \\u after an escaped backslash', () => {
  it('keeps a path beside an escaped name as it was', () => {
    expect(hideLabelledNames('{"xm":"\\u5f20\\u4e09","file":"C:\\\\u6570data\\\\x.xml"}')).toBe(
      '{"xm":"***","file":"C:\\\\u6570data\\\\x.xml"}',
    );
  });

  it.each(['C:\\\\u5f20 data', 'C:\\\\\\\\u5f20 data'])('reads no escape in %s', (text) => {
    expect(hideEscapedNames(text, hideZhang)).toBe(text);
  });

  it.each([
    ['a \\u5f20 b', 'a * b'],
    ['a \\\\\\u5f20 b', 'a \\\\* b'],
  ])('reads the escape in %s, the backslashes before it kept', (text, hidden) => {
    expect(hideEscapedNames(text, hideZhang)).toBe(hidden);
  });
});
