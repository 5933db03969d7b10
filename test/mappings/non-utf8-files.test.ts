/**
 * Mapping files, code tables and mapping test files are read as UTF-8. One saved as GBK or
 * GB18030 — what a Chinese Windows editor or spreadsheet writes as "ANSI" or "CSV" — decodes with
 * U+FFFD for every Chinese character's bytes, and a code table's values went into licenses as
 * `�����`: lookup values are not source values, so no input check saw them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMapping } from '../../mappings/compile.js';
import { runMappingTestFiles } from '../../pipelines/mapping-tests.js';

const gbk = (text: string) => iconv.encode(text, 'gbk');

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lb-gbk-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function problems(file: string): Promise<string[]> {
  try {
    await compileMapping(file);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => `${p.file.slice(p.file.lastIndexOf('/') + 1)}:${p.line} ${p.message}`);
  }
}

const MAPPING =
  'dictionaries:\n  forms: { file: ./forms.csv }\nfields:\n  surface.form: { from: ZTYT, lookup: forms }\n';

describe('files that are not UTF-8 are refused at their file and line', () => {
  it('a GBK code table (CSV) is a problem at its first damaged line, not a table of broken values', async () => {
    const dir = folder({ 'm.yaml': MAPPING, 'forms.csv': gbk('code,value\n01,个体\n02,企业\n') });
    // The table's own problem (the rule naming it then also finds no dictionary `forms`).
    const found = (await problems(join(dir, 'm.yaml'))).filter((p) => p.startsWith('forms.'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^forms\.csv:2 not UTF-8 text: .*save the file as UTF-8/);
  });

  it('a GBK code table (YAML) likewise', async () => {
    const dir = folder({
      'm.yaml': MAPPING.replace('forms.csv', 'forms.yaml'),
      'forms.yaml': gbk('"01": 个体\n"02": 企业\n'),
    });
    const found = (await problems(join(dir, 'm.yaml'))).filter((p) => p.startsWith('forms.'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^forms\.yaml:1 not UTF-8 text: /);
  });

  it('a GBK mapping file: its constants would be written as broken text', async () => {
    const dir = folder({
      'm.yaml': gbk('fields:\n  number: { from: XKZBH }\n  surface.kind: { const: 食品经营 }\n'),
    });
    const found = await problems(join(dir, 'm.yaml'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^m\.yaml:3 not UTF-8 text: /);
  });

  it('the same tables in UTF-8 map as written', async () => {
    const dir = folder({ 'm.yaml': MAPPING, 'forms.csv': '\uFEFFcode,value\n01,个体\n' });
    const r = (await compileMapping(join(dir, 'm.yaml'))).map({ ZTYT: '01' });
    expect(r.ok && r.fields.surface).toEqual({ form: '个体' });
  });

  it('a GBK mapping test file is reported as not compiling, naming the file and line', async () => {
    const dir = folder({
      'm.yaml': 'fields:\n  number: { from: XKZBH }\n',
      'm.test.yaml': gbk(
        'row: { XKZBH: "JY1" }\ncases:\n  - name: 正常\n    expect: { fields: { number: JY1 } }\n',
      ),
    });
    const { summary, results } = await runMappingTestFiles([dir]);
    expect(summary.broken).toBe(1);
    expect(results[0]?.problems?.[0]).toMatch(/m\.test\.yaml:3:\d+: .*not UTF-8 text: /);
  });
});
