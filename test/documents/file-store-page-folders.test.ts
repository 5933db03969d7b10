// Given the ledger, the file store puts each page's files in a folder of their own,
// `<type>/<yyyy-mm>/<nnnnn>/p-<run>-<NNNNNN>/` (two folder flushes a page instead of one a shelf),
// a bucket holding at most `pagesPerFolder` page folders, a page folder made new for its page and
// never written into twice, and a marker per page naming its files until the ledger recorded them.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore, type PageFile, type StoredFile } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

/** A ledger of the paths recorded, as `PageLedger` asks it. */
function fakeLedger() {
  const paths = new Set<string>();
  const asked: PageFile[][] = [];
  return {
    paths,
    asked,
    ledger: {
      recorded: async (files: readonly PageFile[]) => {
        asked.push([...files]);
        return files.map((f) => paths.has(f.path));
      },
    },
  };
}

const items = (type: string, ids: string[]) =>
  ids.map((licenseId) => ({ typeCode: type, licenseId, version: 1, bytes: Buffer.from(licenseId) }));

const month = () => new Date().toISOString().slice(0, 7);

describe('file store page folders', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  it("puts a page's files in a new folder of their own under each type and its month, and lists no marker", async () => {
    const { ledger, paths } = fakeLedger();
    const store = new LicenseFileStore(dir, { ledger });
    const stored = await store.putMany([...items('T1', ['L.1', 'L.2']), ...items('T2', ['L.3'])]);
    const page = /^p-[0-9a-f]{16}-000001$/;
    expect(stored[0]?.path).toMatch(
      new RegExp(`^T1/${month()}/00000/p-[0-9a-f]{16}-000001/L\\.1\\.001\\.ofd$`),
    );
    expect(stored[2]?.path).toMatch(
      new RegExp(`^T2/${month()}/00000/p-[0-9a-f]{16}-000001/L\\.3\\.001\\.ofd$`),
    );
    expect(readdirSync(join(dir, 'T1', month(), '00000'))).toEqual([expect.stringMatching(page)]);
    // The page's marker waits for the ledger; listed files are the page's only.
    expect(readdirSync(join(dir, '.licbridge-pages'))).toHaveLength(1);
    expect(await store.files()).toEqual(stored.map((s) => s.path).sort());
    for (const s of stored) paths.add(s.path);
    await store.pageRecorded(stored);
    expect(readdirSync(join(dir, '.licbridge-pages'))).toEqual([]);
    expect(
      (await store.read({ path: stored[1]?.path as string, licenseId: 'L.2', version: 1 })).toString(),
    ).toBe('L.2');
  });

  it('takes at most pagesPerFolder page folders in a bucket, and a later run goes on counting', async () => {
    const { ledger } = fakeLedger();
    const first = new LicenseFileStore(dir, { ledger, pagesPerFolder: 2 });
    for (let n = 0; n < 3; n++) await first.putMany(items('T1', [`L.${n}`]));
    const later = new LicenseFileStore(dir, { ledger, pagesPerFolder: 2 });
    for (let n = 3; n < 5; n++) await later.putMany(items('T1', [`L.${n}`]));
    const at = join(dir, 'T1', month());
    expect(readdirSync(at).sort()).toEqual(['00000', '00001', '00002']);
    expect(['00000', '00001', '00002'].map((b) => readdirSync(join(at, b)).length)).toEqual([2, 2, 1]);
  });

  it('never writes into a page folder that is there already: the page fails, the folder keeps what it held', async () => {
    const { ledger } = fakeLedger();
    const store = new LicenseFileStore(dir, { ledger });
    const [one] = await store.putMany(items('T1', ['L.1']));
    const folder = (one as StoredFile).path.split('/').slice(0, 4);
    const next = join(dir, ...folder.slice(0, 3), (folder[3] as string).replace(/000001$/, '000002'));
    mkdirSync(next);
    writeFileSync(join(next, 'other.001.ofd'), 'another page');
    await expect(store.putMany(items('T1', ['L.2']))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readdirSync(next)).toEqual(['other.001.ofd']);
  });

  it('reads, lists and removes the files of the layouts before where the ledger says', async () => {
    const { ledger } = fakeLedger();
    const shelves = new LicenseFileStore(dir);
    const [onShelf] = await shelves.putMany(items('T1', ['L.1']));
    mkdirSync(join(dir, 'T1', 'L.9'));
    writeFileSync(join(dir, 'T1', 'L.9', '001.ofd'), 'folder per license');
    const store = new LicenseFileStore(dir, { ledger });
    expect(await store.removeLeftovers()).toBe(0);
    const [inPage] = await store.putMany(items('T1', ['L.2']));
    expect(await store.files()).toEqual(
      [(onShelf as StoredFile).path, 'T1/L.9/001.ofd', (inPage as StoredFile).path].sort(),
    );
    expect(
      (await store.read({ path: (onShelf as StoredFile).path, licenseId: 'L.1', version: 1 })).toString(),
    ).toBe('L.1');
    expect(await store.discard('T1', 'L.1', 1)).toBe(true);
    expect(await store.discard('T1', 'L.9', 1)).toBe(true);
    // Each folder left empty went with its file.
    expect(readdirSync(join(dir, 'T1'))).toEqual([month()]);
  });

  it('asks the ledger about the files of the markers left only, never walking the pages recorded', async () => {
    const { ledger, paths, asked } = fakeLedger();
    const run = new LicenseFileStore(dir, { ledger });
    for (let n = 0; n < 3; n++) {
      const stored = await run.putMany(items('T1', [`L.${n}`]));
      for (const s of stored) paths.add(s.path);
      await run.pageRecorded(stored);
    }
    const [left] = await run.putMany(items('T1', ['L.3']));
    const rerun = new LicenseFileStore(dir, { ledger });
    expect(await rerun.removeLeftovers()).toBe(1);
    expect(asked.map((files) => files.map((f) => f.path))).toEqual([[(left as StoredFile).path]]);
    expect(existsSync(join(dir, (left as StoredFile).path))).toBe(false);
    expect(await rerun.files()).toEqual([...paths].sort());
  });

  it('leaves the markers and their files where it is given no ledger to ask', async () => {
    const { ledger } = fakeLedger();
    const [left] = await new LicenseFileStore(dir, { ledger }).putMany(items('T1', ['L.1']));
    expect(await new LicenseFileStore(dir).removeLeftovers()).toBe(0);
    expect(existsSync(join(dir, (left as StoredFile).path))).toBe(true);
    expect(readdirSync(join(dir, '.licbridge-pages'))).toHaveLength(1);
  });
});
