/**
 * A catalog entry whose face fields share one anchor (`&text { type: string, maxLength: 64 }`,
 * `*text` for each field of a license type with many of them) expands past the YAML reader's alias
 * limit. Loading the catalog then failed with the reader's bare ReferenceError, "Excessive alias
 * count indicates a resource exhaustion attack", naming neither the entry's file nor a line, where
 * every other mistake in an entry is a problem at its file:line, as it is in a mapping file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCatalog, loadCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { DEMO_ENTRY_FILE, demoEntryText } from './fixtures.js';

/** The demo entry with `count` more face fields, each an alias of the first field's schema. */
async function entryWithSharedSchema(count: number): Promise<string> {
  const text = await demoEntryText();
  const fields = Array.from({ length: count }, (_, i) => `    extra${i}: *text`).join('\n');
  return text
    .replace('    legalRepresentative:\n', '    legalRepresentative: &text\n')
    .replace('    premises:\n', `${fields}\n    premises:\n`);
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('catalog entry aliases past the YAML reader limit', () => {
  it('are a problem at the entry file and the line of its first alias, not a bare ReferenceError', async () => {
    const text = await entryWithSharedSchema(120);
    const e = thrown(() => buildCatalog([{ file: DEMO_ENTRY_FILE, text }]));
    expect(e).toBeInstanceOf(ConfigError);
    const problems = (e as ConfigError).problems;
    expect(problems).toHaveLength(1);
    const firstAlias = text.split('\n').findIndex((l) => l.includes('*text')) + 1;
    expect(problems[0]).toMatchObject({
      file: DEMO_ENTRY_FILE,
      line: firstAlias,
      message: expect.stringMatching(/^aliases expand to too many values/),
    });
  });

  it('leave the other entries of the catalog checked', async () => {
    const text = await entryWithSharedSchema(120);
    const other = (await demoEntryText()).replace(
      'code: 11370200MB12345674001',
      'code: 11370200MB1234567400x',
    );
    const e = thrown(() =>
      buildCatalog([
        { file: '/catalog/a.yaml', text },
        { file: '/catalog/b.yaml', text: other },
      ]),
    );
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).problems.map((p) => p.file)).toEqual(['/catalog/a.yaml', '/catalog/b.yaml']);
  });

  it('read from a folder, name the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-catalog-alias-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'food.yaml'), await entryWithSharedSchema(120));
    const e = await loadCatalog(dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).problems[0]).toMatchObject({ file: join(dir, 'food.yaml') });
  });

  it('a few aliases of one schema still load', async () => {
    const catalog = buildCatalog([{ file: DEMO_ENTRY_FILE, text: await entryWithSharedSchema(3) }]);
    const surface = catalog.entries()[0]?.surface as { properties?: object } | undefined;
    expect(Object.keys(surface?.properties ?? {})).toContain('extra2');
  });
});
