/**
 * Compiler edges the first compiler tests left open: where a top-level problem points (its data
 * path, not only its line), empty documents, a mapping without `personal:`, when a holder counts
 * as a legal person, origins of constant fields, the order of dictionary texts in the version,
 * and what compileMapping keeps of an unreadable or broken file. Versions are node's own SM3 of
 * the JCS array written out in the test, in path order sorted by hand.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jcsReference } from '../../catalog/canonical.js';
import { ConfigError, type Problem } from '../../core/errors.js';
import { compileMapping, compileMappingText } from '../../mappings/compile.js';

const sm3 = (text: string) => createHash('sm3').update(text, 'utf8').digest('hex');
const FILE = '/maps/m.yaml';

const problemsOf = (text: string): readonly Problem[] => {
  try {
    compileMappingText(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};
const brief = (p: Problem) => ({ at: `${p.line}:${p.column}`, path: p.path, message: p.message });

describe('top-level problems name their data path', () => {
  it('a document that is not a map, or empty, points at the root', () => {
    const notMap = { at: '1:1', path: '', message: 'expected a map with `fields:`' };
    expect(problemsOf('- a\n').map(brief)).toEqual([notMap]);
    // An empty document and an explicit null are no map either (and must not throw a TypeError).
    expect(problemsOf('').map(brief)).toEqual([notMap]);
    expect(problemsOf('null\n').map(brief)).toEqual([notMap]);
  });

  it('`fields:` missing, empty, null or a list: at `fields` when it is a map, else the root', () => {
    const message = 'expected `fields:` to map output paths to rules';
    expect(problemsOf('fields: {}\n').map(brief)).toEqual([{ at: '1:9', path: 'fields', message }]);
    expect(problemsOf('fields: [a]\n').map(brief)).toEqual([{ at: '1:1', path: '', message }]);
    expect(problemsOf('description: x\n').map(brief)).toEqual([{ at: '1:1', path: '', message }]);
    expect(problemsOf('fields:\n').map(brief)).toEqual([{ at: '1:1', path: '', message }]);
  });
});

describe('personal columns', () => {
  it('a mapping without `personal:` has only the columns its personal fields read', () => {
    expect(compileMappingText('fields:\n  number: { from: N }\n', FILE).personalColumns).toEqual([]);
    expect(
      compileMappingText('fields:\n  number: { from: N }\n  holder.id: { from: I }\n', FILE).personalColumns,
    ).toEqual(['I']);
  });

  it('a template reading one personal column makes all its columns personal', () => {
    const m = compileMappingText('personal: [F]\nfields:\n  surface.x: { template: "{F}-{G}" }\n', FILE);
    expect(m.personalColumns).toEqual(['F', 'G']);
  });

  it('the holder is a legal person only when `holder.idType` is one rule with just a constant', () => {
    const holder = (idType: string) =>
      compileMappingText(`fields:\n  holder.idType: ${idType}\n  holder.name: { from: NAME }\n`, FILE)
        .personalColumns;
    // docs/mapping-language.md: `001` or `099` as a constant in the mapping shows the name in clear.
    expect(holder('{ const: "001" }')).toEqual([]);
    expect(holder('{ const: "099" }')).toEqual([]);
    // A natural person's id type, or a constant only under a condition, keeps the name personal.
    expect(holder('{ const: "111" }')).toEqual(['NAME']);
    expect(holder('{ const: "001", when: { column: KIND, equals: L } }')).toEqual(['NAME']);
    expect(holder('[{ const: "001", when: { column: KIND, equals: L } }, { const: "111" }]')).toEqual([
      'NAME',
    ]);
    expect(holder('{ from: LX }')).toEqual(['NAME']);
  });
});

describe('origins', () => {
  it('a constant field has a location and no column key at all', () => {
    const m = compileMappingText('fields:\n  surface.x: { const: 1 }\n  number: { from: N }\n', FILE);
    expect(m.origins['surface.x']).toStrictEqual({ location: `${FILE}:2` });
    expect(Object.keys(m.origins['surface.x'] ?? {})).toEqual(['location']);
    expect(m.origins.number).toStrictEqual({ column: 'N', location: `${FILE}:3` });
  });
});

describe('the version covers every dictionary text, in path order', () => {
  const text = [
    'dictionaries:',
    '  b: { file: b.csv }',
    '  c: { file: c.csv }',
    '  a: { file: a.csv }',
    'fields:',
    '  surface.x: { from: X, lookup: a }',
    '  surface.y: { from: Y, lookup: b }',
    '  surface.z: { from: Z, lookup: c }',
  ].join('\n');
  const texts: Record<string, string> = {
    '/maps/a.csv': '1,alpha\n',
    '/maps/b.csv': '1,beta\n',
    '/maps/c.csv': '1,gamma\n',
  };
  // Sorted by hand: /maps/a.csv < /maps/b.csv < /maps/c.csv.
  const expected = sm3(jcsReference([text, '1,alpha\n', '1,beta\n', '1,gamma\n']) as string);
  const orders = [
    ['a', 'b', 'c'],
    ['a', 'c', 'b'],
    ['b', 'a', 'c'],
    ['b', 'c', 'a'],
    ['c', 'a', 'b'],
    ['c', 'b', 'a'],
  ];

  it('whatever order the caller hands the files in', () => {
    for (const order of orders) {
      const files = new Map(order.map((n) => [`/maps/${n}.csv`, texts[`/maps/${n}.csv`] as string]));
      const m = compileMappingText(text, FILE, { files });
      expect(m.version, order.join('')).toBe(expected);
      expect(m.map({ X: '1', Y: '1', Z: '1' })).toMatchObject({
        ok: true,
        fields: { surface: { x: 'alpha', y: 'beta', z: 'gamma' } },
      });
    }
  });
});

describe('compileMapping on files it cannot use', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const rejection = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (x: unknown) => x,
    );

  it('an unreadable mapping file keeps the system error as the cause', async () => {
    const e = await rejection(compileMapping(join(tmpdir(), 'lb-no-such-mapping-either.yaml')));
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).cause).toMatchObject({ code: 'ENOENT' });
  });

  it('a file with a YAML syntax error gives the syntax error, not an error from reading its data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-map-'));
    dirs.push(dir);
    // The syntax error comes first; the alias on the next line would make the data unreadable.
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'dictionaries: [1\nfields: *nowhere\n');
    const e = await rejection(compileMapping(file));
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).problems[0]).toMatchObject({ file, line: 2 });
  });
});
