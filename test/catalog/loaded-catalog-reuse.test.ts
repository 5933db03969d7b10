/**
 * loadCatalog built the catalog again for every run a process made (each run's runtime, a
 * scheduler's every tick): every entry parsed and checked again. The same files now give the
 * catalog built from them before in the process; a file changed by one byte, added, removed or
 * renamed builds again, and a failed build keeps nothing.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHED_CATALOGS } from '../../catalog/built-catalogs.js';
import { loadCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { DEMO_TYPE, demoEntryText } from './fixtures.js';

const OTHER_TYPE = '11370200MB12345674002';

describe('loadCatalog in one process', () => {
  let dir: string;
  let demo: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-reuse-'));
    demo = await demoEntryText();
    writeFileSync(join(dir, 'food.yaml'), demo);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the catalog built from the same files', async () => {
    const first = await loadCatalog(dir);
    expect(await loadCatalog(dir)).toBe(first);
    expect(first.get(DEMO_TYPE)?.name).toBe('食品经营许可证');
  });

  it('builds again when one byte of an entry changed', async () => {
    const first = await loadCatalog(dir);
    writeFileSync(join(dir, 'food.yaml'), demo.replace('name: 食品经营许可证', 'name: 食品经营许可证乙'));
    const second = await loadCatalog(dir);
    expect(second).not.toBe(first);
    expect(second.get(DEMO_TYPE)?.name).toBe('食品经营许可证乙');
    expect(second.version).not.toBe(first.version);
  });

  it('builds again when an entry is added, removed or renamed', async () => {
    const first = await loadCatalog(dir);
    writeFileSync(join(dir, 'other.yaml'), demo.replace(`code: ${DEMO_TYPE}`, `code: ${OTHER_TYPE}`));
    const added = await loadCatalog(dir);
    expect(added.entries().map((e) => e.code)).toEqual([DEMO_TYPE, OTHER_TYPE]);
    rmSync(join(dir, 'other.yaml'));
    expect((await loadCatalog(dir)).entries().map((e) => e.code)).toEqual([DEMO_TYPE]);
    renameSync(join(dir, 'food.yaml'), join(dir, 'food-business.yaml'));
    const renamed = await loadCatalog(dir);
    expect(renamed).not.toBe(first);
    expect(renamed.get(DEMO_TYPE)?.file).toBe(join(dir, 'food-business.yaml'));
  });

  it('fails again, the same way, for a catalog that failed, and builds it once mended', async () => {
    writeFileSync(join(dir, 'food.yaml'), demo.replace('name: 食品经营许可证', 'name: "食品\\u202e"'));
    const a = await loadCatalog(dir).catch((e: unknown) => e);
    const b = await loadCatalog(dir).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(ConfigError);
    expect((b as Error).message).toBe((a as Error).message);
    writeFileSync(join(dir, 'food.yaml'), demo);
    expect((await loadCatalog(dir)).get(DEMO_TYPE)?.name).toBe('食品经营许可证');
  });

  it('hands out entries no caller can reorder', async () => {
    const entries = (await loadCatalog(dir)).entries() as unknown[];
    expect(() => entries.push(entries[0])).toThrow(TypeError);
  });

  it(`keeps at most ${CACHED_CATALOGS} catalogs, the least recently used going first`, async () => {
    const first = await loadCatalog(dir);
    for (let i = 0; i < CACHED_CATALOGS; i++) {
      const other = mkdtempSync(join(tmpdir(), 'catalog-reuse-'));
      writeFileSync(join(other, 'food.yaml'), demo);
      await loadCatalog(other);
      rmSync(other, { recursive: true, force: true });
    }
    expect(await loadCatalog(dir)).not.toBe(first);
  });
});
