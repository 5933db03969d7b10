/**
 * The license file store: a directory tree by license and version,
 * `<root>/<license type>/<license id>/<version>.ofd`, each file written atomically (a reader sees
 * the old file or the whole new one). What a file is, is said by its SM3 and size, which the
 * ledger keeps; the store itself holds no index.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export interface StoredFile {
  /** Path relative to the store root, `/`-separated. */
  path: string;
  /** Hex SM3 of the bytes. */
  sm3: string;
  size: number;
}

// Identifiers are GB/T 36904 (digits, capitals, dots): anything else would be a path trick.
const SAFE = /^[0-9A-Za-z][0-9A-Za-z.-]*$/;

export class LicenseFileStore {
  constructor(readonly root: string) {}

  relativePath(typeCode: string, licenseId: string, version: number): string {
    if (!SAFE.test(typeCode) || !SAFE.test(licenseId) || !Number.isSafeInteger(version) || version < 1) {
      throw new RangeError(`file store: unusable name ${typeCode}/${licenseId}/${version}`);
    }
    return `${typeCode}/${licenseId}/${String(version).padStart(3, '0')}.ofd`;
  }

  async put(typeCode: string, licenseId: string, version: number, bytes: Uint8Array): Promise<StoredFile> {
    const path = this.relativePath(typeCode, licenseId, version);
    await writeFileAtomic(join(this.root, path), bytes);
    return { path, sm3: createHash('sm3').update(bytes).digest('hex'), size: bytes.length };
  }

  /**
   * Stores a batch at once: the atomic writes run side by side, so their flushes to disk overlap
   * (one journal commit serves several) instead of queueing one after another.
   */
  putMany(
    items: readonly { typeCode: string; licenseId: string; version: number; bytes: Uint8Array }[],
  ): Promise<StoredFile[]> {
    return Promise.all(items.map((i) => this.put(i.typeCode, i.licenseId, i.version, i.bytes)));
  }

  read(path: string): Promise<Buffer> {
    return readFile(join(this.root, path));
  }
}
