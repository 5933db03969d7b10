/**
 * `lookup` reads a code as `when` does, trimmed: a CHAR(2) column gives `'01 '` (a source read
 * without `trim`, a file export), and with a `fallback` the padded code silently took the
 * fallback instead of the value the table holds for it (个体 published as 其他).
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const mapping = (rule: string) => compileMappingText(`fields:\n  surface.form: ${rule}\n`, '/maps/m.yaml');
const form = (rule: string, value: unknown) => {
  const r = mapping(rule).map({ ZTYT: value as string });
  return r.ok ? (r.fields.surface as { form?: unknown }).form : r.reasons.map((x) => x.code);
};

describe('lookup finds a CHAR-padded code', () => {
  const withFallback = '{ from: ZTYT, lookup: { "01": 个体, "02": 企业 }, fallback: 其他 }';
  const strict = '{ from: ZTYT, lookup: { "01": 个体, "02": 企业 } }';

  it('with a fallback, the padded code takes its own value, not the fallback', () => {
    expect(form(withFallback, '01 ')).toBe('个体');
    expect(form(withFallback, ' 02')).toBe('企业');
    expect(form(withFallback, '03 ')).toBe('其他');
  });

  it('without a fallback, the padded code is found instead of refused', () => {
    expect(form(strict, '01  ')).toBe('个体');
    expect(form(strict, '03 ')).toEqual(['LB_MAP_LOOKUP']);
  });

  it('a code written with its spaces in the table still matches as written', () => {
    expect(form('{ from: ZTYT, lookup: { "1 ": a, "1": b } }', '1 ')).toBe('a');
    expect(form('{ from: ZTYT, lookup: { "1 ": a, "1": b } }', '1')).toBe('b');
  });

  it('agrees with `when`, which compares trimmed text', () => {
    const r = compileMappingText(
      'fields:\n  surface.form:\n    - { when: { column: ZTYT, equals: "01" }, const: 个体 }\n    - { const: 其他 }\n',
      '/maps/m.yaml',
    ).map({ ZTYT: '01 ' });
    expect(r.ok && (r.fields.surface as { form?: unknown }).form).toBe(form(withFallback, '01 '));
  });
});
