/**
 * Code tables (inline, YAML file, CSV file) and the status check, one rule at a time. Lines and
 * columns are counted by hand on the texts below (from 1, as editors show them).
 */
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../catalog/yaml-source.js';
import type { Problem } from '../../core/errors.js';
import { buildDictionaries, dictionaryFiles, dictionaryPath } from '../../mappings/dictionaries.js';
import { checkCodeListValues } from '../../mappings/status-values.js';

const MAPPING = '/maps/food.yaml';
const build = (yaml: string, files: Record<string, string> = {}) => {
  const src = parseYamlSource(yaml, MAPPING);
  const problems: Problem[] = [];
  const raw = (src.doc.toJS() as { dictionaries?: unknown }).dictionaries;
  const dicts = buildDictionaries(raw, src, new Map(Object.entries(files)), problems);
  return { dicts, problems: problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`) };
};

describe('dictionary files', () => {
  it('paths relative to the mapping file, or absolute', () => {
    expect(dictionaryPath(MAPPING, './codes/z.yaml')).toBe('/maps/codes/z.yaml');
    expect(dictionaryPath(MAPPING, '../z.csv')).toBe('/z.csv');
    expect(dictionaryPath(MAPPING, '/abs/z.csv')).toBe('/abs/z.csv');
    expect(
      dictionaryFiles(
        { dictionaries: { a: { file: 'a.csv' }, b: { '1': 'x' }, c: { file: 5 }, d: 'x' } },
        MAPPING,
      ),
    ).toEqual(['/maps/a.csv']);
    expect(dictionaryFiles({ dictionaries: 'x' }, MAPPING)).toEqual([]);
    expect(dictionaryFiles(null, MAPPING)).toEqual([]);
  });
});

describe('buildDictionaries', () => {
  it('inline tables keep plain values; a nested value is refused where it is', () => {
    const ok = build('dictionaries:\n  zt:\n    "1": valid\n    "2": null\n    "3": 7\n    "4": true\n');
    expect(ok.problems).toEqual([]);
    expect([...(ok.dicts.get('zt') ?? [])]).toEqual([
      ['1', 'valid'],
      ['2', null],
      ['3', 7],
      ['4', true],
    ]);
    const bad = build('dictionaries:\n  zt:\n    "1": valid\n    "2": [a]\n');
    expect(bad.problems).toEqual(['/maps/food.yaml:4:10 expected code `2` to map to a plain value']);
    expect(bad.dicts.has('zt')).toBe(false);
  });

  it('the section and each table must be maps', () => {
    expect(build('dictionaries: [a]\n').problems).toEqual([
      '/maps/food.yaml:1:15 expected `dictionaries` to map names to code tables',
    ]);
    expect(build('dictionaries:\n  zt: [a]\n  ok: { "1": a }\n')).toMatchObject({
      problems: ['/maps/food.yaml:2:7 expected a map of codes to values, or { file: path }'],
    });
    expect(build('other: 1\n')).toEqual({ dicts: new Map(), problems: [] });
    // `file` beside other keys is an inline table with a code named file (codes in the order written).
    expect([...(build('dictionaries:\n  zt: { file: a.csv, "1": x }\n').dicts.get('zt') ?? [])]).toEqual([
      ['file', 'a.csv'],
      ['1', 'x'],
    ]);
  });

  it('a file that was not read is named', () => {
    expect(build('dictionaries:\n  zt: { file: codes/zt.csv }\n').problems).toEqual([
      '/maps/food.yaml:2:15 dictionary file /maps/codes/zt.csv is not readable',
    ]);
  });

  it('CSV: header, comments, blank lines and a BOM skipped; values trimmed; bad lines named', () => {
    const csv = '\uFEFFcode,value\r\n# comment\n\n 1 , 有效 \n2,a,b\n';
    const { dicts, problems } = build('dictionaries:\n  zt: { file: zt.CSV }\n', { '/maps/zt.CSV': csv });
    expect(problems).toEqual([]);
    expect([...(dicts.get('zt') ?? [])]).toEqual([
      ['1', '有效'],
      ['2', 'a,b'],
    ]);
    // The header is only skipped on the first line.
    const later = build('dictionaries:\n  zt: { file: zt.csv }\n', { '/maps/zt.csv': '1,a\ncode,value\n' });
    expect([...(later.dicts.get('zt') ?? [])]).toEqual([
      ['1', 'a'],
      ['code', 'value'],
    ]);
    const bad = build('dictionaries:\n  zt: { file: zt.csv }\n', { '/maps/zt.csv': '1,a\nnocomma\n1,b\n' });
    expect(bad.problems).toEqual([
      '/maps/zt.csv:2:1 expected `code,value`',
      '/maps/zt.csv:3:1 code `1` is listed twice (first on line 1)',
    ]);
    expect(bad.dicts.has('zt')).toBe(false);
    // The first row is the header also below comments; a repeat names both lines as counted.
    const commented = build('dictionaries:\n  zt: { file: zt.csv }\n', {
      '/maps/zt.csv': '# status codes\r\n\ncode,value\n1,a\n# old\n1,b\n',
    });
    expect(commented.problems).toEqual(['/maps/zt.csv:6:1 code `1` is listed twice (first on line 4)']);
    const headed = build('dictionaries:\n  zt: { file: zt.csv }\n', {
      '/maps/zt.csv': '# status codes\ncode,value\n1,a\n',
    });
    expect([...(headed.dicts.get('zt') ?? [])]).toEqual([['1', 'a']]);
  });

  it('YAML files: a map of plain values, else located problems', () => {
    const yaml = (text: string) => build('dictionaries:\n  zt: { file: zt.yml }\n', { '/maps/zt.yml': text });
    expect([...(yaml('1: a\n"02": 3\n').dicts.get('zt') ?? [])]).toEqual([
      ['1', 'a'],
      ['02', 3],
    ]);
    expect(yaml('- a\n').problems).toEqual(['/maps/zt.yml:1:1 expected a map of codes to values']);
    expect(yaml('1: a\n2: { x: 1 }\n').problems).toEqual([
      '/maps/zt.yml:2:4 expected code `2` to map to a plain value',
    ]);
    expect(yaml('1: a\n1: b\n').problems).toHaveLength(1);
    expect(yaml('1: a\n1: b\n').problems[0]).toMatch(/^\/maps\/zt\.yml:2:1 /);
  });
});

describe('status values', () => {
  const check = (yaml: string, table?: Map<string, string | number | boolean | null>) => {
    const src = parseYamlSource(yaml, MAPPING);
    const raw = (src.doc.toJS() as { fields: { status: Record<string, unknown> } }).fields.status;
    const problems: Problem[] = [];
    checkCodeListValues('status', raw, table, ['fields', 'status'], src, problems);
    return problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  };
  // The canonical statuses as docs/mapping-language.md lists them.
  const canonical =
    'expected one of valid, suspended, withdrawn, cancelled, expired, moved-out, revoked, other';

  it('const, fallback and default must be canonical; null is allowed', () => {
    expect(check('fields:\n  status: { const: valid, fallback: null }\n')).toEqual([]);
    expect(check('fields:\n  status: { const: vaild }\n')).toEqual([
      `2:20 status \`vaild\` is not canonical; ${canonical}`,
    ]);
    expect(check('fields:\n  status: { from: ZT, fallback: gone, default: 1 }\n')).toEqual([
      `2:33 status \`gone\` is not canonical; ${canonical}`,
      `2:48 status \`1\` is not canonical; ${canonical}`,
    ]);
  });

  it('every table value; an inline table points at its code, a named one at the lookup', () => {
    const inline = 'fields:\n  status:\n    from: ZT\n    lookup:\n      "1": valid\n      "2": lost\n';
    expect(
      check(
        inline,
        new Map([
          ['1', 'valid'],
          ['2', 'lost'],
          ['3', null],
        ]),
      ),
    ).toEqual([`6:12 code \`2\` maps to status \`lost\`, not canonical; ${canonical}`]);
    const named = 'fields:\n  status: { from: ZT, lookup: zt }\n';
    expect(check(named, new Map([['9', 'x']]))).toEqual([
      `2:31 code \`9\` of code table \`zt\` maps to status \`x\`, not canonical; ${canonical}`,
    ]);
    expect(check(named, undefined)).toEqual([]);
  });
});

