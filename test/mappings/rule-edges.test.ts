/**
 * One field rule at a time, through the mapping compiler: every compile-time problem with its
 * message and place, and every run-time outcome in the documented order (when → value → raw
 * steps → input checks → transforms → default or lookup → required; docs/mapping-language.md).
 * Lines and columns are those of the one-rule texts below, counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import type { InputValue } from '../../mappings/types.js';

const FILE = '/maps/m.yaml';
const problems = (text: string): string[] => {
  try {
    compileMappingText(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  throw new Error('expected a ConfigError');
};
const one = (rule: string) => problems(`fields:\n  surface.x: ${rule}\n`);

describe('compile-time problems of a rule', () => {
  it('its shape and its source', () => {
    expect(one('5')).toEqual(['2:14 expected a rule map like { from: COLUMN, transform: [trim] }']);
    expect(one('[]')).toEqual(['2:14 expected a rule, or a non-empty list of rules with `when`']);
    expect(one('{ from: A, colour: red }')).toEqual([
      '2:25 unknown rule key `colour`; expected from, const, template, when, transform, lookup, fallback, default, required',
    ]);
    const sources = '2:14 expected exactly one of `from` (a column), `const` (a value) or `template`';
    expect(one('{ required: true }')).toEqual([sources]);
    expect(one('{ from: A, const: 1 }')).toEqual([sources]);
    expect(one('{ from: "" }')).toEqual(['2:22 expected `from` to be a column name']);
    expect(one('{ from: 5 }')).toEqual(['2:22 expected `from` to be a column name']);
    expect(one('{ template: "{A" }')).toEqual([
      '2:26 expected {COLUMN} at char 1; write `{{` for a literal brace',
    ]);
    expect(one('{ from: A, when: { column: A } }')).toEqual([
      '2:31 when: expected exactly one of equals, in, matches, empty, before, after beside `column`',
    ]);
    expect(one('{ from: A, required: yes }')).toEqual(['2:35 expected `required` to be true or false']);
    expect(one('{ from: A, fallback: x }')).toEqual([
      '2:25 `fallback` is the value for codes `lookup` misses; add a lookup',
    ]);
  });

  it('its transforms', () => {
    expect(one('{ from: A, transform: trim }')).toEqual([
      '2:36 expected `transform` to be a list, e.g. [trim, upper]',
    ]);
    expect(one('{ from: A, transform: [{ a: 1, b: 2 }] }')).toEqual([
      '2:37 expected a transform name or a one-key map like { date: [yyyyMMdd] }',
    ]);
    expect(one('{ from: A, transform: [5] }')).toEqual([
      '2:37 expected a transform name or a one-key map like { date: [yyyyMMdd] }',
    ]);
    expect(one('{ from: A, transform: [titlecase] }')[0]).toMatch(
      /^2:37 unknown transform `titlecase`; known: date, default, .*, upper$/,
    );
    expect(one('{ from: A, transform: [pad] }')).toEqual([
      '2:37 transform `pad` needs an argument: { pad: … }',
    ]);
    expect(one('{ from: A, transform: [{ trim: 1 }] }')).toEqual([
      '2:37 transform `trim` takes no argument; write it bare',
    ]);
    expect(one('{ from: A, transform: [{ split: "" }] }')).toEqual([
      '2:46 split: expected a non-empty separator text',
    ]);
    expect(one('{ from: A, transform: [trim, { repairCharset: gbk }] }')).toEqual([
      '2:43 transform `repairCharset` works on raw source text; put it first',
    ]);
    expect(() =>
      compileMappingText(
        'fields:\n  surface.x: { from: A, transform: [{ repairCharset: gbk }, trim] }\n',
        FILE,
      ),
    ).not.toThrow();
  });

  it('its lookup', () => {
    expect(one('{ from: A, lookup: codes }')).toEqual(['2:33 unknown dictionary `codes`; defined: none']);
    expect(
      problems(
        'dictionaries:\n  a: { "1": x }\n  b: { "1": y }\nfields:\n  surface.x: { from: A, lookup: c }\n',
      ),
    ).toEqual(['5:33 unknown dictionary `c`; defined: a, b']);
    expect(one('{ from: A, lookup: [1] }')).toEqual([
      '2:33 expected `lookup` to map codes to plain values, or name a dictionary',
    ]);
    expect(one('{ from: A, lookup: { "1": [x] } }')).toEqual([
      '2:40 expected code `1` to map to a plain value',
    ]);
  });
});

const mapper = (text: string) => compileMappingText(text, FILE);
const map = (text: string, values: Record<string, InputValue>) => {
  const r = mapper(text).map(values, { today: '2024-06-15' });
  return r.ok ? r.fields : r.reasons;
};
const field = (rule: string, values: Record<string, InputValue>, extra = '') =>
  map(`${extra}fields:\n  surface.x: ${rule}\n`, values);

describe('running a rule', () => {
  it('when: skipped, or the missing column named', () => {
    const rules = '\n    - { when: { column: K, equals: "1" }, const: one }\n    - { const: other }';
    expect(field(rules, { K: '1' })).toEqual({ surface: { x: 'one' } });
    expect(field(rules, { K: '2' })).toEqual({ surface: { x: 'other' } });
    expect(field('{ when: { column: K, equals: "1" }, const: one }', { K: '2' })).toEqual({ surface: {} });
    expect(field(rules, {})).toEqual([
      {
        code: 'LB_MAP_COLUMN',
        message: 'mapping: surface.x: column K of `when` is not in the row',
        path: 'surface.x',
        location: '/maps/m.yaml:3',
        column: 'K',
      },
    ]);
  });

  it('from and template: a missing column, a failed render', () => {
    expect(field('{ from: A }', {})).toEqual([
      {
        code: 'LB_MAP_COLUMN',
        message: 'mapping: surface.x: column A is not in the row',
        path: 'surface.x',
        location: '/maps/m.yaml:2',
        column: 'A',
      },
    ]);
    expect(field('{ template: "{A}-{B}" }', { A: 'a', B: 1 })).toEqual({ surface: { x: 'a-1' } });
    expect(field('{ template: "{A}-{B}" }', { A: 'a' })).toEqual([
      expect.objectContaining({
        code: 'LB_MAP_COLUMN',
        column: 'B',
        message: 'mapping: surface.x: column B is not in the row',
      }),
    ]);
  });

  it('each step can fail, showing the original value', () => {
    expect(
      field('{ from: A, transform: [{ repairCharset: gb18030 }] }', { A: new Uint8Array([0x81]) }),
    ).toEqual([expect.objectContaining({ code: 'LB_MAP_ENCODING', column: 'A', value: '<1 bytes>' })]);
    expect(field('{ from: A }', { A: 'a\u0000' })).toEqual([
      expect.objectContaining({ code: 'LB_MAP_CONTROL_CHAR', value: 'a\u0000' }),
    ]);
    expect(field('{ from: A, transform: [number] }', { A: ' x1 ' })).toEqual([
      {
        code: 'LB_MAP_NUMBER',
        message: 'mapping: surface.x: text is not a decimal number',
        path: 'surface.x',
        location: '/maps/m.yaml:2',
        column: 'A',
        value: ' x1 ',
      },
    ]);
    // A constant is not a source value: no input check, no column, no value shown.
    expect(field('{ const: "a\\u0001" }', {})).toEqual({ surface: { x: 'a\u0001' } });
    expect(field('{ const: x, transform: [number] }', {})).toEqual([
      {
        code: 'LB_MAP_NUMBER',
        message: 'mapping: surface.x: text is not a decimal number',
        path: 'surface.x',
        location: '/maps/m.yaml:2',
      },
    ]);
  });

  it('default on an empty value, else lookup; fallback for a missed code; required', () => {
    const lookup = '{ from: A, lookup: { "1": one, "2": null }, default: none }';
    expect(field(lookup, { A: '1' })).toEqual({ surface: { x: 'one' } });
    expect(field(lookup, { A: '2' })).toEqual({ surface: { x: null } });
    expect(field(lookup, { A: '' })).toEqual({ surface: { x: 'none' } });
    expect(field(lookup, { A: null })).toEqual({ surface: { x: 'none' } });
    expect(field('{ from: A, lookup: { "1": one } }', { A: null })).toEqual({ surface: { x: null } });
    expect(field('{ from: A, lookup: { "1": one }, fallback: other }', { A: '9' })).toEqual({
      surface: { x: 'other' },
    });
    expect(field('{ from: A, lookup: { "1": one } }', { A: 1 })).toEqual({ surface: { x: 'one' } });
    expect(
      field('{ from: A, transform: [{ split: "," }], lookup: { "1": one, "2": two } }', { A: '1,2' }),
    ).toEqual({
      surface: { x: ['one', 'two'] },
    });
    expect(field('{ from: A, transform: [{ split: "," }], lookup: { "1": one } }', { A: '1,3' })).toEqual([
      expect.objectContaining({
        code: 'LB_MAP_LOOKUP',
        message: 'mapping: surface.x: code is not in the lookup (1)',
        value: '1,3',
      }),
    ]);
    const many = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [String(i), 'v']));
    expect(field(`{ from: A, lookup: ${JSON.stringify(many)} }`, { A: 'x' })).toEqual([
      expect.objectContaining({
        message:
          'mapping: surface.x: code is not in the lookup (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (13 codes))',
      }),
    ]);
    const twelve = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [String(i), 'v']));
    expect(field(`{ from: A, lookup: ${JSON.stringify(twelve)} }`, { A: 'x' })).toEqual([
      expect.objectContaining({
        message: 'mapping: surface.x: code is not in the lookup (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)',
      }),
    ]);
    const required = { code: 'LB_MAP_REQUIRED', message: 'mapping: surface.x: value is required but empty' };
    expect(field('{ from: A, required: true }', { A: '' })).toEqual([
      expect.objectContaining({ ...required, value: '' }),
    ]);
    expect(field('{ from: A, transform: [{ split: "," }], required: true }', { A: ',' })).toEqual([
      expect.objectContaining(required),
    ]);
    expect(field('{ from: A, required: false }', { A: '' })).toEqual({ surface: { x: '' } });
    expect(field('{ from: A, required: true, default: d }', { A: '' })).toEqual({ surface: { x: 'd' } });
  });

  it('a date or binary value needs a transform', () => {
    const message = 'mapping: surface.x: a date or binary value needs a transform (e.g. { date: [...] })';
    expect(field('{ from: A }', { A: new Date(0) })).toEqual([
      expect.objectContaining({ code: 'LB_MAP_TYPE', message }),
    ]);
    expect(field('{ from: A }', { A: new Uint8Array(2) })).toEqual([
      expect.objectContaining({ code: 'LB_MAP_TYPE', message, value: '<2 bytes>' }),
    ]);
  });

  it('constants, defaults and fallbacks are copied: no two rows share a list', () => {
    const m = mapper(
      'fields:\n  surface.a: { const: [x] }\n  surface.b: { from: A, default: [y] }\n  surface.c: { from: C, lookup: { "1": z }, fallback: [w] }\n',
    );
    const first = m.map({ A: null, C: '9' });
    if (!first.ok) throw new Error('expected ok');
    (first.fields.surface.a as string[]).push('changed');
    (first.fields.surface.b as string[]).push('changed');
    (first.fields.surface.c as string[]).push('changed');
    expect(m.map({ A: null, C: '9' })).toEqual({
      ok: true,
      fields: { surface: { a: ['x'], b: ['y'], c: ['w'] } },
    });
  });

  it('personal values are masked in reasons: holder fields, personal columns, not a legal holder', () => {
    const bad = { A: '11010519491231002X\u0000' };
    const shown = (text: string) => {
      const r = map(text, bad);
      return Array.isArray(r) ? r.map((x) => x.value) : r;
    };
    expect(shown('fields:\n  holder.id: { from: A }\n')).toEqual(['1101***********02X\u0000']);
    // Paths that are not personal still never show a resident ID number: the number alone is masked.
    expect(shown('fields:\n  surface.x: { from: A }\n')).toEqual(['1101**********002X\u0000']);
    expect(shown('personal: [A]\nfields:\n  surface.x: { from: A }\n')).toEqual(['1101***********02X\u0000']);
    expect(shown('fields:\n  holder.idType: { const: "001" }\n  holder.id: { from: A }\n')).toEqual([
      '1101**********002X\u0000',
    ]);
    expect(shown('fields:\n  holder.idType: { from: A }\n')).toEqual(['1101**********002X\u0000']);
    expect(map('fields:\n  surface.x: { from: A }\n', { A: '91370406L24894136J\u0000' })).toMatchObject([
      { value: '91370406L24894136J\u0000' },
    ]);
  });
});
