/**
 * The commands a test file runs in process evaluate licbridge's modules anew for each run
 * (test/support/cli-in-process.ts), yet reuse the catalogs built earlier in the file from the same
 * entry files, as a long-running worker does (test/support/shared-validators.ts). A changed entry
 * still builds anew, and a failed build still fails in the next run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_TYPE, demoEntryText } from './fixtures.js';

/** loadCatalog from licbridge's modules evaluated anew, as each run in process has them. */
async function freshLoadCatalog() {
  vi.resetModules();
  return (await import('../../catalog/catalog.js')).loadCatalog;
}

describe('built catalogs kept across fresh module loads of one file', () => {
  let dir: string;
  let demo: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-kept-'));
    demo = await demoEntryText();
    writeFileSync(join(dir, 'food.yaml'), demo);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the catalog an earlier load built from the same files', async () => {
    const first = await (await freshLoadCatalog())(dir);
    const again = await (await freshLoadCatalog())(dir);
    expect(again).toBe(first);
    expect(again.get(DEMO_TYPE)?.name).toBe('食品经营许可证');
  });

  it('builds anew from a changed entry, and fails again on a bad one', async () => {
    const first = await (await freshLoadCatalog())(dir);
    writeFileSync(join(dir, 'food.yaml'), demo.replace('name: 食品经营许可证', 'name: 食品经营许可证乙'));
    const changed = await (await freshLoadCatalog())(dir);
    expect(changed).not.toBe(first);
    expect(changed.get(DEMO_TYPE)?.name).toBe('食品经营许可证乙');
    writeFileSync(join(dir, 'food.yaml'), demo.replace('maxLength: 64', 'maxLength: -1'));
    for (let i = 0; i < 2; i++) {
      await expect((await freshLoadCatalog())(dir)).rejects.toThrow(/maxLength/);
    }
  });
});