describe('code tables at their edges', () => {
  const at = (yaml: string, files: Record<string, string> = {}) => {
    const src = parseYamlSource(yaml, MAPPING);
    const problems: Problem[] = [];
    const raw = (src.doc.toJS() as { dictionaries?: unknown }).dictionaries;
    return { dicts: buildDictionaries(raw, src, new Map(Object.entries(files)), problems), problems };
  };
  const csv = (text: string) => at('dictionaries:\n  zt: { file: zt.csv }\n', { '/maps/zt.csv': text });
  const entries = (d: ReadonlyMap<string, unknown> | undefined) => [...(d ?? [])];

  it('text where a map of tables belongs, or where a table belongs, is refused', () => {
    expect(at('dictionaries: codes\n').problems.map((p) => p.message)).toEqual([
      'expected `dictionaries` to map names to code tables',
    ]);
    const table = at('dictionaries:\n  zt: codes\n');
    expect(table.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '2:7 expected a map of codes to values, or { file: path }',
    ]);
    expect(table.dicts.size).toBe(0);
  });

  it('only a lone `file:` with text names a file; otherwise `file` is a code like any other', () => {
    const other = at('dictionaries:\n  zt: { file: a.csv, other: b }\n');
    expect(other.problems).toEqual([]);
    expect(entries(other.dicts.get('zt'))).toEqual([
      ['file', 'a.csv'],
      ['other', 'b'],
    ]);
    const number = at('dictionaries:\n  zt: { file: 5 }\n');
    expect(number.problems).toEqual([]);
    expect(entries(number.dicts.get('zt'))).toEqual([['file', 5]]);
  });

  it('a file is CSV only when its name ends in .csv', () => {
    const { dicts, problems } = at('dictionaries:\n  zt: { file: zt.csv.yaml }\n', {
      '/maps/zt.csv.yaml': '1: a\n2: b\n',
    });
    expect(problems).toEqual([]);
    expect(entries(dicts.get('zt'))).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
  });

  it('CSV: a blank line of spaces and a padded header are skipped; only a leading BOM is dropped', () => {
    const { dicts, problems } = csv(' code,value \t\n1,a\n   \n2,x\uFEFFy\n');
    expect(problems).toEqual([]);
    // U+FEFF inside a value is a zero-width no-break space: data, kept.
    expect(entries(dicts.get('zt'))).toEqual([
      ['1', 'a'],
      ['2', 'x\uFEFFy'],
    ]);
  });

  it('CSV: a line starting with a comma maps the empty code', () => {
    const { dicts, problems } = csv('1,a\n,none\n');
    expect(problems).toEqual([]);
    expect(entries(dicts.get('zt'))).toEqual([
      ['1', 'a'],
      ['', 'none'],
    ]);
  });

  it('CSV problems name the file and line, with no path inside a YAML document', () => {
    expect(csv('1,a\nnocomma\n').problems).toEqual([
      { file: '/maps/zt.csv', line: 2, column: 1, path: '', message: 'expected `code,value`' },
    ]);
  });

  it('YAML files: the problem of a file that is not a map points at the document; a bad value drops the table', () => {
    const yaml = (text: string) => at('dictionaries:\n  zt: { file: zt.yml }\n', { '/maps/zt.yml': text });
    expect(yaml('- a\n').problems).toEqual([
      { file: '/maps/zt.yml', line: 1, column: 1, path: '', message: 'expected a map of codes to values' },
    ]);
    const bad = yaml('1: a\n2: [b]\n');
    expect(bad.problems.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual(['2:4 2']);
    expect(bad.dicts.has('zt')).toBe(false);
  });
});

describe('status values: the path of a table problem', () => {
  it('an inline table names the code, a named dictionary the lookup', () => {
    const paths = (yaml: string, table: Map<string, string>) => {
      const src = parseYamlSource(yaml, MAPPING);
      const raw = (src.doc.toJS() as { fields: { status: Record<string, unknown> } }).fields.status;
      const problems: Problem[] = [];
      checkCodeListValues('status', raw, table, ['fields', 'status'], src, problems);
      return problems.map((p) => p.path);
    };
    const lost = new Map([['2', 'lost']]);
    expect(paths('fields:\n  status: { from: ZT, lookup: { "2": lost } }\n', lost)).toEqual([
      'fields.status.lookup.2',
    ]);
    expect(paths('fields:\n  status: { from: ZT, lookup: zt }\n', lost)).toEqual(['fields.status.lookup']);
  });
});
