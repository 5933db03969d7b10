/**
 * Mapping patterns keep their JavaScript meaning around character classes, and a refused pattern
 * says why. Expected answers come from JavaScript's own `RegExp` (with the `u` flag, which reads a
 * pattern by code points as RE2 does) or from RE2's documented syntax errors.
 */
import { describe, expect, it } from 'vitest';
import { compileRegex, type SafeRegex } from '../../mappings/regex.js';

const re = (p: string): SafeRegex => {
  const r = compileRegex(p);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

/** JavaScript's answer for one pattern and one value. */
const jsTest = (p: string, text: string): boolean => new RegExp(p, 'u').test(text);

describe('patterns with classes match as in JavaScript', () => {
  it('what follows a class keeps its meaning: \\s, \\S and `.` after `]`', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['[a]\\s', 'a '],
      ['[a]\\s', 'a\u3000'],
      ['[a]\\S', 'ab'],
      ['[a]\\S', 'a '],
      ['[a].', 'a\r'],
      ['[a].', 'a\u2028'],
      ['[a].', 'ax'],
      ['[0-9][A-Z]', '7Q'],
      ['[0-9][A-Z]', 'Q7'],
    ];
    for (const [p, s] of cases) expect(re(p).test(s), `${p} on ${JSON.stringify(s)}`).toBe(jsTest(p, s));
  });

  it('inside a class every char up to `]` stays a member: `.` and \\s there', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['x[a.]', 'x.'],
      ['x[a.]', 'xb'],
      ['x[a\\s]', 'x '],
      ['x[a\\s]', 'x]'],
      ['[^a]', '^'],
      ['[^a]', '['],
      ['[^a]', 'a'],
    ];
    for (const [p, s] of cases) expect(re(p).test(s), `${p} on ${JSON.stringify(s)}`).toBe(jsTest(p, s));
    expect(re('[^,]+').replaceAll('^[a,b', '-')).toBe('^[a,b'.replace(/[^,]+/gu, '-'));
  });

  it('plain text is matched by whole characters, like the RE2 path', () => {
    // Half of a supplementary ideograph (U+20000, as in some names) is not that character.
    const high = '\ud840';
    expect(re(high).test('\u{20000}')).toBe(jsTest(high, '\u{20000}'));
    expect(re(high).test('\u{20000}')).toBe(re(`(?:${high})`).test('\u{20000}'));
    expect(re(high).replaceAll('\u{20000}', 'x')).toBe('\u{20000}');
    expect(re('').replaceAll('a\u{20000}', '-')).toBe('a\u{20000}'.replace(/(?:)/gu, '-'));
  });
});

describe('a refused pattern says what RE2 found wrong', () => {
  it('the parser message without its prefix, and no hint when the pattern holds no back-reference', () => {
    expect(compileRegex('(a')).toBe('invalid regular expression: missing closing ): `(a`');
    expect(compileRegex('a)')).toBe('invalid regular expression: unexpected ): `a)`');
  });

  it('a trailing backslash, which JavaScript refuses too', () => {
    const trailing = 'a\\';
    expect(() => new RegExp(trailing, 'u')).toThrow(SyntaxError);
    expect(compileRegex(trailing)).toBe(
      'invalid regular expression: trailing backslash at end of expression',
    );
  });
});
