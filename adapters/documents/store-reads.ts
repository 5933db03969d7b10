/**
 * Reading the file store's files at the paths the ledger recorded (`LicenseFileStore.has`, `read`,
 * `digest`): only inside the root, and never through a link.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

// Identifiers are GB/T 36904 (digits, capitals, dots): anything else would be a path trick.
export const SAFE = /^[0-9A-Za-z][0-9A-Za-z.-]*$/;

/** A version's file as the ledger lists it: the path it recorded, and whose file it is. */
export interface LedgerFile {
  /** Relative to the store root, `/`-separated. */
  path: string;
  licenseId: string;
  version: number;
}

export class StoreReads {
  constructor(readonly root: string) {}

  /**
   * Whether the store's file is at the path the ledger recorded for a version (`#inside`): a link
   * there, or a link among its folders, is not the store's file (`#open`).
   */
  async has(file: LedgerFile): Promise<boolean> {
    // A path the ledger recorded outside the store is refused, as reading it is.
    const full = this.#inside(file);
    try {
      await this.#soundFolders(file, full);
      return (await lstat(full)).isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      if (e instanceof LicbridgeError && e.code === ErrorCodes.LEDGER) return false;
      throw e;
    }
  }

  /** The bytes at the path the ledger recorded for a version (`#inside`, `#open`). */
  async read(file: LedgerFile): Promise<Buffer> {
    const handle = await this.#open(file);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  /**
   * SM3 (hex) and size of the bytes at the path the ledger recorded for a version (`#inside`,
   * `#open`), read in pieces: delivery checks every file of a job before sending any, and holding
   * them whole for it held the job's files all at once (up to 100 of `licenseFiles.maxBytes`).
   */
  async digest(file: LedgerFile): Promise<{ sm3: string; size: number }> {
    const sm3 = createHash('sm3');
    let size = 0;
    // The stream closes the handle when it ends or fails.
    for await (const piece of (await this.#open(file)).createReadStream()) {
      sm3.update(piece as Buffer);
      size += (piece as Buffer).length;
    }
    return { sm3: sm3.digest('hex'), size };
  }

  /**
   * Opens the store's file of a version for reading, refusing a link: a license file replaced by a
   * link (to an identical copy elsewhere, or to anything) was read through it, so `verify --all`
   * passed a file the store no longer held and delivery sent bytes from outside the store. The file
   * is opened with `O_NOFOLLOW`, and each folder under the root on its way looked at (`lstat`) as
   * writing does (`#confine`); the root itself may be a link. Refused as the ledger's kind of error
   * (`ErrorCodes.LEDGER`), which verify reports and delivery refuses with, in words; a file not
   * there is ENOENT as before.
   */
  async #open(file: LedgerFile): Promise<FileHandle> {
    const full = this.#inside(file);
    await this.#soundFolders(file, full);
    try {
      return await open(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOOP') throw e;
      const to = await readlink(full).catch(() => '?');
      throw this.#notTheStores(file, `${full} is not the store's file but a link (to ${to})`, full);
    }
  }

  /**
   * Refuses a file whose folders under the root hold a link (or no folder): read through it, the
   * file is not the store's. Looked at on every read, not remembered as writing does: a serving
   * process reads for as long as it runs.
   */
  async #soundFolders(file: LedgerFile, full: string): Promise<void> {
    const segments = file.path.split('/');
    for (let n = 1; n < segments.length; n++) {
      const folder = join(this.root, ...segments.slice(0, n));
      // A folder not there is ENOENT, as the file's open would say.
      const info = await lstat(folder);
      if (info.isDirectory()) continue;
      const what = info.isSymbolicLink()
        ? `a link (to ${await readlink(folder).catch(() => '?')})`
        : 'no folder';
      throw this.#notTheStores(file, `${folder} is not a folder of the store but ${what}`, full);
    }
  }

  #notTheStores(file: LedgerFile, why: string, full: string): LicbridgeError {
    return new LicbridgeError(
      ErrorCodes.LEDGER,
      `file store ${this.root}: the file of ${file.licenseId} version ${file.version}: ${why}; not read: the store reads only its own files, not what a link points to — put the file itself back in its place (from a backup of the store)`,
      { context: { path: full } },
    );
  }

  /**
   * Where the path the ledger recorded for a version's file is: inside the root, or refused. Every
   * path the store writes, in either layout, is names of the store's alphabet (`SAFE`) joined by
   * `/`; a row holding anything else (`..`, an absolute path, an empty or hidden segment) was not
   * written by it, and would read whatever file the process can.
   */
  #inside(file: LedgerFile): string {
    if (!file.path.split('/').every((segment) => SAFE.test(segment))) {
      throw new LicbridgeError(
        ErrorCodes.LEDGER,
        `file store ${this.root}: the ledger records the file of ${file.licenseId} version ${file.version} at ${JSON.stringify(file.path)}, not a path inside the store (only names of letters, digits, '.' and '-' joined by '/'); not read: the ledger's row of this file was changed, restore it from a backup of the ledger`,
        { context: { path: this.root } },
      );
    }
    return join(this.root, file.path);
  }
}
