// Before page folders (file-store-page-folders.test.ts) the file store put a license's files on a
// shelf its type shared with other licenses (`<type>/<two hex digits of SM3(license id)>/<license
// id>.<NNN>.ofd`), and before shelves in a folder per license (`<type>/<license id>/<NNN>.ofd`).
// A file either layout left is still found by discard, and its temporary files by removeLeftovers.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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
    const now = await store.put('T1', 'ab', 1, Buffer.from('now'));
    expect(await store.discardFormer('T1', 'ab', 1)).toBe(true);
    expect(await store.files()).toEqual([now.path]);
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
