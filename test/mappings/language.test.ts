import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMapping, compileMappingText } from '../../mappings/compile.js';
import type { InputValue, MapResult } from '../../mappings/types.js';

function compileError(text: string): ConfigError {
  try {
    compileMappingText(text, 'm.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const surface = (r: MapResult) => (r.ok ? r.fields.surface : r.reasons.map((x) => x.code));

/** Maps one value through `transform` into surface.out. */
function run(transform: string, value: InputValue): unknown {
  const m = compileMappingText(`fields:\n  surface.out: { from: V, transform: ${transform} }\n`, 't.yaml');
  const r = m.map({ V: value });
  return r.ok ? r.fields.surface.out : r.reasons.map((x) => x.code);
}

describe('template', () => {
  const m = compileMappingText(
    'fields:\n  surface.premises: { template: "{JYCS}{MPH}号 {{x}}", transform: [trim] }\n',
    't.yaml',
  );
  it('concatenates columns, with null as empty text and {{ }} as braces', () => {
    expect(surface(m.map({ JYCS: '长江路', MPH: 12 }))).toEqual({ premises: '长江路12号 {x}' });
    expect(surface(m.map({ JYCS: '长江路', MPH: null }))).toEqual({ premises: '长江路号 {x}' });
    expect(m.columns).toEqual(['JYCS', 'MPH']);
  });
  it('fails on a missing column or hostile text, naming the column', () => {
    const r = m.map({ JYCS: '长江路' });
    expect(!r.ok && r.reasons[0]).toMatchObject({ code: 'LB_MAP_COLUMN', column: 'MPH' });
    const c = m.map({ JYCS: '长江\u0001路', MPH: 1 });
    expect(!c.ok && c.reasons[0]?.code).toBe('LB_MAP_CONTROL_CHAR');
  });
  it('rejects bad templates at compile time', () => {
    expect(compileError('fields:\n  number: { template: "{A" }\n').problems[0]?.line).toBe(2);
    expect(compileError('fields:\n  number: { template: "no columns" }\n').problems[0]?.message).toContain(
      'const',
    );
    expect(compileError('fields:\n  number: { template: "{A}", from: B }\n').problems[0]?.message).toContain(
      'exactly one',
    );
  });
});

describe('when', () => {
  const text = [
    'fields:',
    '  holder.idType:',
    '    - { when: { column: ZJLX, in: ["1", "01"] }, const: "111" }',
    '    - { when: { all: [{ column: ZJLX, equals: 2 }, { not: { column: X, empty: true } }] }, const: "414" }',
    '    - { when: { column: ZJLX, matches: "^9" }, const: "999" }',
    '  surface.note: { when: { column: BZ, empty: false }, from: BZ }',
  ].join('\n');
  const m = compileMappingText(text, 'w.yaml');
  const idType = (values: Record<string, InputValue>) => {
    const r = m.map({ BZ: null, X: null, ...values });
    return r.ok ? r.fields.holder?.idType : r.reasons.map((x) => x.code);
  };
  it('takes the first rule whose condition holds, comparing trimmed text', () => {
    expect(idType({ ZJLX: ' 01 ' })).toBe('111');
    expect(idType({ ZJLX: 2, X: 'a' })).toBe('414');
    expect(idType({ ZJLX: 2 })).toBeUndefined();
    expect(idType({ ZJLX: '97' })).toBe('999');
  });
  it('leaves a field unset when no rule applies, and fails on a missing condition column', () => {
    const r = m.map({ ZJLX: '1', BZ: '  ', X: null });
    expect(r.ok && 'note' in r.fields.surface).toBe(false);
    expect(idType({})).toEqual(['LB_MAP_COLUMN']);
  });
  it('rejects bad conditions with their line', () => {
    const e = compileError('fields:\n  number:\n    from: A\n    when: { column: B, eq: 1 }\n');
    expect(e.problems[0]).toMatchObject({ line: 4 });
    expect(e.problems[0]?.message).toContain('unknown condition key `eq`');
    expect(
      compileError('fields:\n  number: { from: A, when: { column: B, matches: "(" } }\n').problems,
    ).toHaveLength(1);
  });
});

describe('list paths', () => {
  it('zips lists into objects and wraps single values', () => {
    const m = compileMappingText(
      [
        'fields:',
        '  surface.items[].name: { from: MC, transform: [{ split: ";" }] }',
        '  surface.items[].code: { from: DM, transform: [{ split: ";" }] }',
        '  surface.tags[]: { from: BQ }',
      ].join('\n'),
      'l.yaml',
    );
    expect(surface(m.map({ MC: 'a;b', DM: '1;2', BQ: 'x' }))).toEqual({
      items: [
        { name: 'a', code: '1' },
        { name: 'b', code: '2' },
      ],
      tags: ['x'],
    });
    expect(surface(m.map({ MC: null, DM: null, BQ: null }))).toEqual({ items: [], tags: [] });
  });
  it('rejects two list markers and clashes', () => {
    expect(compileError('fields:\n  surface.a[].b[]: { from: A }\n').problems[0]?.message).toContain(
      'more than one list',
    );
    expect(
      compileError('fields:\n  surface.a[]: { from: A }\n  surface.a[].b: { from: B }\n').problems[0]?.line,
    ).toBe(3);
  });
});

describe('dictionaries and status', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-dict-'));
    await writeFile(
      join(dir, 'forms.csv'),
      'code,value\n# business forms\n01,食品销售经营者\n02,餐饮服务经营者\n',
    );
    await writeFile(join(dir, 'status.yaml'), '"1": valid\n"0": revoked\n');
    await writeFile(join(dir, 'bad.yaml'), '"1": valid\n"2": [a]\n');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('looks codes up in inline, named and file dictionaries, with a fallback', async () => {
    const file = join(dir, 'm.yaml');
    await writeFile(
      file,
      [
        'dictionaries:',
        '  forms: { file: ./forms.csv }',
        '  status: { file: status.yaml }',
        '  yesno: { "Y": true, "N": false }',
        'fields:',
        '  status: { from: ZT, lookup: status }',
        '  surface.form: { from: YT, lookup: forms, fallback: 其他 }',
        '  surface.flag: { from: F, lookup: yesno }',
      ].join('\n'),
    );
    const m = await compileMapping(file);
    const r = m.map({ ZT: '0', YT: '02', F: 'Y' });
    expect(r.ok && r.fields).toMatchObject({
      status: 'revoked',
      surface: { form: '餐饮服务经营者', flag: true },
    });
    expect(surface(m.map({ ZT: '1', YT: '99', F: 'N' }))).toEqual({ form: '其他', flag: false });
    expect(surface(m.map({ ZT: '7', YT: '01', F: 'N' }))).toEqual(['LB_MAP_LOOKUP']);
    const plain = compileMappingText('fields:\n  status: { from: ZT, lookup: { "1": valid } }\n', 'p.yaml');
    expect(m.version).not.toBe(plain.version);
  });

  it('reports unknown dictionaries, unreadable files and bad file content with positions', async () => {
    const file = join(dir, 'bad-map.yaml');
    await writeFile(
      file,
      'dictionaries:\n  a: { file: ./missing.csv }\n  b: { file: ./bad.yaml }\nfields:\n  surface.x: { from: X, lookup: c }\n',
    );
    const e = await compileMapping(file).catch((x: unknown) => x as ConfigError);
    expect(e).toBeInstanceOf(ConfigError);
    const where = (e as ConfigError).problems.map((p) => `${p.file.split('/').pop()}:${p.line}`);
    expect(where).toEqual(['bad-map.yaml:2', 'bad.yaml:2', 'bad-map.yaml:5']);
  });

  it('checks status values against the canonical enum at compile time', () => {
    const e = compileError(
      'fields:\n  status:\n    from: ZT\n    lookup: { "1": valid, "2": vaild }\n    fallback: gone\n',
    );
    expect(e.problems.map((p) => p.line)).toEqual([5, 4]);
    expect(e.problems[1]?.message).toContain('vaild');
    expect(compileError('fields:\n  status: { const: active }\n').problems).toHaveLength(1);
  });
});

describe('more transforms', () => {
  it('fullWidth, join, default, idNumber', () => {
    expect(run('[fullWidth]', 'JY 1(a)')).toBe('ＪＹ\u3000１（ａ）');
    expect(run('[{ split: ";" }, { join: "、" }]', 'a;b;;c')).toBe('a、b、c');
    expect(run('[trim, { default: 无 }]', '  ')).toBe('无');
    expect(run('[idNumber]', ' 11010519491231002x ')).toBe('11010519491231002X');
    expect(run('[idNumber]', '１１０１０５４９１２３１００２')).toBe('11010519491231002X');
  });

  it('repairCharset decodes latin1 mojibake and bytes as GB18030, and leaves real text alone', () => {
    const bytes = iconv.encode('青岛市黄岛区', 'gb18030');
    expect(run('[{ repairCharset: gb18030 }]', bytes.toString('latin1'))).toBe('青岛市黄岛区');
    expect(run('[{ repairCharset: gbk }, trim]', new Uint8Array(bytes))).toBe('青岛市黄岛区');
    expect(run('[{ repairCharset: gb18030 }]', '青岛')).toBe('青岛');
    expect(run('[{ repairCharset: gb18030 }]', '\u00ff\u00ff')).toEqual(['LB_MAP_ENCODING']);
    expect(
      compileError('fields:\n  number: { from: A, transform: [{ repairCharset: klingon }] }\n').problems,
    ).toHaveLength(1);
    expect(
      compileError('fields:\n  number: { from: A, transform: [trim, { repairCharset: gbk }] }\n').problems[0]
        ?.message,
    ).toContain('first');
  });

  it('date with two-digit years needs a pivot and applies it', () => {
    expect(run('[{ date: { formats: [yyMMdd], pivot: 50 } }]', '490101')).toBe('2049-01-01');
    expect(run('[{ date: { formats: [yyMMdd], pivot: 50 } }]', '500101')).toBe('1950-01-01');
    expect(
      compileError('fields:\n  validTo: { from: A, transform: [{ date: [yyMMdd] }] }\n').problems[0]?.message,
    ).toContain('pivot');
  });

  it('date reads Excel serials when asked, after the formats', () => {
    const excel = '[{ date: { formats: [yyyyMMdd], excel: true } }]';
    expect(run(excel, 44197)).toBe('2021-01-01');
    expect(run(excel, '44197.75')).toBe('2021-01-01');
    expect(run(excel, 20210315)).toBe('2021-03-15');
    expect(run(excel, 1)).toBe('1900-01-01');
    expect(run(excel, 59)).toBe('1900-02-28');
    expect(run(excel, 61)).toBe('1900-03-01');
    expect(run(excel, 60)).toEqual(['LB_MAP_DATE']);
    expect(run('[{ date: [yyyyMMdd] }]', 44197)).toEqual(['LB_MAP_DATE']);
  });
});
