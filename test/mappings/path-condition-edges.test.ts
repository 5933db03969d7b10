/**
 * Output paths and `when:` conditions one rule at a time; expected values worked by hand from
 * the documented rules (docs/mappings.md: paths, list paths, conditions on trimmed text,
 * before/after on calendar days).
 */
import { describe, expect, it } from 'vitest';
import {
  type ConditionProblem,
  compileCondition,
  conditionDay,
  conditionText,
} from '../../mappings/condition.js';
import {
  type OutputPath,
  parseOutputPath,
  pathsClash,
  toRulePath,
  writePath,
} from '../../mappings/output-path.js';

const path = (text: string): OutputPath => {
  const p = parseOutputPath(text);
  if (typeof p === 'string') throw new Error(p);
  return p;
};

describe('output paths', () => {
  it('license paths, surface paths, and what is wrong with others', () => {
    expect(path('holder.id')).toEqual({
      text: 'holder.id',
      plain: 'holder.id',
      segments: [
        { name: 'holder', list: false },
        { name: 'id', list: false },
      ],
    });
    for (const p of ['contact.phone', 'predecessor.sourceKey', 'operation', 'status'])
      expect(path(p).text).toBe(p);
    expect(parseOutputPath('holder.birthday')).toMatch(
      /^unknown output path `holder.birthday`; expected one of number, holder.name, .* or surface.<field>$/,
    );
    expect(parseOutputPath('identifier')).toMatch(/^unknown output path/);
    expect(parseOutputPath('xsurface.a')).toMatch(/^unknown output path/);
    const shape = (t: string) =>
      `surface path \`${t}\` must be dot-separated names (no spaces, invisible characters or digits alone), a list marked once with [] (surface.items[].name)`;
    for (const t of [
      'surface.',
      'surface.a..b',
      'surface.1',
      'surface.a b',
      'surface.a[]x',
      'surface.a[][]',
      'surface.a.__proto__',
      'surface.constructor',
      'surface.prototype[]',
    ])
      expect(parseOutputPath(t), t).toBe(shape(t));
    expect(parseOutputPath('surface.a[].b[]')).toBe(
      'surface path `surface.a[].b[]` marks more than one list; one [] per path',
    );
    expect(path('surface.items[].name')).toEqual({
      text: 'surface.items[].name',
      plain: 'surface.items.name',
      segments: [
        { name: 'surface', list: false },
        { name: 'items', list: true },
        { name: 'name', list: false },
      ],
    });
    expect(path('surface._a9').plain).toBe('surface._a9');
    // Face fields are named as the catalog entry names them (surface-field-names.test.ts).
    expect(path('surface.1a').plain).toBe('surface.1a');
    expect(path('surface.a-b[].名称').plain).toBe('surface.a-b.名称');
  });

  it('two paths clash when equal or one holds the other', () => {
    const clash = (a: string, b: string) => pathsClash(path(a), path(b));
    expect(clash('surface.a', 'surface.a')).toBe(true);
    expect(clash('surface.a', 'surface.a.b')).toBe(true);
    expect(clash('surface.a.b', 'surface.a')).toBe(true);
    expect(clash('surface.items[]', 'surface.items[].name')).toBe(true);
    expect(clash('surface.a', 'surface.ab')).toBe(false);
    expect(clash('surface.ab', 'surface.a')).toBe(false);
    expect(clash('surface.items[].a', 'surface.items[].b')).toBe(false);
  });

  it('writes plain paths, lists, and zips list items, replacing what is not an object', () => {
    const t: Record<string, unknown> = { surface: { keep: 1, scalar: 'x' } };
    writePath(t, path('surface.scalar.inner'), 2);
    writePath(t, path('holder.id'), 'i');
    expect(t).toEqual({ surface: { keep: 1, scalar: { inner: 2 } }, holder: { id: 'i' } });

    const l: Record<string, unknown> = {};
    writePath(l, path('surface.items[].name'), ['a', 'b']);
    writePath(l, path('surface.items[].code'), ['1', '2', '3']);
    expect(l).toEqual({
      surface: { items: [{ name: 'a', code: '1' }, { name: 'b', code: '2' }, { code: '3' }] },
    });
    writePath(l, path('surface.tags[]'), 'one');
    writePath(l, path('surface.none[]'), null);
    writePath(l, path('surface.undef[]'), undefined);
    writePath(l, path('surface.list[]'), ['x']);
    expect(l.surface).toMatchObject({ tags: ['one'], none: [], undef: [], list: ['x'] });
    // A lone value zips as the first item; an existing non-object item and a non-list are replaced.
    const z: Record<string, unknown> = { surface: { items: [5, null, [1]], other: 'x' } };
    writePath(z, path('surface.items[].n'), [1, 2, 3]);
    writePath(z, path('surface.other[].n'), 7);
    writePath(z, path('surface.fresh[].n'), null);
    expect(z).toEqual({ surface: { items: [{ n: 1 }, { n: 2 }, { n: 3 }], other: [{ n: 7 }], fresh: [] } });
    const deep: Record<string, unknown> = { a: null };
    writePath(deep, path('surface.a[].b.c'), ['v']);
    expect(deep).toEqual({ a: null, surface: { a: [{ b: { c: 'v' } }] } });
  });

  it('a data path back in rule form', () => {
    expect(toRulePath('surface.items.0.name')).toBe('surface.items[].name');
    expect(toRulePath('surface.items.12')).toBe('surface.items[]');
    expect(toRulePath('surface.a1.b')).toBe('surface.a1.b');
    expect(toRulePath('surface.x.1a')).toBe('surface.x.1a');
  });
});

