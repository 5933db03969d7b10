/**
 * Code tables written the way legacy code lists look (`01: 有效`): YAML 1.2 reads an unquoted `01`
 * as the integer 1, which silently turned the codes 01 and 02 into 1 and 2 (and a value 0532 into
 * 532), so source code "02" missed the table or took its fallback. A plain number written other
 * than as its own canonical text is now the text written.
 */
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../catalog/yaml-source.js';
import type { ConfigError, Problem } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { buildDictionaries } from '../../mappings/dictionaries.js';

const MAPPING = '/maps/food.yaml';
const build = (yaml: string, files: Record<string, string> = {}) => {
  const src = parseYamlSource(yaml, MAPPING);
  const problems: Problem[] = [];
  const raw = (src.doc.toJS() as { dictionaries?: unknown }).dictionaries;
  const dicts = buildDictionaries(raw, src, new Map(Object.entries(files)), problems);
  return { dicts, problems: problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`) };
};
const entries = (d: ReadonlyMap<string, unknown> | undefined) => [...(d ?? new Map()).entries()];

describe('codes and values with leading zeros are the text written', () => {
  it('inline dictionary: 01 and 02 stay codes 01 and 02', () => {
    const r = build('dictionaries:\n  zt:\n    01: valid\n    02: suspended\n    3: revoked\n');
    expect(r.problems).toEqual([]);
    expect(entries(r.dicts.get('zt'))).toEqual([
      ['01', 'valid'],
      ['02', 'suspended'],
      ['3', 'revoked'],
    ]);
  });

  it('dictionary file: 01 and 02 stay codes 01 and 02', () => {
    const r = build('dictionaries:\n  zt: { file: ./zt.yaml }\n', {
      '/maps/zt.yaml': '01: valid\n02: suspended\n',
    });
    expect(r.problems).toEqual([]);
    expect(entries(r.dicts.get('zt'))).toEqual([
      ['01', 'valid'],
      ['02', 'suspended'],
    ]);
  });

  it('values keep their text too; canonical numbers, booleans and null stay as YAML reads them', () => {
    const r = build(
      'dictionaries:\n  zt:\n    a: 01\n    b: 0532\n    c: 1.50\n    d: 7\n    e: 2.5\n    f: true\n    g: ~\n    h: "09"\n',
    );
    expect(r.problems).toEqual([]);
    expect(entries(r.dicts.get('zt'))).toEqual([
      ['a', '01'],
      ['b', '0532'],
      ['c', '1.50'],
      ['d', 7],
      ['e', 2.5],
      ['f', true],
      ['g', null],
      ['h', '09'],
    ]);
  });

  it('01 and "01" in one table are the same code, refused at file:line', () => {
    const r = build('dictionaries:\n  zt:\n    01: valid\n    "01": suspended\n');
    expect(r.problems).toEqual(['/maps/food.yaml:4:5 code `01` is listed twice']);
    const f = build('dictionaries:\n  zt: { file: ./zt.yaml }\n', {
      '/maps/zt.yaml': '01: valid\n"01": suspended\n',
    });
    expect(f.problems).toEqual(['/maps/zt.yaml:2:1 code `01` is listed twice']);
  });
});

describe('problems name the code written', () => {
  it('a status code 01 with a typo is refused at its own line, not the lookup line', () => {
    const yaml = 'fields:\n  status:\n    from: A\n    lookup:\n      02: valid\n      01: vaild\n';
    let problems: string[] = [];
    try {
      compileMappingText(yaml, MAPPING);
    } catch (e) {
      problems = (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message.split(';')[0]}`);
    }
    expect(problems).toEqual(['6:11 code `01` maps to status `vaild`, not canonical']);
  });
});

describe('through a rule', () => {
  const run = (rule: string, A: string | number) => {
    const m = compileMappingText(`fields:\n  surface.x: ${rule}\n`, MAPPING);
    const r = m.map({ A }, { today: '2024-06-15' });
    return r.ok
      ? (r.fields as unknown as { surface: { x: unknown } }).surface.x
      : r.reasons.map((x) => x.code);
  };

  it('source code 02 finds `02: suspended` instead of the fallback', () => {
    const rule = '{ from: A, lookup: { 01: valid, 02: suspended }, fallback: other }';
    expect(run(rule, '02')).toBe('suspended');
    expect(run(rule, '01')).toBe('valid');
    expect(run(rule, '2')).toBe('other');
  });

  it('a rule in a list of cases keeps its codes too', () => {
    const m = compileMappingText(
      'fields:\n  surface.x:\n    - { when: { column: B, empty: true }, const: none }\n    - { from: A, lookup: { 01: valid } }\n',
      MAPPING,
    );
    expect(m.map({ A: '01', B: 'x' }, { today: '2024-06-15' })).toMatchObject({
      ok: true,
      fields: { surface: { x: 'valid' } },
    });
  });
});
