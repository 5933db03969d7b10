import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { compileRegex } from '../../mappings/regex.js';
import type { InputValue } from '../../mappings/types.js';

/** Maps one value through `transform` (and an optional `when`) into surface.out. */
function run(rule: string, value: InputValue): unknown {
  const m = compileMappingText(`fields:\n  surface.out: { from: V, ${rule} }\n`, 't.yaml');
  const r = m.map({ V: value });
  return r.ok ? r.fields.surface.out : r.reasons.map((x) => x.code);
}

// Exponential on a backtracking engine: 28 characters took 27 s, each one more doubles it.
const HOSTILE = '^(\\w+\\s?)*$';
// Under the mapping's 4,000-character input limit; a backtracking engine would never finish it.
const LONG = `${'a'.repeat(3_000)}!`;

describe('mapping regular expressions run in time linear in the value', () => {
  it('replace with a catastrophic pattern on a long hostile value finishes with the right answer', () => {
    expect(run(`transform: [{ replace: ["${HOSTILE.replaceAll('\\', '\\\\')}", "X"] }]`, LONG)).toBe(LONG);
    expect(run(`transform: [{ replace: ["${HOSTILE.replaceAll('\\', '\\\\')}", "X"] }]`, 'ab cd')).toBe('X');
  });

  it('when: matches with a catastrophic pattern on a long hostile value answers false', () => {
    const rule = `when: { column: V, matches: "${HOSTILE.replaceAll('\\', '\\\\')}" }`;
    expect(run(rule, LONG)).toBeUndefined();
    expect(run(rule, 'ab cd')).toBe('ab cd');
  });

  it('keeps JavaScript meanings: \\s holds the ideographic space, `.` stops at a line break, $-replacements', () => {
    const re = (p: string) => {
      const r = compileRegex(p);
      if (typeof r === 'string') throw new Error(r);
      return r;
    };
    expect(re('\\s+').replaceAll('青岛\u3000西海岸 新区', '')).toBe('青岛西海岸新区');
    expect(re('[\\s,]+').replaceAll('a,\u3000b', '|')).toBe('a|b');
    expect(re('\\S+').replaceAll('ab\u3000cd', 'x')).toBe('x\u3000x');
    expect(re('a.c').test('a\nc')).toBe(false);
    expect(re('(?<y>\\d{4})(\\d\\d)').replaceAll('202403', '$<y>-$2 $$ $&')).toBe('2024-03 $ 202403');
    expect(re('\\u4e00-').test('\u4e00-')).toBe(true);
    expect(re('^[\\u4e00-\\u9fa5]+$').test('青岛')).toBe(true);
    for (const [p, s] of [
      ['a|', 'xax'],
      ['[;；]+', 'a;b；；c'],
      ['^JY', 'JY123JY'],
      [';', 'a;b;;c'],
      ['c$', 'abc\nc'],
      ['\\s*;\\s*', 'a ; b;c'],
    ] as const) {
      expect(re(p).replaceAll(s, '-')).toBe(s.replace(new RegExp(p, 'gu'), '-'));
    }
  });

  it('refuses back-references and look-around at compile time, with file:line', () => {
    const text = [
      'fields:',
      '  surface.a: { from: A, transform: [{ replace: ["(a)\\\\1", ""] }] }',
      '  surface.b: { when: { column: B, matches: "x(?=y)" }, const: "1" }',
    ].join('\n');
    let error: unknown;
    try {
      compileMappingText(text, '/maps/hostile.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect([...new Set(problems.map((p) => `${p.file}:${p.line}`))].map((w) => w.split(':'))).toEqual([
      ['/maps/hostile.yaml', '2'],
      ['/maps/hostile.yaml', '3'],
    ]);
    for (const p of problems) expect(p.message).toMatch(/not supported \(matching must stay linear/);
  });
});
