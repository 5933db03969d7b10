/**
 * The mapping compiler around its rules: top-level problems with their places, what a compiled
 * mapping reports about itself (fields, columns, personal columns, origins, version), writing
 * drafts, and reading a file with its dictionary files. Versions are checked against node's own
 * SM3 of the documented input (the file text, or the JCS array of it and the dictionary texts).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jcsReference } from '../../catalog/canonical.js';
import { ConfigError } from '../../core/errors.js';
import { compileMapping, compileMappingText } from '../../mappings/compile.js';

const sm3 = (text: string) => createHash('sm3').update(text, 'utf8').digest('hex');
const FILE = '/maps/m.yaml';
const problems = (text: string): string[] => {
  try {
    compileMappingText(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  throw new Error('expected a ConfigError');
};

describe('top-level problems', () => {
  it('shape, unknown keys, personal, fields, paths and clashes', () => {
    expect(problems('- a\n')).toEqual(['1:1 expected a map with `fields:`']);
    // A YAML syntax error comes with its position (yaml's own message).
    expect(problems('a: [1\n')[0]).toMatch(/^\d+:\d+ \S/);
    expect(problems('fields:\n  number: { from: A }\ncolour: red\n')).toEqual([
      '3:1 unknown key `colour`; expected fields, personal, dictionaries, description',
    ]);
    expect(problems('personal: A\nfields:\n  number: { from: A }\n')).toEqual([
      '1:11 expected `personal` to be a list of column names',
    ]);
    expect(problems('personal: [1]\nfields:\n  number: { from: A }\n')).toEqual([
      '1:11 expected `personal` to be a list of column names',
    ]);
    expect(problems('description: x\n')).toEqual(['1:1 expected `fields:` to map output paths to rules']);
    expect(problems('fields: {}\n')).toEqual(['1:9 expected `fields:` to map output paths to rules']);
    expect(problems('fields: [a]\n')).toEqual(['1:1 expected `fields:` to map output paths to rules']);
    expect(problems('fields:\n  identifier: { from: A }\n')[0]).toMatch(
      /^2:3 unknown output path `identifier`/,
    );
    expect(
      problems('fields:\n  surface.a: { from: A }\n  surface.a.b: { from: B }\n  surface.c: { from: C }\n'),
    ).toEqual(['3:3 `surface.a.b` clashes with `surface.a`']);
    // Every problem of the file at once, a bad rule's and a top-level one's.
    expect(problems('colour: red\nfields:\n  number: { from: "" }\n')).toHaveLength(2);
  });
});

describe('a compiled mapping', () => {
  const text = [
    'personal: [P]',
    'fields:',
    '  number: { from: N }',
    '  holder.name: { template: "{F}{G}" }',
    '  holder.id: { from: I }',
    '  surface.x: { const: 1 }',
    '  surface.y:',
    '    - { when: { column: W, equals: "1" }, from: Y }',
    '    - { from: P }',
    '  contact.phone: { from: T }',
  ].join('\n');
  // Compiled inside each test, not while the file is collected: code run then counts as run by no
  // test, and the mutation run (per-test coverage) would not try these tests against it.
  const compiled = () => compileMappingText(text, FILE);

  it('names its fields, the columns it reads, the personal ones, and where each field comes from', () => {
    const m = compiled();
    expect(m.file).toBe(FILE);
    expect(m.fields).toEqual([
      'number',
      'holder.name',
      'holder.id',
      'surface.x',
      'surface.y',
      'contact.phone',
    ]);
    expect(m.columns).toEqual(['N', 'F', 'G', 'I', 'Y', 'W', 'P', 'T']);
    expect(m.personalColumns).toEqual(['P', 'F', 'G', 'I', 'T']);
    expect(m.origins).toEqual({
      number: { column: 'N', location: '/maps/m.yaml:3' },
      'holder.name': { column: 'F,G', location: '/maps/m.yaml:4', personal: 'holder.name' },
      'holder.id': { column: 'I', location: '/maps/m.yaml:5', personal: 'holder.id' },
      'surface.x': { location: '/maps/m.yaml:6' },
      // Its second rule reads P, a listed personal column.
      'surface.y': { column: 'Y', location: '/maps/m.yaml:8', personal: 'surface.y' },
      'contact.phone': { column: 'T', location: '/maps/m.yaml:10', personal: 'contact.phone' },
    });
    expect(Object.isFrozen(m)).toBe(true);
    expect(m.version).toBe(sm3(text));
  });

  it('maps a row into a draft; the contact leaves it', () => {
    const row = { N: 'n', F: '张', G: '三', I: 'i', W: '1', Y: 'y', P: 'p', T: '13800138000' };
    const m = compiled();
    const r = m.map(row);
    expect(r).toEqual({
      ok: true,
      fields: { number: 'n', holder: { name: '张三', id: 'i' }, surface: { x: 1, y: 'y' } },
      contact: { phone: '13800138000' },
    });
    expect(m.map({ ...row, W: '0' })).toMatchObject({ ok: true, fields: { surface: { y: 'p' } } });
  });

  it('every failing field is a reason; a throwing value is one internal reason', () => {
    const m = compiled();
    const r = m.map({ N: 'n', F: 'f', G: 'g', I: 'i', W: '0', T: 't' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reasons.map((x) => `${x.code} ${x.path}`)).toEqual(['LB_MAP_COLUMN surface.y']);
    const two = m.map({ F: 'f', G: 'g', W: '0', P: 'p', T: 't' });
    if (!two.ok)
      expect(two.reasons.map((x) => `${x.code} ${x.path}`)).toEqual([
        'LB_MAP_COLUMN number',
        'LB_MAP_COLUMN holder.id',
      ]);
    else throw new Error('expected reasons');
    const plain = compileMappingText('fields:\n  number: { from: N, transform: [trim] }\n', FILE);
    const bad = {};
    Object.defineProperty(bad, 'N', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(plain.map(bad)).toEqual({
      ok: false,
      reasons: [{ code: 'LB_MAP_INTERNAL', message: 'mapping: boom', location: FILE }],
    });
  });

  it('a mapping without contact fields returns no contact key', () => {
    const r = compileMappingText('fields:\n  number: { from: N }\n', FILE).map({ N: 'n' });
    expect(r).toEqual({ ok: true, fields: { number: 'n', surface: {} } });
    expect('contact' in r).toBe(false);
  });

  it('writes second-level fields into an existing object, and deeper paths through it', () => {
    const w = compileMappingText(
      'fields:\n  holder.name: { const: a }\n  holder.id: { const: b }\n  surface.items[].n: { const: [1, 2] }\n  surface.deep.er: { const: x }\n',
      FILE,
    );
    expect(w.map({})).toEqual({
      ok: true,
      fields: { holder: { name: 'a', id: 'b' }, surface: { items: [{ n: 1 }, { n: 2 }], deep: { er: 'x' } } },
    });
  });
});

describe('compileMapping reads the file and its dictionary files', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('the version covers the dictionary text; an unreadable one is named at its line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-map-'));
    dirs.push(dir);
    const text = 'dictionaries:\n  zt: { file: zt.csv }\nfields:\n  status: { from: Z, lookup: zt }\n';
    await writeFile(join(dir, 'm.yaml'), text);
    await writeFile(join(dir, 'zt.csv'), '1,valid\n');
    const m = await compileMapping(join(dir, 'm.yaml'));
    expect(m.version).toBe(sm3(jcsReference([text, '1,valid\n']) as string));
    expect(m.map({ Z: '1' })).toMatchObject({ ok: true, fields: { status: 'valid' } });
    // Given by the caller, a file is not read again.
    const given = await compileMapping(join(dir, 'm.yaml'), {
      files: new Map([[join(dir, 'zt.csv'), '1,expired\n']]),
    });
    expect(given.map({ Z: '1' })).toMatchObject({ ok: true, fields: { status: 'expired' } });

    await writeFile(
      join(dir, 'n.yaml'),
      'dictionaries:\n  zt: { file: gone.csv }\nfields:\n  status: { from: Z, lookup: zt }\n',
    );
    const e = await compileMapping(join(dir, 'n.yaml')).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).problems[0]).toMatchObject({
      line: 2,
      message: `dictionary file ${join(dir, 'gone.csv')} is not readable: no such file`,
    });
  });

  it('a missing mapping file is named', async () => {
    const file = join(tmpdir(), 'lb-no-such-mapping.yaml');
    const e = await compileMapping(file).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect((e as ConfigError).problems).toEqual([
      { file, line: 1, column: 1, path: '', message: 'mapping file is not readable: no such file' },
    ]);
  });

  it('a mapping path naming a folder says so', async () => {
    const file = await mkdtemp(join(tmpdir(), 'lb-mapping-folder-'));
    const e = await compileMapping(file).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect((e as ConfigError).problems).toEqual([
      { file, line: 1, column: 1, path: '', message: 'mapping file is not readable: a folder, not a file' },
    ]);
  });
});
