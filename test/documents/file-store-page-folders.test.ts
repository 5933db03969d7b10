// The file store puts a page's files in a fresh folder of their own under each type
// (`<type>/p-<run>-<NNNNNN>/<license id>.<NNN>.ofd`): two folder flushes a page, where shelves
// shared by all licenses cost one per shelf. A version's file is then not at a path its id gives,
// so what a run killed between storing a page and recording it left must still be found: in that
// run's last page folder, removed when the next run issues the version again or refuses it. Files
// of both layouts before (shelves, a folder per license) are read, listed and replaced as before.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore, type StoreItem } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

const shelfOf = (id: string) => createHash('sm3').update(id).digest('hex').slice(0, 2);
const item = (licenseId: string, typeCode = 'T1', version = 1): StoreItem => ({
  typeCode,
  licenseId,
  version,
  bytes: Buffer.from(`${typeCode} ${licenseId} ${version}`),
});

describe('file store page folders', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  it("puts a page's files in one fresh folder under each type, and the next page in the next", async () => {
    const store = new LicenseFileStore(dir);
    const ids = Array.from({ length: 100 }, (_, n) => `L.${n}`);
    const first = await store.putMany([...ids.map((id) => item(id)), item('M.1', 'T2'), item('M.2', 'T2')]);
    const [t1] = readdirSync(join(dir, 'T1'));
    const [t2] = readdirSync(join(dir, 'T2'));
    expect(readdirSync(join(dir, 'T1'))).toHaveLength(1);
    expect(t1).toMatch(/^p-[0-9a-f]{16}-000001$/);
    expect(t2).toBe(t1);
    expect(readdirSync(join(dir, 'T1', t1 as string)).sort()).toEqual(
      ids.map((id) => `${id}.001.ofd`).sort(),
    );
    expect(first.map((s) => s.path)).toEqual([
      ...ids.map((id) => `T1/${t1}/${id}.001.ofd`),
      `T2/${t1}/M.1.001.ofd`,
      `T2/${t1}/M.2.001.ofd`,
    ]);
    const [next] = await store.putMany([item('L.0', 'T1', 2)]);
    expect(next?.path).toBe(`T1/${(t1 as string).replace(/000001$/, '000002')}/L.0.002.ofd`);
    expect(readdirSync(join(dir, 'T1'))).toHaveLength(2);
  });

  it('removes what a run killed before recording its last page left, once the version is issued again or refused', async () => {
    const killed = new LicenseFileStore(dir);
    await killed.lock();
    const recorded = await killed.putMany([item('L.1'), item('L.2')]);
    // Stored, then the process died before the ledger recorded this page.
    const unrecorded = await killed.putMany([item('L.3'), item('L.4'), item('L.5')]);

    const rerun = new LicenseFileStore(dir);
    expect(await rerun.removeLeftovers()).toBe(0);
    const again = await rerun.putMany([item('L.3'), item('L.4')]);
    // As `sign files` records a page: the killed run's file of each version goes, the new one stays.
    expect(await rerun.discardFormer('T1', 'L.3', 1)).toBe(true);
    expect(await rerun.discardFormer('T1', 'L.4', 1)).toBe(true);
    // A version the rerun refuses (its face no longer fits): its unrecorded file goes too.
    expect(await rerun.discard('T1', 'L.5', 1)).toBe(true);
    expect(await rerun.discardFormer('T1', 'L.3', 1)).toBe(false);
    expect(unrecorded.map((s) => existsSync(join(dir, s.path)))).toEqual([false, false, false]);
    expect(await rerun.files()).toEqual([...recorded, ...again].map((s) => s.path).sort());
  });

  it('removes the temporary files a write killed mid-page left in its page folder', async () => {
    const store = new LicenseFileStore(dir);
    const [stored] = await store.putMany([item('L.1')]);
    const folder = join(dir, (stored?.path as string).replace(/\/[^/]*$/, ''));
    const leftover = join(folder, '.L.2.001.ofd.0a1b2c3d.7.1.tmp');
    writeFileSync(leftover, 'sealed, never renamed');
    expect(await store.files()).toEqual([stored?.path]);
    expect(await new LicenseFileStore(dir).removeLeftovers()).toBe(1);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(join(dir, stored?.path as string))).toBe(true);
  });

  it('reads and lists the files of both layouts before, and removes them for a version issued again', async () => {
    const shelved = `T1/${shelfOf('L.7')}/L.7.001.ofd`;
    const perLicense = 'T1/L.8/002.ofd';
    for (const [path, text] of [
      [shelved, 'on a shelf'],
      [perLicense, 'in a folder per license'],
    ] as const) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const store = new LicenseFileStore(dir);
    expect((await store.read({ path: shelved, licenseId: 'L.7', version: 1 })).toString()).toBe('on a shelf');
    expect((await store.read({ path: perLicense, licenseId: 'L.8', version: 2 })).toString()).toBe(
      'in a folder per license',
    );
    expect(await store.has({ path: shelved, licenseId: 'L.7', version: 1 })).toBe(true);
    expect(await store.files()).toEqual([perLicense, shelved].sort());

    // Written by runs of the code before, killed before they recorded them: issued again now.
    expect(await store.removeLeftovers()).toBe(0);
    const stored = await store.putMany([item('L.7'), item('L.8', 'T1', 2)]);
    expect(await store.discardFormer('T1', 'L.7', 1)).toBe(true);
    expect(await store.discardFormer('T1', 'L.8', 2)).toBe(true);
    expect(await store.files()).toEqual(stored.map((s) => s.path).sort());
  });
});
