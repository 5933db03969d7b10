/**
 * A blank code column is no code: MySQL and SQL Server exports hold `''` where Oracle holds NULL
 * (Oracle stores the empty string as NULL), and `when: { empty: true }`, `default` and `required`
 * take both as empty. `lookup` skipped NULL but looked `''` up: with a `fallback` a blank business
 * form was published as 其他, and a required status read `code is not in the lookup` instead of
 * `value is required but empty` — one table's rows mapping otherwise by the database they sit in.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const mapping = (rule: string) => compileMappingText(`fields:\n  surface.form: ${rule}\n`, '/maps/m.yaml');
const form = (rule: string, value: string | null) => {
  const r = mapping(rule).map({ ZTYT: value });
  return r.ok
    ? (r.fields.surface as { form?: unknown }).form
    : r.reasons.map((x) => `${x.code} ${x.message}`);
};

describe('lookup of a blank code', () => {
  const withFallback = '{ from: ZTYT, lookup: { "01": 个体, "02": 企业 }, fallback: 其他 }';
  const required = '{ from: ZTYT, lookup: { "01": 个体, "02": 企业 }, required: true }';

  it('with a fallback, a blank code maps as NULL does: no value, not the fallback', () => {
    expect(form(withFallback, null)).toBeNull();
    expect(form(withFallback, '')).toBeNull();
    expect(form(withFallback, '   ')).toBeNull();
    expect(form(withFallback, '03')).toBe('其他');
  });

  it('required, a blank code is a missing value, as NULL is, not a code the table lacks', () => {
    const empty = ['LB_MAP_REQUIRED mapping: surface.form: value is required but empty'];
    expect(form(required, null)).toEqual(empty);
    expect(form(required, '')).toEqual(empty);
    expect(form(required, ' ')).toEqual(empty);
  });

  it('with a default, a blank code of spaces takes the default, as NULL and empty text do', () => {
    const withDefault = '{ from: ZTYT, lookup: { "01": 个体 }, fallback: 其他, default: 未填 }';
    expect(form(withDefault, null)).toBe('未填');
    expect(form(withDefault, '')).toBe('未填');
    expect(form(withDefault, '  ')).toBe('未填');
    expect(form(withDefault, '01 ')).toBe('个体');
  });

  it('a table that lists the blank code maps it as written', () => {
    expect(form('{ from: ZTYT, lookup: { "": 未填, "01": 个体 }, fallback: 其他 }', '')).toBe('未填');
    expect(form('{ from: ZTYT, lookup: { "": 未填, "01": 个体 }, fallback: 其他 }', '  ')).toBe('未填');
  });
});
