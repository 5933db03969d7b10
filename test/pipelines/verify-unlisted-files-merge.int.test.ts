/**
 * `verify --all` names the files in the store that no ledger row lists. It took the store's whole
 * sorted list of paths (`LicenseFileStore.files()`): on a store of millions of license files, all
 * their paths held at once. It now walks the store a folder at a time and the ledger's paths a
 * keyset page at a time, both in the order of their paths, and merges them. The same files are
 * named as a sort of the whole store would give, on both ledgers and across page edges, with
 * unlisted files before, between and after listed ones, listed files missing from the store, names
 * that sort apart by punctuation and case (a PostgreSQL path column in a language's collation), and
 * names beyond ASCII in the store. Counted: the ledger's paths one read returns, and that the
 * store's whole list is never built.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { UNLISTED_SHOWN, unlistedFiles } from '../../pipelines/verify/unlisted-files.js';
import { BACKENDS, quietLogger } from '../ledger/backends.js';
import { newVersions, uniqueName } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { licenseFile } from '../ledger/status-counts-from-rows.js';

/** Paths the ledger lists; those marked `missing` are not in the store. */
const LISTED = [
  { path: 'T1-x/b.001.ofd' },
  { path: 'T1.b/c.001.ofd', missing: true },
  { path: 'T1/A.001.ofd' },
  { path: 'T1/a-b.001.ofd' },
  { path: 'T1/a.001.ofd' },
  { path: 'T1/a/x.001.ofd', missing: true },
  { path: 'T1/a0.001.ofd' },
  { path: 'T1/ab.001.ofd' },
  { path: 'T2/z.001.ofd', missing: true },
];

/** Files in the store no row lists: before, between and after the listed ones, beyond ASCII too. */
const UNLISTED = [
  '0/a.ofd',
  'T1-x/b.001.ofd.copy',
  'T1-x/a.ofd',
  'T1.b/b.ofd',
  'T1/B.ofd',
  'T1/a,ofd',
  'T1/a.001.ofd.copy',
  'T1/a/y.ofd',
  'T1/a0/z.ofd',
  'T1/é.ofd',
  'T1/\u{1F600}.ofd',
  'T1/\uFF01.ofd',
  'T1/\u4E2D.ofd',
  'zz/a.ofd',
];

/** The store's files as a sort of all of them gives, walked here apart from the store's own code. */
function allSorted(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(rel === '' ? root : join(root, rel), { withFileTypes: true })) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk('');
  return out.sort();
}

