/**
 * A number a driver hands over (a FLOAT or REAL column, a JSON source) is read as its decimal text
 * wherever a mapping reads it as text: by text transforms, a template, a lookup, `when` and `join`.
 * JavaScript writes a number below 10^-6 in exponent form (String(5e-7) is `5e-7`), which is no
 * decimal text: the license got `5e-7` for 0.0000005, a code table's `0.0000005` missed, and
 * `equals: 0.0000005` never held.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import type { InputValue } from '../../mappings/types.js';

const mapped = (fields: string, values: Record<string, InputValue>): unknown => {
  const result = compileMappingText(`fields:\n${fields}`, '/maps/m.yaml').map(values);
  if (!result.ok) throw new Error(JSON.stringify(result.reasons));
  return result.fields.surface;
};

describe('a number read as text is its decimal text', () => {
  it('through text transforms', () => {
    expect(mapped('  surface.limit: { from: A, transform: [trim] }\n', { A: 5e-7 })).toEqual({
      limit: '0.0000005',
    });
    expect(mapped('  surface.limit: { from: A, transform: [upper] }\n', { A: -1.25e-7 })).toEqual({
      limit: '-0.000000125',
    });
    expect(mapped('  surface.limit: { from: A, transform: [trim] }\n', { A: 0.000001 })).toEqual({
      limit: '0.000001',
    });
    expect(mapped('  surface.limit: { from: A, transform: [trim] }\n', { A: 1234.5 })).toEqual({
      limit: '1234.5',
    });
  });

  it('in a template', () => {
    expect(mapped('  surface.limit: { template: "≤{A} mg" }\n', { A: 3e-7 })).toEqual({
      limit: '≤0.0000003 mg',
    });
  });

  it('in a lookup', () => {
    expect(mapped('  surface.grade: { from: A, lookup: { "0.0000005": 一级 } }\n', { A: 5e-7 })).toEqual({
      grade: '一级',
    });
  });

  it('in a when condition', () => {
    const fields =
      '  surface.grade:\n    - { when: { column: A, equals: "0.0000005" }, const: 一级 }\n    - { const: 其他 }\n';
    expect(mapped(fields, { A: 5e-7 })).toEqual({ grade: '一级' });
  });

  it('in join', () => {
    expect(
      mapped('  surface.limits: { from: A, transform: [list, { join: "、" }] }\n', { A: '[5e-7, 0.5]' }),
    ).toEqual({ limits: '0.0000005、0.5' });
  });
});
