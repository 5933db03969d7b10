/**
 * A CSV code table whose lines end in a CR alone, as Excel for Mac saves "CSV (Comma delimited)"
 * and classic Mac tools write text: it was read as one line, a single code `code` whose value was
 * the whole rest of the file, and every source code missed the table, a `fallback` standing in for
 * every row without a word. A CR alone ends a line, as CR LF and LF do.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const FILE = '/maps/m.yaml';
const CSV = '/maps/forms.csv';

const form = (csv: string, code: string) => {
  const mapping = compileMappingText(
    'dictionaries:\n  forms: { file: ./forms.csv }\nfields:\n  surface.form: { from: ZTYT, lookup: forms, fallback: 其他 }\n',
    FILE,
    { files: new Map([[CSV, csv]]) },
  );
  const r = mapping.map({ ZTYT: code });
  return r.ok ? (r.fields.surface as { form?: unknown }).form : r.reasons.map((x) => x.code);
};

describe('CSV code tables with lines ended by a CR alone', () => {
  it.each([
    ['CR', 'code,value\r01,个体\r02,企业\r'],
    ['CR, no header, quoted', '"01","个体"\r"02","企业"'],
    ['CR LF', 'code,value\r\n01,个体\r\n02,企业\r\n'],
    ['LF', 'code,value\n01,个体\n02,企业\n'],
  ])('%s: each code reads its own value', (_name, csv) => {
    expect(form(csv, '01')).toBe('个体');
    expect(form(csv, '02')).toBe('企业');
    expect(form(csv, '03')).toBe('其他');
  });

  it('a duplicate code is named at its line, counted by CRs', () => {
    expect(() =>
      compileMappingText(
        'dictionaries:\n  forms: { file: ./forms.csv }\nfields:\n  surface.form: { from: ZTYT, lookup: forms }\n',
        FILE,
        { files: new Map([[CSV, 'code,value\r01,个体\r01,企业\r']]) },
      ),
    ).toThrow(/forms\.csv:3|line 3/);
  });
});