const cond = (raw: unknown) => {
  const problems: ConditionProblem[] = [];
  const columns = new Set<string>();
  const c = compileCondition(raw, ['when'], problems, columns);
  return { c, problems, columns };
};
const ok = (raw: unknown) => {
  const { c, problems } = cond(raw);
  if (!c) throw new Error(JSON.stringify(problems));
  return c;
};
const problem = (raw: unknown) => cond(raw).problems;

describe('conditions', () => {
  it('values as trimmed text; binary and no value as null; dates as ISO text', () => {
    expect(conditionText(' 1 ')).toBe('1');
    expect(conditionText(12)).toBe('12');
    expect(conditionText(true)).toBe('true');
    expect(conditionText(null)).toBeNull();
    expect(conditionText(undefined)).toBeNull();
    expect(conditionText(new Uint8Array(1))).toBeNull();
    expect(conditionText(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(conditionText(new Date(Number.NaN))).toBeNull();
  });

  it('a value as a calendar day', () => {
    expect(conditionDay('20240229')).toBe('2024-02-29');
    expect(conditionDay('2024-2-9')).toBe('2024-02-09');
    expect(conditionDay('2024/12/31 23:59')).toBe('2024-12-31');
    expect(conditionDay('2024-12-31T10:00')).toBe('2024-12-31');
    expect(conditionDay(' 20240101 ')).toBe('2024-01-01');
    expect(conditionDay(new Date(Date.UTC(2024, 0, 2, 23)))).toBe('2024-01-02');
    for (const v of [
      '20230229',
      '00000000',
      '',
      '2024-01-01x',
      '2024-1',
      '202401011',
      // Dots and 年月日 are days (condition-day-legacy-shapes); an underscore is no separator.
      '2024_01_01',
      '2024.01-01x',
      null,
      new Date(Number.NaN),
    ])
      expect(conditionDay(v as never), String(v)).toBeUndefined();
  });

  it('equals, in, matches, empty on trimmed text; a missing column is named', () => {
    expect(ok({ column: 'ZT', equals: '1' })({ ZT: ' 1 ' })).toBe(true);
    expect(ok({ column: 'ZT', equals: 1 })({ ZT: '1' })).toBe(true);
    expect(ok({ column: 'ZT', equals: '1' })({ ZT: '2' })).toBe(false);
    expect(ok({ column: 'ZT', equals: null })({ ZT: null })).toBe(true);
    expect(ok({ column: 'ZT', equals: null })({ ZT: '' })).toBe(false);
    expect(ok({ column: 'ZT', equals: '1' })({})).toEqual({ missing: 'ZT' });
    expect(ok({ column: 'ZT', in: ['1', 2, true] })({ ZT: 2 })).toBe(true);
    expect(ok({ column: 'ZT', in: ['1', 'true'] })({ ZT: 'true' })).toBe(true);
    expect(ok({ column: 'ZT', in: ['null'] })({ ZT: null })).toBe(false);
    expect(ok({ column: 'ZT', in: [] })({ ZT: '1' })).toBe(false);
    expect(ok({ column: 'ZT', matches: '^J' })({ ZT: ' JY1' })).toBe(true);
    expect(ok({ column: 'ZT', matches: '.*' })({ ZT: null })).toBe(false);
    expect(ok({ column: 'ZT', empty: true })({ ZT: '  ' })).toBe(true);
    expect(ok({ column: 'ZT', empty: true })({ ZT: null })).toBe(true);
    expect(ok({ column: 'ZT', empty: false })({ ZT: 'x' })).toBe(true);
    expect(ok({ column: 'ZT', empty: false })({ ZT: '' })).toBe(false);
    expect(ok({ column: 'ZT', empty: true })({})).toEqual({ missing: 'ZT' });
    const { columns } = cond({ all: [{ column: 'A', equals: 1 }, { not: { column: 'B', empty: true } }] });
    expect([...columns]).toEqual(['A', 'B']);
  });

  it('before and after: calendar days, against a fixed date or today', () => {
    const env = { today: '2024-06-15' };
    expect(ok({ column: 'D', before: 'today' })({ D: '20240614' }, env)).toBe(true);
    expect(ok({ column: 'D', before: 'today' })({ D: '20240615' }, env)).toBe(false);
    expect(ok({ column: 'D', after: 'today' })({ D: '20240616' }, env)).toBe(true);
    expect(ok({ column: 'D', after: 'today' })({ D: '20240615' }, env)).toBe(false);
    expect(ok({ column: 'D', after: '2024-01-01' })({ D: '2024-01-02' }, env)).toBe(true);
    expect(ok({ column: 'D', before: '2024-01-01' })({ D: '2023-12-31' }, { today: '2000-01-01' })).toBe(
      true,
    );
    expect(ok({ column: 'D', before: 'today' })({ D: 'soon' }, env)).toBe(false);
    expect(ok({ column: 'D', after: 'today' })({}, env)).toEqual({ missing: 'D' });
    // No today given: the clock's date; a day far in the past is before it.
    expect(ok({ column: 'D', before: 'today' })({ D: '19000101' })).toBe(true);
    expect(ok({ column: 'D', after: 'today' })({ D: '99991231' })).toBe(true);
  });

  it('all, any and not, passing a missing column on', () => {
    const a = { column: 'A', equals: '1' };
    const b = { column: 'B', equals: '1' };
    expect(ok({ all: [a, b] })({ A: '1', B: '1' })).toBe(true);
    expect(ok({ all: [a, b] })({ A: '1', B: '2' })).toBe(false);
    expect(ok({ all: [a, b] })({ A: '2' })).toBe(false);
    expect(ok({ all: [a, b] })({ A: '1' })).toEqual({ missing: 'B' });
    expect(ok({ any: [a, b] })({ A: '2', B: '1' })).toBe(true);
    expect(ok({ any: [a, b] })({ A: '2', B: '2' })).toBe(false);
    expect(ok({ any: [a, b] })({ A: '1' })).toBe(true);
    expect(ok({ any: [a, b] })({ A: '2' })).toEqual({ missing: 'B' });
    expect(ok({ not: a })({ A: '1' })).toBe(false);
    expect(ok({ not: a })({ A: '2' })).toBe(true);
    expect(ok({ not: a })({})).toEqual({ missing: 'A' });
  });

  it('every malformed condition, with its message and where it points', () => {
    expect(problem('x')).toEqual([
      { at: ['when'], message: 'expected a condition like { column: ZT, equals: "1" }' },
    ]);
    expect(problem([])).toEqual([
      { at: ['when'], message: 'expected a condition like { column: ZT, equals: "1" }' },
    ]);
    for (const g of ['all', 'any']) {
      const message = `expected \`${g}\` alone, with a non-empty list of conditions`;
      expect(problem({ [g]: [] })).toEqual([{ at: ['when'], message }]);
      expect(problem({ [g]: {} })).toEqual([{ at: ['when'], message }]);
      expect(problem({ [g]: [{ column: 'A', equals: 1 }], column: 'A' })).toEqual([
        { at: ['when'], message },
      ]);
      expect(problem({ [g]: [{ column: 'A', equals: 1 }, 'x'] })).toEqual([
        { at: ['when', g, 1], message: 'expected a condition like { column: ZT, equals: "1" }' },
      ]);
    }
    expect(problem({ not: { column: 'A', equals: 1 }, column: 'A' })).toEqual([
      { at: ['when'], message: 'expected `not` alone, with one condition' },
    ]);
    expect(problem({ not: 'x' })).toEqual([{ at: ['when', 'not'], message: expect.any(String) }]);
    expect(problem({ equals: 1 })).toEqual([{ at: ['when'], message: 'expected `column` to name a column' }]);
    expect(problem({ column: '', equals: 1 })).toEqual([
      { at: ['when'], message: 'expected `column` to name a column' },
    ]);
    expect(problem({ column: 'A', equal: 1 })).toEqual([
      {
        at: ['when', 'equal'],
        message:
          'unknown condition key `equal`; expected column with one of equals, in, matches, empty, before, after',
      },
    ]);
    expect(problem({ column: 'A' })).toEqual([
      {
        at: ['when'],
        message: 'expected exactly one of equals, in, matches, empty, before, after beside `column`',
      },
    ]);
    expect(problem({ column: 'A', equals: 1, empty: true })).toHaveLength(1);
    expect(problem({ column: 'A', equals: [1] })).toEqual([
      { at: ['when', 'equals'], message: 'expected `equals` to be a plain value' },
    ]);
    expect(problem({ column: 'A', in: 'x' })).toEqual([
      { at: ['when', 'in'], message: 'expected `in` to be a list of plain values' },
    ]);
    expect(problem({ column: 'A', in: [null] })).toEqual([
      { at: ['when', 'in'], message: 'expected `in` to be a list of plain values' },
    ]);
    expect(problem({ column: 'A', matches: 1 })).toEqual([
      { at: ['when', 'matches'], message: 'expected `matches` to be a regular expression' },
    ]);
    expect(problem({ column: 'A', matches: '(a' })).toEqual([
      { at: ['when', 'matches'], message: expect.stringMatching(/^invalid regular expression/) },
    ]);
    for (const t of ['before', 'after'])
      for (const v of ['tomorrow', '2024-02-30', 20240101])
        expect(problem({ column: 'A', [t]: v })).toEqual([
          { at: ['when', t], message: `expected \`${t}\` to be \`today\` or a date YYYY-MM-DD` },
        ]);
    expect(problem({ column: 'A', empty: 'yes' })).toEqual([
      { at: ['when', 'empty'], message: 'expected `empty` to be true or false' },
    ]);
    // A bad part makes the whole group fail, every bad part reported.
    expect(cond({ all: [{ column: 'A' }, { column: 'B' }] }).c).toBeUndefined();
    expect(problem({ all: [{ column: 'A' }, { column: 'B' }] })).toHaveLength(2);
  });
});
