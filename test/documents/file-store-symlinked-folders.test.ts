// The file store writes only inside its root. A folder of the store (a type's, a shelf) replaced by
// a symbolic link to a folder elsewhere was written through: the sealed license — personal data on
// its face — landed outside the store, at a path the ledger then recorded as the store's. Such a
// folder is refused, naming it, before any file is written; the root itself may be a link (a store
// mounted elsewhere), as it is the operator's to choose.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

const shelfOf = (id: string) => createHash('sm3').update(id).digest('hex').slice(0, 2);

describe('the file store does not write through a linked folder', () => {
  let dir: string;
  let root: string;
  let outside: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    root = join(dir, 'store');
    outside = join(dir, 'elsewhere');
    mkdirSync(root);
    mkdirSync(outside);
  });
  afterEach(() => cleanup());

  const item = (licenseId: string) => ({
    typeCode: 'T1',
    licenseId,
    version: 1,
    bytes: Buffer.from('sealed'),
  });

  it.each([
    ['a batch', (s: LicenseFileStore, id: string) => s.putMany([item(id)])],
    ['one file', (s: LicenseFileStore, id: string) => s.put('T1', id, 1, Buffer.from('sealed'))],
  ])('%s: a type folder that is a link to elsewhere is refused', async (_, write) => {
    symlinkSync(outside, join(root, 'T1'));
    const store = new LicenseFileStore(root);
    await expect(write(store, 'L.TYPE')).rejects.toThrow(
      `file store ${root}: ${join(root, 'T1')} is not a folder of the store but a link`,
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  it.each([
    ['a batch', (s: LicenseFileStore, id: string) => s.putMany([item(id)])],
    ['one file', (s: LicenseFileStore, id: string) => s.put('T1', id, 1, Buffer.from('sealed'))],
  ])('%s: a shelf that is a link to elsewhere is refused', async (_, write) => {
    const id = 'L.SHELF';
    mkdirSync(join(root, 'T1'));
    symlinkSync(outside, join(root, 'T1', shelfOf(id)));
    const store = new LicenseFileStore(root);
    await expect(write(store, id)).rejects.toThrow(
      `file store ${root}: ${join(root, 'T1', shelfOf(id))} is not a folder of the store but a link`,
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  it('removes no file through a linked folder (a version refused, a file of the layout before)', async () => {
    const id = 'L.GONE';
    symlinkSync(outside, join(root, 'T1'));
    mkdirSync(join(outside, shelfOf(id)));
    writeFileSync(join(outside, shelfOf(id), `${id}.001.ofd`), "not the store's");
    mkdirSync(join(outside, id));
    writeFileSync(join(outside, id, '001.ofd'), "not the store's");
    const store = new LicenseFileStore(root);
    await expect(store.discard('T1', id, 1)).rejects.toThrow(
      `file store ${root}: ${join(root, 'T1')} is not a folder of the store but a link`,
    );
    await store.removeLeftovers();
    expect(await store.discardFormer('T1', id, 1)).toBe(false);
    expect(readFileSync(join(outside, shelfOf(id), `${id}.001.ofd`), 'utf8')).toBe("not the store's");
    expect(readFileSync(join(outside, id, '001.ofd'), 'utf8')).toBe("not the store's");
  });

  it('writes into a store whose root is itself a link', async () => {
    const linked = join(dir, 'linked-store');
    symlinkSync(root, linked);
    const store = new LicenseFileStore(linked);
    const [stored] = await store.putMany([item('L.ROOT')]);
    expect(
      (await store.read({ path: stored?.path as string, licenseId: 'L.ROOT', version: 1 })).toString(),
    ).toBe('sealed');
    expect(readdirSync(join(root, 'T1', shelfOf('L.ROOT')))).toEqual(['L.ROOT.001.ofd']);
  });
});
