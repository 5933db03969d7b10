/**
 * CSV code tables as spreadsheets save them: a field holding a comma or a quote is quoted
 * (RFC 4180, `""` for a quote inside), and some tools quote every field. The quotes were kept as
 * part of the code and the value: `"01"` never matched the source's 01 (a `fallback` stood in for
 * every row) and `"食品销售,餐饮服务"` was published with its quotes.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const FILE = '/maps/m.yaml';
const CSV = '/maps/forms.csv';

const compile = (csv: string) =>
  compileMappingText(
    'dictionaries:\n  forms: { file: ./forms.csv }\nfields:\n  surface.form: { from: ZTYT, lookup: forms, fallback: 其他 }\n',
    FILE,
    { files: new Map([[CSV, csv]]) },
  );
const form = (csv: string, code: string) => {
  const r = compile(csv).map({ ZTYT: code });
  return r.ok ? (r.fields.surface as { form?: unknown }).form : r.reasons.map((x) => x.code);
};
const problems = (csv: string) => {
  try {
    compile(csv);
    return [];
  } catch (e) {
    // The table's own problems (the rule naming it then also finds no dictionary `forms`).
    return (e as ConfigError).problems
      .filter((p) => p.file === CSV)
      .map((p) => `${p.file}:${p.line} ${p.message}`);
  }
};

describe('CSV code tables read quoted fields without their quotes', () => {
  it('every field quoted, header included', () => {
    const csv = '"code","value"\r\n"01","个体"\r\n"02","企业"\r\n';
    expect(form(csv, '01')).toBe('个体');
    expect(form(csv, '02')).toBe('企业');
  });

  it('a value holding a comma or a quote', () => {
    const csv = 'code,value\n01,"食品销售,餐饮服务"\n02,"称""连锁"""\n';
    expect(form(csv, '01')).toBe('食品销售,餐饮服务');
    expect(form(csv, '02')).toBe('称"连锁"');
  });

  it('unquoted lines read as before: the value is the rest of the line, trimmed', () => {
    const csv = 'code,value\n 01 , 个体 \n02,a,b\n';
    expect(form(csv, '01')).toBe('个体');
    expect(form(csv, '02')).toBe('a,b');
  });

  it('a broken quote is a problem at its file and line, not a code with a quote in it', () => {
    expect(problems('01,"个体\n')).toEqual([`${CSV}:1 a quoted field has no closing quote`]);
    expect(problems('01,ok\n"02" x,企业\n')).toEqual([`${CSV}:2 expected \`code,value\``]);
    expect(problems('01,"个体" 等\n')).toEqual([`${CSV}:1 text after the closing quote of the value`]);
  });

  it('a code quoted and unquoted is listed twice', () => {
    expect(problems('01,a\n"01",b\n')).toEqual([`${CSV}:2 code \`01\` is listed twice (first on line 1)`]);
  });
});
