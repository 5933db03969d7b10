/**
 * Templates, the RE2 regex front end and the input checks, one rule at a time. Expected values
 * are worked by hand from each documented rule (JavaScript's \s and `.`, RE2's refusals, the
 * control and mojibake ranges written out in the module's comments).
 */
import { describe, expect, it } from 'vitest';
import { checkInput, MAX_TEXT_LENGTH } from '../../mappings/input-guard.js';
import { compileRegex, type SafeRegex } from '../../mappings/regex.js';
import { type CompiledTemplate, compileTemplate } from '../../mappings/template.js';

const tpl = (source: unknown): CompiledTemplate => {
  const t = compileTemplate(source);
  if (typeof t === 'string') throw new Error(t);
  return t;
};

describe('templates', () => {
  it('columns, literal braces, and what is wrong with a bad one', () => {
    expect(tpl('{A}{{x}}{B}号{A}').columns).toEqual(['A', 'B']);
    expect(tpl('{{{A}}}').render({ A: 'v' })).toEqual({ ok: true, value: '{v}' });
    expect(compileTemplate('')).toBe('expected `template` to be non-empty text');
    expect(compileTemplate(5)).toBe('expected `template` to be non-empty text');
    expect(compileTemplate('ab}c')).toBe('unmatched `}` at char 3; write `}}` for a literal brace');
    expect(compileTemplate('a{1B}')).toBe('expected {COLUMN} at char 2; write `{{` for a literal brace');
    expect(compileTemplate('a{B')).toBe('expected {COLUMN} at char 2; write `{{` for a literal brace');
    expect(compileTemplate('{}')).toBe('expected {COLUMN} at char 1; write `{{` for a literal brace');
    expect(compileTemplate('{A-B}')).toMatch(/^expected \{COLUMN\} at char 1/);
    expect(compileTemplate('{{A}}')).toBe(
      'a template needs at least one {COLUMN}; use `const` for fixed text',
    );
    expect(tpl('{_a9}').columns).toEqual(['_a9']);
    // Names sources give beside plain SQL ones: a legacy schema's Chinese column, the XML
    // connector's nested fields (`DZ.SHENG`) and element texts (`ID.#text`).
    expect(tpl('{经营场所}{DZ.SHENG}{ID.#text}{A$1#}').columns).toEqual([
      '经营场所',
      'DZ.SHENG',
      'ID.#text',
      'A$1#',
    ]);
    expect(tpl('{DZ.SHENG}省{ID.#text}').render({ 'DZ.SHENG': '山东', 'ID.#text': '7' })).toEqual({
      ok: true,
      value: '山东省7',
    });
    expect(compileTemplate('{A B}')).toMatch(/^expected \{COLUMN\} at char 1/);
    expect(compileTemplate('{.A}')).toMatch(/^expected \{COLUMN\} at char 1/);
    expect(compileTemplate('{@ID}')).toMatch(/^expected \{COLUMN\} at char 1/);
    // Only braces are doubled for a literal: other doubled chars stay two.
    expect(tpl('xx{A}}}yy').render({ A: 'v' })).toEqual({ ok: true, value: 'xxv}yy' });
    // An opening brace with no closing one anywhere after it.
    expect(compileTemplate('{AB')).toBe('expected {COLUMN} at char 1; write `{{` for a literal brace');
  });

  it('renders text, numbers and booleans; a missing value is empty; other values and absent columns fail', () => {
    const t = tpl('<{A}|{B}|{C}>');
    expect(t.render({ A: 'x', B: 1.5, C: true })).toEqual({ ok: true, value: '<x|1.5|true>' });
    expect(t.render({ A: null, B: undefined as unknown as null, C: '' })).toEqual({
      ok: true,
      value: '<||>',
    });
    expect(t.render({ A: 'x', B: 1 })).toEqual({
      ok: false,
      code: 'LB_MAP_COLUMN',
      message: 'column C is not in the row',
      column: 'C',
    });
    expect(t.render({ A: new Date(0), B: 1, C: 1 })).toEqual({
      ok: false,
      code: 'LB_MAP_TYPE',
      message: 'column A holds a date, not text',
      column: 'A',
    });
    expect(t.render({ A: 'a', B: new Uint8Array(1), C: 1 })).toMatchObject({
      message: 'column B holds binary data, not text',
    });
    // An inherited property is not a column of the row.
    expect(tpl('{toString}').render({})).toMatchObject({ code: 'LB_MAP_COLUMN' });
  });
});

