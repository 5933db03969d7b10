// The file store reads a file at the path the ledger recorded for it, relative to the store's root.
// A ledger row whose path climbs out of the store (`../`) or is absolute would have read any file
// the process can (and delivery sent it, when its SM3 had been written to match): such a path is
// refused, naming the license and version, before anything is opened.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import type { DeliveryItem, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { attachLicenseFiles } from '../../pipelines/stages/deliver-files.js';
import { verifyLicenseFiles } from '../../pipelines/verify/license-files.js';
import { makeTempDir } from '../signers/helpers.js';

const shelfOf = (id: string) => createHash('sm3').update(id).digest('hex').slice(0, 2);

describe('the file store reads only inside its root', () => {
  let dir: string;
  let root: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    root = join(dir, 'store');
    mkdirSync(root);
    writeFileSync(join(dir, 'outside.ofd'), 'not a license of this store');
  });
  afterEach(() => cleanup());

  const owner = { licenseId: 'L.1', version: 2 };

  it.each([
    ['a path climbing out of the store', '../outside.ofd'],
    ['a path climbing out below a type', 'T1/../../outside.ofd'],
    ['an absolute path', () => join(dir, 'outside.ofd')],
    ['a path through a hidden folder', 'T1/./x.ofd'],
    ['an empty segment', 'T1//x.ofd'],
  ])('refuses %s, naming the license and version', async (_, given) => {
    const path = typeof given === 'function' ? given() : given;
    const store = new LicenseFileStore(root);
    const read = store.read({ path, ...owner });
    await expect(read).rejects.toMatchObject({ code: 'LB_LEDGER' });
    await expect(read).rejects.toThrow(
      `file store ${root}: the ledger records the file of L.1 version 2 at ${JSON.stringify(path)}, not a path inside the store`,
    );
    await expect(read).rejects.not.toThrow('not a license of this store');
    await expect(store.has({ path, ...owner })).rejects.toMatchObject({ code: 'LB_LEDGER' });
  });

  it('reads a file on its shelf and one the folder-per-license layout left', async () => {
    const store = new LicenseFileStore(root);
    const [stored] = await store.putMany([
      { typeCode: 'T1', licenseId: 'L.1', version: 1, bytes: Buffer.from('now') },
    ]);
    expect(stored?.path).toBe(`T1/${shelfOf('L.1')}/L.1.001.ofd`);
    mkdirSync(join(root, 'T1/L.1'), { recursive: true });
    writeFileSync(join(root, 'T1/L.1/002.ofd'), 'before');
    expect((await store.read({ path: stored?.path as string, ...owner })).toString()).toBe('now');
    expect((await store.read({ path: 'T1/L.1/002.ofd', ...owner })).toString()).toBe('before');
    expect(await store.has({ path: 'T1/L.1/002.ofd', ...owner })).toBe(true);
    expect(await store.has({ path: 'T1/L.1/003.ofd', ...owner })).toBe(false);
  });

  /** A ledger row naming a file outside the store, its SM3 and size those of that file. */
  const climbing = (): StoredLicenseFile => {
    const bytes = Buffer.from('not a license of this store');
    return {
      versionId: 7,
      licenseId: 'L.1',
      version: 2,
      pipeline: 'p',
      path: '../outside.ofd',
      sm3: createHash('sm3').update(bytes).digest('hex'),
      size: bytes.length,
      seal: 's',
      signedAt: new Date(),
    };
  };

  it('delivery dead-letters the version, naming why, and sends no file', async () => {
    const row = climbing();
    const ledger = { licenseFiles: { ofVersions: async () => [row] } } as unknown as Pick<
      Ledger,
      'licenseFiles'
    >;
    const target = {
      name: 'province',
      licenseFiles: { maxBytes: 1_000_000, whenMissing: 'wait' },
    } as TargetAdapter;
    const item = { key: 'L.1:2:province', licenseId: 'L.1', version: 2, versionId: 7 } as DeliveryItem & {
      versionId: number;
    };
    const prepared = await attachLicenseFiles(ledger, target, [item], root);
    expect(prepared.items).toEqual([]);
    expect(prepared.refused).toHaveLength(1);
    expect(prepared.refused[0]?.reasons?.[0]).toContain(
      'the ledger records the file of L.1 version 2 at "../outside.ofd", not a path inside the store',
    );
    expect(prepared.refused[0]?.reasons?.[0]).toMatch(/; not sent$/);
  });

  it('verify fails the file, naming why', async () => {
    const row = climbing();
    let pages = 0;
    const ledger = {
      licenseFiles: { list: async () => (pages++ === 0 ? [row] : []) },
      getVersions: async () => [],
    } as unknown as Ledger;
    const summary = await verifyLicenseFiles(ledger, root, [], {});
    expect(summary).toMatchObject({ checked: 1, failed: 1 });
    expect(summary.results[0]?.reasons).toEqual([
      `file store ${root}: the ledger records the file of L.1 version 2 at "../outside.ofd", not a path inside the store (only names of letters, digits, '.' and '-' joined by '/'); not read: the ledger's row of this file was changed, restore it from a backup of the ledger`,
    ]);
  });
});
