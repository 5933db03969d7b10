/**
 * Building a catalog from entry texts, one rule at a time: each load problem with its message
 * and place, the catalog version, validation's own answers, and reading a folder. Positions are
 * counted by hand on the small entry below; credit codes checked with python3 (GB 32100, the
 * script in outside-vectors.test.ts): 11370200MB1234567 → 4, 91370406L24894136 → J.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCatalog, loadCatalog } from '../../catalog/catalog.js';
import { codeUnitLengthIsSafe } from '../../catalog/code-unit-length.js';
import type { License } from '../../catalog/license.js';
import { ConfigError } from '../../core/errors.js';

const ENTRY = [
  'code: 11370200MB12345674001', // 1
  'name: T', // 2
  'defineAuthority:', // 3
  '  name: A', // 4
  '  code: 11370200MB12345674', // 5
  'holderCategory: legal-person', // 6
  'surface:', // 7
  '  type: object', // 8
  '  properties:', // 9
  '    x: { type: string }', // 10
].join('\n');
const OTHER = ENTRY.replace('11370200MB12345674001', '91370406L24894136J001').replace(
  'code: 11370200MB12345674',
  'code: 91370406L24894136J',
);

// 52653124LMNPQRTUWB: a valid credit code from outside-vectors.test.ts (python3 there).
const THIRD = ENTRY.replace('11370200MB12345674001', '52653124LMNPQRTUWB001').replace(
  'code: 11370200MB12345674',
  'code: 52653124LMNPQRTUWB',
);

const problems = (...texts: string[]): string[] => {
  try {
    buildCatalog(texts.map((text, i) => ({ file: `/c/${i}.yaml`, text })));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.path} ${p.message}`);
  }
  throw new Error('expected a ConfigError');
};

describe('load problems of an entry', () => {
  it('an empty entry file is a located problem, not a crash', () => {
    const found = problems('');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.startsWith('/c/0.yaml:'))).toBe(true);
  });

  it('schema problems: unknown key, missing field, enum, wrong type', () => {
    expect(problems(`${ENTRY}\ncolour: red`)).toEqual(['/c/0.yaml:11:1 colour unknown key `colour`']);
    expect(problems(ENTRY.replace('name: T\n', ''))).toEqual(['/c/0.yaml:1:1 name `name` is required']);
    expect(problems(ENTRY.replace('  name: A\n', ''))).toEqual([
      '/c/0.yaml:4:3 defineAuthority.name `name` is required',
    ]);
    expect(problems(`${ENTRY}\ndefineLevel: galaxy`)).toEqual([
      '/c/0.yaml:11:14 defineLevel expected one of national, province, city, county, got `galaxy`',
    ]);
    expect(problems(ENTRY.replace('name: T', 'name: 5'))).toEqual([
      '/c/0.yaml:2:7 name must be text: `5` unquoted is read by YAML as the number 5; quote it ("5")',
    ]);
  });

  it('a bad holderCategory is one problem, beside the others', () => {
    const hint =
      'expected natural-person, legal-person, both, or a list such as [legal-person, natural-person]';
    expect(problems(ENTRY.replace('legal-person', 'robot'))).toEqual([
      `/c/0.yaml:6:17 holderCategory ${hint}`,
    ]);
    expect(problems(`${ENTRY.replace('legal-person', '[robot]')}\ncolour: red`)).toEqual([
      `/c/0.yaml:6:17 holderCategory ${hint}`,
      '/c/0.yaml:11:1 colour unknown key `colour`',
    ]);
  });

  it('an id type the categories do not hold, at its place in the list', () => {
    expect(problems(`${ENTRY}\nholderIdTypes: ["001", "111", "414"]`)).toEqual([
      '/c/0.yaml:11:24 holderIdTypes.1 id type 111 is not held by holderCategory legal-person: add the category (e.g. holderCategory: both) or remove the type',
      '/c/0.yaml:11:31 holderIdTypes.2 id type 414 is not held by holderCategory legal-person: add the category (e.g. holderCategory: both) or remove the type',
    ]);
    expect(() =>
      buildCatalog([{ file: '/c/0.yaml', text: `${ENTRY}\nholderIdTypes: ["001"]` }]),
    ).not.toThrow();
  });

  it('the type code must start with a valid credit code, that of the defining body', () => {
    expect(problems(ENTRY.replace('code: 11370200MB12345674001', 'code: 11370200MB12345675001'))).toEqual([
      '/c/0.yaml:1:7 code first 18 chars 11370200MB12345675 are not a valid credit code (GB 32100)',
    ]);
    expect(problems(ENTRY.replace('  code: 11370200MB12345674', '  code: 91370406L24894136J'))).toEqual([
      '/c/0.yaml:5:9 defineAuthority.code expected 11370200MB12345674 (the first 18 chars of `code`)',
    ]);
    // A code of the wrong shape is the schema's problem only.
    expect(problems(ENTRY.replace('code: 11370200MB12345674001', 'code: 11370200MB12345674001x'))).toEqual([
      '/c/0.yaml:1:7 code must match pattern "^[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}$"',
    ]);
  });

  it('a surface schema ajv cannot compile: at the place or keyword it names, else at surface', () => {
    const [typo] = problems(ENTRY.replace('x: { type: string }', 'x: { type: string, minLenght: 1 }'));
    expect(typo).toMatch(
      /^\/c\/0\.yaml:10:24 surface not a usable JSON Schema: strict mode: unknown keyword: "minLenght"/,
    );
    const [badType] = problems(ENTRY.replace('x: { type: string }', 'x: { type: strin }'));
    expect(badType).toMatch(/^\/c\/0\.yaml:10:10 surface\.properties\.x\.type not a usable JSON Schema: /);
    const [badPattern] = problems(ENTRY.replace('x: { type: string }', 'x: { type: string, pattern: "(" }'));
    expect(badPattern).toMatch(/^\/c\/0\.yaml:7:1 surface not a usable JSON Schema: /);
  });

  it('a code that is not text is a load problem, not a crash', () => {
    expect(problems(ENTRY.replace('code: 11370200MB12345674001', 'code: 5'))).toEqual([
      '/c/0.yaml:1:7 code must be text: `5` unquoted is read by YAML as the number 5; quote it ("5")',
    ]);
  });

  it('the credit-code check needs the whole type code, anchored at both ends', () => {
    const pattern = '/c/0.yaml:1:7 code must match pattern "^[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}$"';
    expect(problems(ENTRY.replace('code: 11370200MB12345674001', 'code: 11370200MB12345675001x'))).toEqual([
      pattern,
    ]);
    expect(problems(ENTRY.replace('code: 11370200MB12345674001', 'code: x11370200MB12345675001'))).toEqual([
      pattern,
    ]);
  });

  it('id types are checked only when the entry is otherwise sound', () => {
    expect(problems(`${ENTRY}\ncolour: red\nholderIdTypes: ["111"]`)).toEqual([
      '/c/0.yaml:11:1 colour unknown key `colour`',
    ]);
  });

  it('two entries of one type: the second is named, at its code', () => {
    expect(problems(ENTRY, `# again\n${ENTRY}`)).toEqual([
      '/c/1.yaml:2:7 code type 11370200MB12345674001 is already defined in /c/0.yaml',
    ]);
  });
});

describe('a built catalog', () => {
  it('entries sorted by code, the version independent of file order and names', () => {
    const a = buildCatalog([
      { file: '/c/b.yaml', text: OTHER },
      { file: '/c/a.yaml', text: ENTRY },
    ]);
    const b = buildCatalog([
      { file: '/d/x.yaml', text: ENTRY },
      { file: '/d/y.yaml', text: OTHER },
    ]);
    expect(a.entries().map((e) => e.code)).toEqual(['11370200MB12345674001', '91370406L24894136J001']);
    expect(b.entries().map((e) => e.code)).toEqual(['11370200MB12345674001', '91370406L24894136J001']);
    expect(a.version).toBe(b.version);
    expect(a.version).not.toBe(buildCatalog([{ file: '/c/a.yaml', text: ENTRY }]).version);
    expect(a.get('91370406L24894136J001')?.file).toBe('/c/b.yaml');
    expect(a.get('nope')).toBeUndefined();
    const orders = [
      [OTHER, ENTRY, THIRD],
      [THIRD, OTHER, ENTRY],
      [ENTRY, THIRD, OTHER],
    ].map((texts) => buildCatalog(texts.map((text, i) => ({ file: `/e/${i}.yaml`, text }))));
    for (const c of orders)
      expect(c.entries().map((e) => e.code)).toEqual([
        '11370200MB12345674001',
        '52653124LMNPQRTUWB001',
        '91370406L24894136J001',
      ]);
    expect(new Set(orders.map((c) => c.version)).size).toBe(1);
    expect(Object.isFrozen(a.get('11370200MB12345674001'))).toBe(true);
  });

  it('validate: a type not in the catalog, the id type hint, and never a throw', () => {
    const c = buildCatalog([{ file: '/c/a.yaml', text: ENTRY }]);
    const notIn = (code: string) => [
      {
        code: 'LB_CATALOG_TYPE',
        path: 'type.code',
        message: `catalog: license type ${code} is not in the catalog`,
      },
    ];
    expect(c.validate({ type: { code: 'X' } } as unknown as License)).toEqual(notIn('X'));
    expect(c.validate({ type: { code: 5 } } as unknown as License)).toEqual(notIn('(none)'));
    expect(c.validate({} as License)).toEqual(notIn('(none)'));
    expect(c.validate(null as unknown as License)).toEqual(notIn('(none)'));
    const license = {
      type: { code: '11370200MB12345674001' },
      holder: { name: 'n', idType: '111', id: '11010519491231002X' },
    } as unknown as License;
    const hint = c.validate(license).find((r) => r.path === 'holder.idType');
    expect(hint).toMatchObject({
      code: 'LB_SCHEMA_ENUM',
      message:
        'license: holder.idType 111 is not accepted by catalog entry 11370200MB12345674001 (holderCategory: legal-person; id types 001, 099): map holder.idType per row to one of these (a column with a lookup, or the holderIdType transform), or, when the law lets this holder kind hold the license, add its category to holderCategory (or its type to holderIdTypes) in /c/a.yaml',
    });
    // A holder.idType of the wrong type keeps ajv's message; with two categories both are named.
    const typeError = c.validate({
      ...license,
      holder: { ...license.holder, idType: 5 },
    } as unknown as License);
    expect(typeError.find((r) => r.path === 'holder.idType')?.message).toBe(
      'license: holder.idType must be string',
    );
    const both = buildCatalog([{ file: '/c/b.yaml', text: ENTRY.replace('legal-person', 'both') }]);
    const zzz = both.validate({
      ...license,
      holder: { ...license.holder, idType: 'zzz' },
    } as unknown as License);
    expect(zzz.find((r) => r.path === 'holder.idType')?.message).toMatch(
      /^license: holder\.idType zzz is not accepted by catalog entry 11370200MB12345674001 \(holderCategory: natural-person, legal-person; id types 001, 099, 111, /,
    );
    // Another enum (status) keeps its own message.
    const status = c
      .validate({ ...license, status: 'lost' } as unknown as License)
      .find((r) => r.path === 'status');
    expect(status?.message).toBe(
      'license: status must be one of valid, suspended, withdrawn, cancelled, expired, moved-out, revoked, other',
    );
    const hostile = {
      type: { code: '11370200MB12345674001' },
      get holder(): never {
        throw new Error('boom');
      },
    } as unknown as License;
    expect(c.validate(hostile)).toEqual([
      { code: 'LB_INTERNAL', message: 'catalog: validation failed: boom' },
    ]);
  });
});

describe('loadCatalog', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const folder = async (files: Record<string, string>) => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-catalog-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return dir;
  };
  const loadProblems = async (dir: string) => {
    const e = await loadCatalog(dir).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  };

  it('reads .yaml, .yml and .YAML files only', async () => {
    const dir = await folder({ 'a.yml': ENTRY, 'b.YAML': OTHER, 'notes.txt': 'x', 'c.yaml.bak': 'x' });
    await mkdir(join(dir, 'sub'));
    const c = await loadCatalog(dir);
    expect(c.entries().map((e) => e.file)).toEqual([join(dir, 'a.yml'), join(dir, 'b.YAML')]);
  });

  it('names a missing folder and one without entries', async () => {
    const missing = join(tmpdir(), 'lb-catalog-missing-folder');
    expect(await loadProblems(missing)).toEqual([
      { file: missing, line: 1, column: 1, path: '', message: 'catalog folder is not readable' },
    ]);
    const e = await loadCatalog(missing).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect((e as Error).cause).toMatchObject({ code: 'ENOENT' });
    const empty = await folder({ 'readme.md': 'x' });
    expect(await loadProblems(empty)).toEqual([
      { file: empty, line: 1, column: 1, path: '', message: 'catalog folder has no *.yaml entry' },
    ]);
  });
});

describe('codeUnitLengthIsSafe', () => {
  it('only maxLength and a minLength of 0 or 1, under monotone keywords', () => {
    expect(codeUnitLengthIsSafe({ type: 'string', maxLength: 3, minLength: 1 })).toBe(true);
    expect(codeUnitLengthIsSafe({ minLength: 0 })).toBe(true);
    expect(codeUnitLengthIsSafe({ minLength: 2 })).toBe(false);
    expect(codeUnitLengthIsSafe({ minLength: '1' })).toBe(false);
    expect(codeUnitLengthIsSafe({ properties: { a: { minLength: 2 } } })).toBe(false);
    expect(codeUnitLengthIsSafe({ anyOf: [{ maxLength: 1 }, { minLength: 5 }] })).toBe(false);
    expect(codeUnitLengthIsSafe({ anyOf: [{ maxLength: 1 }, { minLength: 1 }] })).toBe(true);
    expect(codeUnitLengthIsSafe([{ maxLength: 1 }, null, 'x', 3])).toBe(true);
    expect(codeUnitLengthIsSafe(null)).toBe(true);
    for (const k of [
      'not',
      'oneOf',
      'if',
      'then',
      'else',
      'contains',
      'minContains',
      'maxContains',
      'dependentSchemas',
      'unevaluatedProperties',
      'unevaluatedItems',
      '$ref',
      '$dynamicRef',
      '$recursiveRef',
    ])
      expect(codeUnitLengthIsSafe({ properties: { a: { [k]: {} } } }), k).toBe(false);
  });
});