const re = (p: string): SafeRegex => {
  const r = compileRegex(p);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

describe('regex', () => {
  it('plain literal patterns, anchored or not', () => {
    expect(re(';').replaceAll('a;b;', '；')).toBe('a；b；');
    expect(re('^ab').test('abc')).toBe(true);
    expect(re('^ab').test('cab')).toBe(false);
    expect(re('b$').replaceAll('bab', 'x')).toBe('bax');
    // Called twice: a stateful (global) test would answer false the second time.
    const r = re('a');
    expect([r.test('a'), r.test('a')]).toEqual([true, true]);
  });

  it('\\s and \\S with JavaScript meaning, in and out of classes', () => {
    expect(re('a\\sb').test('a\u3000b')).toBe(true);
    expect(re('a\\sb').test('a\u00a0b')).toBe(true);
    expect(re('a\\Sb').test('a\u3000b')).toBe(false);
    expect(re('a\\Sb').test('axb')).toBe(true);
    expect(re('[\\s,]+').replaceAll('a \u3000,b', '-')).toBe('a-b');
    expect(re('[^\\s]+').replaceAll('ab cd', 'x')).toBe('x x');
    expect(compileRegex('[\\S]')).toBe(
      'unsupported regular expression: `\\S` inside `[…]` is not supported; write `(?:[^\\s…])`',
    );
  });

  it('`.` does not match a line break; inside a class it is a dot', () => {
    expect(re('a.b').test('a\nb')).toBe(false);
    expect(re('a.b').test('a\u2028b')).toBe(false);
    expect(re('a.b').test('a\u3000b')).toBe(true);
    expect(re('a[.]b').test('axb')).toBe(false);
    expect(re('a[.]b').test('a.b')).toBe(true);
    expect(re('a\\.b').test('axb')).toBe(false);
  });

  it('classes: a leading ^ and ] kept apart from the end of the class', () => {
    expect(re('[^a]+').replaceAll('bab', 'x')).toBe('xax');
    expect(re('[a]]').test('a]')).toBe(true);
    // JavaScript's empty classes: `[]` matches nothing, `[^]` any char (line breaks included).
    expect(re('[]a]').test('a]')).toBe(false);
    expect(re('[^]a]').test('\na]')).toBe(true);
  });

  it('replacement references, and the reason for a refused pattern', () => {
    expect(re('(\\d+)-(?<m>\\d+)').replaceAll('2021-03', '$<m>/$1 $& $$')).toBe('03/2021 2021-03 $');
    expect(compileRegex('(a)\\1')).toMatch(
      /^invalid regular expression: .*; back-references and look-ahead\/look-behind are not supported \(matching must stay linear in the value\)$/,
    );
    expect(compileRegex('a(?=b)')).toMatch(/back-references and look-ahead/);
    expect(compileRegex('(?<!a)b')).toMatch(/back-references and look-ahead/);
    const unbalanced = compileRegex('(a');
    expect(unbalanced).toMatch(/^invalid regular expression: /);
    expect(unbalanced).not.toMatch(/error parsing regexp|back-references/);
  });
});

describe('input checks', () => {
  it('each problem alone, with its code and message', () => {
    expect(checkInput('青岛市 ok\tA\r\n')).toBeNull();
    expect(checkInput('a'.repeat(MAX_TEXT_LENGTH))).toBeNull();
    expect(checkInput('a'.repeat(MAX_TEXT_LENGTH + 1))).toEqual({
      code: 'LB_MAP_TOO_LONG',
      message: 'text of 4001 chars exceeds 4000',
    });
    for (const c of [
      '\u0000',
      '\u0008',
      '\u000b',
      '\u000c',
      '\u000e',
      '\u001f',
      '\u007f',
      '\u0085',
      '\u009f',
    ])
      expect(checkInput(`a${c}b`), c.charCodeAt(0).toString(16)).toEqual({
        code: 'LB_MAP_CONTROL_CHAR',
        message: 'text holds a control character',
      });
    const broken = {
      code: 'LB_MAP_ENCODING',
      message:
        'text holds a broken or replacement character; check the source charset (GBK stored as latin1?)',
    };
    expect(checkInput('a\ud800b')).toEqual(broken);
    expect(checkInput('a\udc00')).toEqual(broken);
    expect(checkInput('\ud800')).toEqual(broken);
    expect(checkInput('a\ufffd')).toEqual(broken);
    expect(checkInput('\u{20000}')).toBeNull(); // a supplementary ideograph: a real name char
    expect(checkInput('ÕÅÈý')).toMatchObject({
      code: 'LB_MAP_ENCODING',
      message: expect.stringContaining('mojibake'),
    });
    expect(checkInput('Ã\u00a9')).toMatchObject({ code: 'LB_MAP_ENCODING' });
    expect(checkInput('café')).toBeNull(); // one Latin-1 letter after ASCII is not mojibake
    expect(checkInput('a\u00c0')).toBeNull();
    expect(checkInput('a😀')).toEqual({ code: 'LB_MAP_CHARSET', message: 'text holds an emoji' });
    expect(checkInput('a\u2764\ufe0f')).toEqual({ code: 'LB_MAP_CHARSET', message: 'text holds an emoji' });
    expect(checkInput('\u231a')).toEqual({ code: 'LB_MAP_CHARSET', message: 'text holds an emoji' });
  });

  it('numbers and dates', () => {
    expect(checkInput(1.5)).toBeNull();
    expect(checkInput(Number.NaN)).toEqual({ code: 'LB_MAP_TYPE', message: 'number NaN is not finite' });
    expect(checkInput(Number.NEGATIVE_INFINITY)).toEqual({
      code: 'LB_MAP_TYPE',
      message: 'number -Infinity is not finite',
    });
    expect(checkInput(new Date(Number.NaN))).toEqual({
      code: 'LB_MAP_TYPE',
      message: 'date value is invalid',
    });
    expect(checkInput(new Date(0))).toBeNull();
    expect(checkInput(null)).toBeNull();
    expect(checkInput(new Uint8Array([0]))).toBeNull();
  });
});
