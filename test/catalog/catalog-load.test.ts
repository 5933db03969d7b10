import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalog, loadCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { DEMO_CATALOG_DIR, DEMO_TYPE, demoEntryText } from './fixtures.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-catalog-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function loadError(files: Record<string, string>): Promise<ConfigError> {
  const dir = await folderWith(files);
  const error = await loadCatalog(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadCatalog', () => {
  it('loads the demo entry', async () => {
    const catalog = await loadCatalog(DEMO_CATALOG_DIR);
    const entry = catalog.get(DEMO_TYPE);
    expect(entry?.name).toBe('食品经营许可证');
    expect(entry?.holderCategory).toBe('legal-person');
    expect(catalog.entries().map((e) => e.code)).toEqual([DEMO_TYPE]);
    expect(catalog.version).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has a version that follows content, not file names or key order', async () => {
    const text = await demoEntryText();
    const a = buildCatalog([{ file: '/a/x.yaml', text }]);
    const b = buildCatalog([{ file: '/b/y.yaml', text: `# a comment\n${text}` }]);
    const c = buildCatalog([{ file: '/a/x.yaml', text: text.replace('validity: 5年', 'validity: 3年') }]);
    expect(b.version).toBe(a.version);
    expect(c.version).not.toBe(a.version);
  });

  it('reports an unknown key with file:line:col', async () => {
    const text = (await demoEntryText()).replace(
      'holderCategory: legal-person',
      'holderCategory: legal-person\nvaliditty: 5年',
    );
    const error = await loadError({ 'food.yaml': text });
    const line = text.split('\n').findIndex((l) => l.startsWith('validitty')) + 1;
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line, column: 1, path: 'validitty' });
    expect(error.problems[0]?.file).toMatch(/food\.yaml$/);
    expect(error.message).toContain(`food.yaml:${line}:1`);
  });

  it('reports a bad enum value at its line', async () => {
    const text = (await demoEntryText()).replace('holderCategory: legal-person', 'holderCategory: company');
    const error = await loadError({ 'food.yaml': text });
    const line = text.split('\n').findIndex((l) => l.startsWith('holderCategory')) + 1;
    expect(error.problems[0]).toMatchObject({ line, column: 17, path: 'holderCategory' });
    expect(error.problems[0]?.message).toContain('natural-person, legal-person');
  });

  it('rejects a type code whose credit-code part fails GB 32100', async () => {
    const text = (await demoEntryText()).replace(
      'code: 11370200MB12345674001',
      'code: 11370200MB1234567X001',
    );
    const error = await loadError({ 'food.yaml': text });
    expect(error.problems.map((p) => p.path)).toEqual(['code']);
    expect(error.problems[0]?.line).toBe(text.split('\n').findIndex((l) => l.startsWith('code:')) + 1);
  });

  it('rejects a define authority that is not the type code owner', async () => {
    const text = (await demoEntryText()).replace('code: 11370200MB12345674\n', 'code: 91370406L24894136J\n');
    const error = await loadError({ 'food.yaml': text });
    expect(error.problems[0]).toMatchObject({ path: 'defineAuthority.code' });
  });

  it('rejects a surface schema ajv cannot compile, at the surface line', async () => {
    const text = (await demoEntryText()).replace(
      '      minLength: 1\n      maxLength: 256',
      '      minLenght: 1\n      maxLength: 256',
    );
    const error = await loadError({ 'food.yaml': text });
    const line = text.split('\n').findIndex((l) => l.includes('minLenght')) + 1;
    expect(error.problems[0]).toMatchObject({ line, column: 7, path: 'surface' });
    expect(error.problems[0]?.message).toContain('minLenght');
  });

  it('reports YAML syntax errors and duplicate keys with positions', async () => {
    const error = await loadError({ 'a.yaml': 'code: [unclosed\n', 'b.yaml': 'name: a\nname: b\n' });
    expect(error.problems.length).toBeGreaterThanOrEqual(2);
    const dup = error.problems.find((p) => p.file.endsWith('b.yaml'));
    expect(dup?.line).toBe(2);
  });

  it('rejects two files defining the same type', async () => {
    const text = await demoEntryText();
    const error = await loadError({ 'a.yaml': text, 'b.yaml': text });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.file).toMatch(/b\.yaml$/);
    expect(error.problems[0]?.message).toContain('already defined');
  });

  it('rejects an empty or missing folder', async () => {
    await loadError({ 'notes.txt': 'x' });
    await expect(loadCatalog('/nonexistent/lb-catalog')).rejects.toBeInstanceOf(ConfigError);
  });
});
