/**
 * License files in a fresh store with the ledger's rows of them, for the tests of the deliver
 * stage's file reading (deliver-files-per-request, file-changed-not-attempt).
 */
import { join } from 'node:path';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { deliveryItem } from '../platforms/license-fixture.js';
import type { SeenRequest } from '../platforms/scripted-server.js';
import { makeTempDir } from '../signers/helpers.js';

/** The item keys a request to the stand-in platform carried, in order. */
export const keysOf = (r: SeenRequest): string[] =>
  [...r.body.matchAll(/"key":"([^"]+)"/g)].map((m) => m[1] as string);

/**
 * `count` licenses with a file of `size` bytes each (license i filled with byte i) in a fresh store
 * under `root`, and a ledger holding only their rows. The store's removal goes on `cleanups`.
 */
export async function storedLicenseFiles(count: number, size: number, cleanups: Array<() => unknown>) {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  const root = join(dir, 'store');
  const items = Array.from({ length: count }, (_, i) => ({ ...deliveryItem(i + 1), versionId: i + 1 }));
  const written = await new LicenseFileStore(root).putMany(
    items.map((item, i) => ({
      typeCode: 'T1',
      licenseId: item.licenseId,
      version: 1,
      bytes: Buffer.alloc(size, i + 1),
    })),
  );
  const rows: StoredLicenseFile[] = written.map((w, i) => ({
    versionId: i + 1,
    licenseId: items[i]?.licenseId as string,
    version: 1,
    pipeline: 'p',
    path: w.path,
    sm3: w.sm3,
    size: w.size,
    seal: 's',
    signedAt: new Date(),
  }));
  const ledger = { licenseFiles: { ofVersions: async () => rows } } as unknown as Pick<
    Ledger,
    'licenseFiles'
  >;
  return { root, items, rows, ledger };
}
