// The file store puts a license's files on a shelf its type shares with other licenses
// (`<type>/<two hex digits of SM3(license id)>/<license id>.<NNN>.ofd`), made once, so a file is one
// new inode and not two (a folder per license, then the file). A file the layout before left (a
// folder per license) is still found by discard, and its temporary files by removeLeftovers.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

const shelfOf = (id: string) => createHash('sm3').update(id).digest('hex').slice(0, 2);

describe('file store shelves', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  // More licenses than shelves, so that a folder per license cannot pass for shelves: 600 cost
  // twice the file writes and proved no more.
  it('stores the files of 300 licenses on at most 256 shared shelves, no folder per license', async () => {
    const store = new LicenseFileStore(dir);
    const ids = Array.from({ length: 300 }, (_, n) => `L.${n}`);
    const stored = await store.putMany(
      ids.map((licenseId) => ({ typeCode: 'T1', licenseId, version: 1, bytes: Buffer.from(licenseId) })),
    );
    expect(stored.map((s) => s.path)).toEqual(ids.map((id) => `T1/${shelfOf(id)}/${id}.001.ofd`));
    const shelves = readdirSync(join(dir, 'T1'));
    expect(shelves.every((s) => /^[0-9a-f]{2}$/.test(s))).toBe(true);
    expect(shelves.length).toBeLessThanOrEqual(256);
    expect(shelves.flatMap((s) => readdirSync(join(dir, 'T1', s))).length).toBe(300);
    expect(
      (
        await store.read({ path: `T1/${shelfOf('L.7')}/L.7.001.ofd`, licenseId: 'L.7', version: 1 })
      ).toString(),
    ).toBe('L.7');
    // A later version of a license goes on its shelf beside the first.
    const [v2] = await store.putMany([
      { typeCode: 'T1', licenseId: 'L.7', version: 2, bytes: Buffer.from('2') },
    ]);
    expect(v2?.path).toBe(`T1/${shelfOf('L.7')}/L.7.002.ofd`);
  });

  it('discards a file at its path, and one the layout before left in a folder per license', async () => {
    const store = new LicenseFileStore(dir);
    await store.put('T1', 'L.1', 1, Buffer.from('now'));
    mkdirSync(join(dir, 'T1/L.2'), { recursive: true });
    writeFileSync(join(dir, 'T1/L.2/003.ofd'), 'before');
    expect(await store.discard('T1', 'L.1', 1)).toBe(true);
    expect(await store.discard('T1', 'L.2', 3)).toBe(true);
    expect(await store.discard('T1', 'L.3', 1)).toBe(false);
    expect(await store.files()).toEqual([]);
  });

  it('removes a file the layout before left in the folder of a license whose id looks like a shelf', async () => {
    // License `ab` kept its files in `T1/ab/`, a name a shelf could have: its `001.ofd` says what it is.
    const store = new LicenseFileStore(dir);
    mkdirSync(join(dir, 'T1/ab'), { recursive: true });
    writeFileSync(join(dir, 'T1/ab/001.ofd'), 'before');
    expect(await store.removeLeftovers()).toBe(0);
    await store.put('T1', 'ab', 1, Buffer.from('now'));
    expect(await store.discardFormer('T1', 'ab', 1)).toBe(true);
    expect(await store.files()).toEqual([`T1/${shelfOf('ab')}/ab.001.ofd`]);
  });

  it('removes the temporary files of a killed write on a shelf and in a folder of the layout before', async () => {
    const store = new LicenseFileStore(dir);
    const shelf = join(dir, 'T1', shelfOf('L.1'));
    mkdirSync(shelf, { recursive: true });
    mkdirSync(join(dir, 'T1/L.2'), { recursive: true });
    const leftovers = [
      join(shelf, '.L.1.001.ofd.0a1b2c3d.7.42.tmp'),
      join(dir, 'T1/L.2/.002.ofd.0a1b2c3d.3.tmp'),
    ];
    for (const f of leftovers) writeFileSync(f, 'sealed');
    const kept = [join(shelf, 'L.1.001.ofd'), join(shelf, '.L.1.001.ofd.notes')];
    for (const f of kept) writeFileSync(f, 'kept');
    expect(await store.removeLeftovers()).toBe(2);
    expect(leftovers.map(existsSync)).toEqual([false, false]);
    expect(kept.map(existsSync)).toEqual([true, true]);
  });
});
