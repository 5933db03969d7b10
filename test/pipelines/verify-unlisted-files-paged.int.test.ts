/**
 * `verify --all` names the files in the store that no ledger row lists. It read the ledger's file
 * rows in pages, yet kept every listed path in one set: on a ledger of millions of license files,
 * all their paths in memory at once. It now merges the ledger's paths, a keyset page at a time
 * (`licenseFiles.pathsPage`), with the store's walked in the same order, over license files a run
 * issued. The same files are named across page edges (pages of 1 to 8 over 7 rows), with files in
 * the store no row lists sorting before, between and after the listed ones, and listed files
 * missing from the store (verify-unlisted-files-merge covers the orders and both ledgers).
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { UNLISTED_SHOWN, unlistedFiles } from '../../pipelines/verify/unlisted-files.js';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { watched } from './watched-ledger.js';

const COUNT = 7;

describe('verify --all: unlisted files found page by page', () => {
  let ws: FileWorkspace;
  let files: StoredLicenseFile[];
  const extra: string[] = [];

  beforeAll(async () => {
    ws = await fileWorkspace(COUNT, COUNT);
    files = await ws.ledger.licenseFiles.list({});
    expect(files).toHaveLength(COUNT);
    const source = join(ws.store, (files[0] as StoredLicenseFile).path);
    const listed = files.map((f) => f.path).sort();
    // Beside each listed file a copy no row lists (`<path>.copy` sorts right after it), and some
    // before and after every listed path: more than a report names.
    extra.push(
      ...listed.map((p) => `${p}.copy`),
      '0-first/a.ofd',
      '0-first/b.ofd',
      '0-first/c.ofd',
      'zz-last/a.ofd',
      'zz-last/b.ofd',
      'zz-last/c.ofd',
    );
    for (const path of extra) {
      mkdirSync(dirname(join(ws.store, path)), { recursive: true });
      copyFileSync(source, join(ws.store, path));
    }
    // Listed files missing from the store: the first, one in the middle and the last by path.
    for (const p of [listed[0], listed[3], listed[COUNT - 1]]) rmSync(join(ws.store, p as string));
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('names the same files with any page size, reading no more rows at once than a page', async () => {
    const found = await new LicenseFileStore(ws.store).files();
    const listed = new Set(files.map((f) => f.path));
    const whole = found.filter((p) => !listed.has(p));
    expect(whole).toEqual([...extra].sort());
    expect(whole.length).toBeGreaterThan(UNLISTED_SHOWN);
    for (const pageSize of [1, 2, 3, 4, 6, 7, 8]) {
      const { ledger, mostAtOnce } = watched(ws.ledger, 'pathsPage');
      const unlisted = await unlistedFiles(ledger, ws.store, { pageSize });
      expect(unlisted, `pages of ${pageSize}`).toEqual({
        count: whole.length,
        first: whole.slice(0, UNLISTED_SHOWN),
      });
      expect(mostAtOnce(), `pages of ${pageSize}`).toBeGreaterThan(0);
      expect(mostAtOnce(), `pages of ${pageSize}`).toBeLessThanOrEqual(pageSize);
    }
  });

  it('with every listed file there and nothing else, names none', async () => {
    const only = await fileWorkspace(3, 3);
    try {
      expect(await unlistedFiles(only.ledger, only.store, { pageSize: 1 })).toEqual({ count: 0, first: [] });
    } finally {
      await only.close();
    }
  });
});
