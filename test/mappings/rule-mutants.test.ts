/**
 * Rule edges the first rule tests left open: lists holding no value under a lookup, `required`
 * after a lookup, reasons that have no column or no value, a rule map that is `null`, where a
 * block-style rule is located, and compileRule's own contract (undefined for a rule it cannot
 * compile, no `column` key for a rule that reads none).
 */
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../catalog/yaml-source.js';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { parseOutputPath } from '../../mappings/output-path.js';
import { compileRule, type RuleContext } from '../../mappings/rule.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { InputValue } from '../../mappings/types.js';

const FILE = '/maps/m.yaml';
const mapOne = (rule: string, values: Record<string, InputValue> = {}) => {
  const r = compileMappingText(`fields:\n  surface.x: ${rule}\n`, FILE).map(values);
  return r.ok ? r.fields : r.reasons;
};

describe('lookups at run time', () => {
  it('a list item with no value stays null; the others are looked up', () => {
    expect(mapOne('{ const: ["1", null, "2"], lookup: { "1": one, "2": two } }')).toEqual({
      surface: { x: ['one', null, 'two'] },
    });
  });

  it('a code the lookup maps to null is still required', () => {
    const rule = '{ from: A, lookup: { "0": null, "1": one }, required: true }';
    expect(mapOne(rule, { A: '1' })).toEqual({ surface: { x: 'one' } });
    expect(mapOne(rule, { A: '0' })).toEqual([
      expect.objectContaining({
        code: 'LB_MAP_REQUIRED',
        message: 'mapping: surface.x: value is required but empty',
        column: 'A',
        value: '0',
      }),
    ]);
    // An empty text looked up is still empty.
    expect(mapOne('{ from: A, lookup: { "1": "" }, required: true }', { A: '1' })).toEqual([
      expect.objectContaining({ code: 'LB_MAP_REQUIRED' }),
    ]);
  });
});

describe('empty values', () => {
  it('a list is empty only when it has no items', () => {
    expect(mapOne('{ const: [a], required: true }')).toEqual({ surface: { x: ['a'] } });
    expect(mapOne('{ const: [], required: true }')).toEqual([
      expect.objectContaining({ code: 'LB_MAP_REQUIRED' }),
    ]);
    const split = '{ from: A, transform: [{ split: "," }], default: [none] }';
    expect(mapOne(split, { A: 'a,b' })).toEqual({ surface: { x: ['a', 'b'] } });
    expect(mapOne('{ from: A, default: none }', { A: 'abc' })).toEqual({ surface: { x: 'abc' } });
    expect(mapOne('{ from: A, default: none }', { A: 0 })).toEqual({ surface: { x: 0 } });
  });
});

describe('a reason carries only what the rule has', () => {
  it('a constant has no column and no source value to show', () => {
    const [reason] = mapOne('{ const: "", required: true }') as unknown[];
    expect(reason).toStrictEqual({
      code: 'LB_MAP_REQUIRED',
      message: 'mapping: surface.x: value is required but empty',
      path: 'surface.x',
      location: `${FILE}:2`,
    });
  });

  it('a missing column has the column and no value', () => {
    const [reason] = mapOne('{ from: A }') as unknown[];
    expect(reason).toStrictEqual({
      code: 'LB_MAP_COLUMN',
      message: 'mapping: surface.x: column A is not in the row',
      path: 'surface.x',
      location: `${FILE}:2`,
      column: 'A',
    });
  });
});

describe('rule maps at compile time', () => {
  it('a rule that is null is not a rule map', () => {
    try {
      compileMappingText('fields:\n  surface.x: null\n', FILE);
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
        '2:14 expected a rule map like { from: COLUMN, transform: [trim] }',
      ]);
    }
  });

  it('a block-style rule is located at the line naming its field', () => {
    const m = compileMappingText('fields:\n  surface.x:\n    from: A\n    required: true\n', FILE);
    expect(m.origins['surface.x']).toEqual({ column: 'A', location: `${FILE}:2` });
    const r = m.map({ A: '' });
    expect(r.ok ? [] : r.reasons.map((x) => x.location)).toEqual([`${FILE}:2`]);
  });
});

describe('compileRule', () => {
  // Built inside each test: per-test coverage credits only code run in a test body.
  const compileOne = (rule: string) => {
    const src = parseYamlSource(`fields:\n  surface.x: ${rule}\n`, FILE);
    const ctx: RuleContext = {
      src,
      transforms: createTransformRegistry(),
      personalColumns: new Set(),
      dictionaries: new Map(),
      problems: [],
    };
    const raw = (src.doc.toJS() as { fields: Record<string, unknown> }).fields['surface.x'];
    const path = parseOutputPath('surface.x');
    if (typeof path === 'string') throw new Error(path);
    return { rule: compileRule(path, raw, ['fields', 'surface.x'], ctx), problems: ctx.problems };
  };

  it('returns undefined for a rule it cannot compile, with the problem pushed', () => {
    const bad = compileOne('{ from: A, transform: [titlecase] }');
    expect(bad.rule).toBeUndefined();
    expect(bad.problems).toHaveLength(1);
    expect(compileOne('{ from: "" }').rule).toBeUndefined();
  });

  it('a rule reading no column has no `column` key; one reading columns names them', () => {
    const constant = compileOne('{ const: 1 }');
    expect(constant.problems).toEqual([]);
    expect(constant.rule && 'column' in constant.rule).toBe(false);
    expect(compileOne('{ template: "{A}-{B}" }').rule?.column).toBe('A,B');
    expect(compileOne('{ from: A }').rule?.column).toBe('A');
  });
});
