// The file store reads only its own files. A license file replaced by a symbolic link — to an
// identical copy outside the store, or to anything — was read through it: `verify --all` passed a
// file the store no longer held, and delivery sent bytes from outside the store. A file that is a
// link, or whose folders under the root hold one, is now refused in words (the ledger's kind of
// error, which verify reports and delivery refuses with), and `has` does not count it; the root
// itself may be a link, as for writing.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import type { DeliveryItem, TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { attachLicenseFiles } from '../../pipelines/stages/deliver-files.js';
import { makeTempDir } from '../signers/helpers.js';

const sm3 = (b: Buffer) => createHash('sm3').update(b).digest('hex');

describe('the file store does not read through a link', () => {
  let dir: string;
  let root: string;
  let outside: string;
  let cleanup: () => void;
  let store: LicenseFileStore;
  const bytes = Buffer.from('sealed license, synthetic');
  const file = { path: '', licenseId: 'L.LINKED', version: 1 };
  beforeEach(async () => {
    ({ dir, cleanup } = makeTempDir());
    root = join(dir, 'store');
    outside = join(dir, 'elsewhere');
    mkdirSync(root);
    mkdirSync(outside);
    store = new LicenseFileStore(root);
    file.path = (await store.put('T1', file.licenseId, file.version, bytes)).path;
  });
  afterEach(() => cleanup());

  const refused = async (read: () => Promise<unknown>, what: string) => {
    const e = await read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(e).toBeInstanceOf(LicbridgeError);
    expect((e as LicbridgeError).code).toBe(ErrorCodes.LEDGER);
    expect((e as Error).message).toContain(what);
  };

  it('reads, digests and finds a sound file as before', async () => {
    expect(await store.read(file)).toEqual(bytes);
    expect(await store.digest(file)).toEqual({ sm3: sm3(bytes), size: bytes.length });
    expect(await store.has(file)).toBe(true);
  });

  it('refuses a file replaced by a link to an identical copy outside the store', async () => {
    const full = join(root, file.path);
    const copy = join(outside, 'copy.ofd');
    copyFileSync(full, copy);
    rmSync(full);
    symlinkSync(copy, full);
    const what = `${full} is not the store's file but a link (to ${copy})`;
    await refused(() => store.read(file), what);
    await refused(() => store.digest(file), what);
    expect(await store.has(file)).toBe(false);
  });

  it('refuses a file whose shelf was replaced by a link to a folder outside the store', async () => {
    const shelf = join(root, file.path.slice(0, file.path.lastIndexOf('/')));
    const moved = join(outside, 'shelf');
    renameSync(shelf, moved);
    symlinkSync(moved, shelf);
    const what = `${shelf} is not a folder of the store but a link (to ${moved})`;
    await refused(() => store.read(file), what);
    await refused(() => store.digest(file), what);
    expect(await store.has(file)).toBe(false);
  });

  it('refuses a file whose type folder was replaced by a link', async () => {
    const type = join(root, 'T1');
    const moved = join(outside, 'T1');
    renameSync(type, moved);
    symlinkSync(moved, type);
    await refused(() => store.read(file), `${type} is not a folder of the store but a link (to ${moved})`);
    expect(await store.has(file)).toBe(false);
  });

  it('still says a missing file is missing (ENOENT)', async () => {
    rmSync(join(root, file.path));
    await expect(store.read(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.digest(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.has(file)).toBe(false);
  });

  it('reads through a root that is itself a link', async () => {
    const linked = join(dir, 'linked-store');
    symlinkSync(root, linked);
    const through = new LicenseFileStore(linked);
    expect(await through.read(file)).toEqual(bytes);
    expect(await through.digest(file)).toEqual({ sm3: sm3(bytes), size: bytes.length });
    expect(await through.has(file)).toBe(true);
  });

  /** Delivery's check of the version's file (attachLicenseFiles), the ledger's row that of `bytes`. */
  const deliver = async () => {
    const row: StoredLicenseFile = {
      versionId: 7,
      licenseId: file.licenseId,
      version: file.version,
      pipeline: 'p',
      path: file.path,
      sm3: sm3(bytes),
      size: bytes.length,
      seal: 's',
      signedAt: new Date(),
    };
    const ledger = { licenseFiles: { ofVersions: async () => [row] } } as unknown as Pick<
      Ledger,
      'licenseFiles'
    >;
    const target = {
      name: 'province',
      licenseFiles: { maxBytes: 1_000_000, whenMissing: 'wait' },
    } as TargetAdapter;
    const item = { key: `${file.licenseId}:1:province`, licenseId: file.licenseId, version: 1, versionId: 7 };
    return await attachLicenseFiles(ledger, target, [item as DeliveryItem & { versionId: number }], root);
  };

  it('delivery sends a sound file as before, and refuses one replaced by a link to the same bytes', async () => {
    const sound = await deliver();
    expect(sound.refused).toEqual([]);
    expect(await sound.items[0]?.file?.read()).toEqual(bytes);
    const full = join(root, file.path);
    const copy = join(outside, 'copy.ofd');
    copyFileSync(full, copy);
    rmSync(full);
    symlinkSync(copy, full);
    const linked = await deliver();
    expect(linked.items).toEqual([]);
    expect(linked.refused[0]?.reasons?.[0]).toContain(
      `${full} is not the store's file but a link (to ${copy})`,
    );
    expect(linked.refused[0]?.reasons?.[0]).toMatch(/; not sent$/);
  });
});