/** The ledger, its reads of paths counted: the most paths one read returned, and any `list`. */
function watched(ledger: Ledger): { ledger: Ledger; mostAtOnce: () => number; lists: () => number } {
  let most = 0;
  let lists = 0;
  const licenseFiles = new Proxy(ledger.licenseFiles, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === 'list') {
        return (...args: Parameters<Ledger['licenseFiles']['list']>) => {
          lists++;
          return target.list(...args);
        };
      }
      if (key !== 'pathsPage') return value;
      return async (...args: Parameters<Ledger['licenseFiles']['pathsPage']>) => {
        const rows = await target.pathsPage(...args);
        most = Math.max(most, rows.length);
        return rows;
      };
    },
  });
  const proxy = new Proxy(ledger, {
    get: (target, key, receiver) =>
      key === 'licenseFiles' ? licenseFiles : Reflect.get(target, key, receiver),
  });
  return { ledger: proxy, mostAtOnce: () => most, lists: () => lists };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(BACKENDS)('verify --all: unlisted files merged in path order ($name)', (backend) => {
  it('names what a sort of the whole store names, at every page size, never holding the store whole', async () => {
    const database = await backend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    const raw = rawKnex(database.url);
    const store = mkdtempSync(join(tmpdir(), 'lb-unlisted-merge-'));
    try {
      if (backend.name === 'postgres') {
        // As in a database created en_US: punctuation weighs last and case folds, so `T1-x`,
        // `T1.b` and `T1/` (or `a-b`, `a.`, `a0`, `ab`) sort otherwise than the store walks them.
        await raw.raw('alter table license_files alter column path type text collate "en-x-icu"');
      }
      const pipeline = uniqueName('files');
      const ids = await newVersions(ledger, pipeline, 1, LISTED.length);
      const versions = await ledger.getVersions(ids);
      // Recorded in an order unlike the paths', so pages by version id would not be pages by path.
      await ledger.licenseFiles.record(
        versions.map((v, i) => ({
          ...licenseFile({ versionId: v.versionId, licenseId: v.licenseId, version: v.version, pipeline }),
          path: (LISTED[(i * 4) % LISTED.length] as { path: string }).path,
        })),
      );
      for (const path of [...LISTED.filter((f) => !f.missing).map((f) => f.path), ...UNLISTED]) {
        mkdirSync(dirname(join(store, path)), { recursive: true });
        writeFileSync(join(store, path), 'x');
      }
      const expected = allSorted(store).filter((p) => !LISTED.some((f) => f.path === p));
      expect([...expected].sort()).toEqual([...UNLISTED].sort());
      expect(expected.length).toBeGreaterThan(UNLISTED_SHOWN);

      const whole = vi.spyOn(LicenseFileStore.prototype, 'files');
      for (const pageSize of [1, 2, 3, 4, 5, 8, 9, 10, 1000]) {
        const { ledger: counted, mostAtOnce, lists } = watched(ledger);
        const unlisted = await unlistedFiles(counted, store, { pageSize });
        expect(unlisted, `pages of ${pageSize}`).toEqual({
          count: expected.length,
          first: expected.slice(0, UNLISTED_SHOWN),
        });
        expect(mostAtOnce(), `pages of ${pageSize}`).toBeGreaterThan(0);
        expect(mostAtOnce(), `pages of ${pageSize}`).toBeLessThanOrEqual(pageSize);
        expect(lists(), `pages of ${pageSize}`).toBe(0);
      }
      expect(whole).not.toHaveBeenCalled();
    } finally {
      rmSync(store, { recursive: true, force: true });
      await raw.destroy();
      await ledger.close();
      await database.dispose();
    }
  });

  it('reads the ledger paths in byte order across page edges', async () => {
    const database = await backend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    const raw = rawKnex(database.url);
    try {
      if (backend.name === 'postgres') {
        await raw.raw('alter table license_files alter column path type text collate "en-x-icu"');
      }
      const pipeline = uniqueName('paths');
      const ids = await newVersions(ledger, pipeline, 1, LISTED.length);
      const versions = await ledger.getVersions(ids);
      await ledger.licenseFiles.record(
        versions.map((v, i) => ({
          ...licenseFile({ versionId: v.versionId, licenseId: v.licenseId, version: v.version, pipeline }),
          path: (LISTED[(i * 4) % LISTED.length] as { path: string }).path,
        })),
      );
      for (const limit of [1, 2, 4, 9, 10]) {
        const read: string[] = [];
        for (let after: { path: string; versionId: number } | undefined; ; ) {
          const page = await ledger.licenseFiles.pathsPage({ after, limit });
          expect(page.length).toBeLessThanOrEqual(limit);
          read.push(...page.map((r) => r.path));
          if (page.length < limit) break;
          after = page[page.length - 1];
        }
        expect(read, `pages of ${limit}`).toEqual(LISTED.map((f) => f.path));
      }
    } finally {
      await raw.destroy();
      await ledger.close();
      await database.dispose();
    }
  });

  it('refuses ledger paths that byte order and UTF-16 order sort apart, which the store never makes', async () => {
    const database = await backend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    const store = mkdtempSync(join(tmpdir(), 'lb-unlisted-merge-'));
    try {
      const pipeline = uniqueName('apart');
      const ids = await newVersions(ledger, pipeline, 1, 2);
      const versions = await ledger.getVersions(ids);
      // U+FF01 is bytes EF BC 81, before U+1F600's F0 9F 98 80; in UTF-16, FF01 after D83D DE00.
      await ledger.licenseFiles.record(
        versions.map((v, i) => ({
          ...licenseFile({ versionId: v.versionId, licenseId: v.licenseId, version: v.version, pipeline }),
          path: i === 0 ? 'T1/\uFF01.ofd' : 'T1/\u{1F600}.ofd',
        })),
      );
      writeFileSync(join(store, 'a.ofd'), 'x');
      await expect(unlistedFiles(ledger, store, { pageSize: 1 })).rejects.toMatchObject({
        code: 'LB_LEDGER',
        message: expect.stringMatching(
          /^verify: unlisted files: the ledger's path of version \d+ sorts apart/,
        ),
      });
    } finally {
      rmSync(store, { recursive: true, force: true });
      await ledger.close();
      await database.dispose();
    }
  });
});
