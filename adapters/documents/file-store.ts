/**
 * The license file store: a directory tree by license and version,
 * `<root>/<license type>/<shelf>/<license id>.<version>.ofd`, the shelf two hex digits of SM3 over
 * the license id (256 folders a type, made once and shared): a file is one new inode, where a
 * folder per license made it two — creating inodes is most of the store's cost on some disks (see
 * docs/ofd.md, Cost). Files a store holds from before are where the ledger says
 * (`<type>/<license id>/<version>.ofd`). Each file written atomically (a reader sees the old file
 * or the whole new one). What a file is, is said by its SM3 and size, which the ledger keeps; the
 * store itself holds no index.
 */
import { createHash, hash } from 'node:crypto';
import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { type AtomicFile, writeFileAtomic, writeFilesAtomic } from './atomic-file.js';
import { sm3Many } from './sm3-lanes.js';
import { lockStore, STORE_LOCK, syncFolder } from './store-lock.js';
import { type LedgerFile, SAFE, StoreReads } from './store-reads.js';

export { type LockFiles, STORE_LOCK, takeOver } from './store-lock.js';
export type { LedgerFile } from './store-reads.js';

export interface StoredFile {
  /** Path relative to the store root, `/`-separated. */
  path: string;
  /** Hex SM3 of the bytes. */
  sm3: string;
  size: number;
}

/**
 * A license file holds personal data (the holder's name and ID number are on its face, stored
 * uncompressed in the page), so the store is owner-only like the ledger: files 0600, folders 0700.
 */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * The temporary name of a version's file while it is written (atomic-file.ts):
 * `.<license id>.<NNN>.ofd.<hex tag>[.<n>…].tmp` beside it (`.<NNN>.ofd.…` in a folder per license,
 * the layout before shelves) — one file at a time (`writeFileAtomic`) or a batch (`placeBatch`).
 * Only these are ever removed as leftovers: nothing else in the store matches.
 */
const TEMPORARY = /^\.(?:[0-9A-Za-z][0-9A-Za-z.-]*\.)?[0-9]{3,}\.ofd\.[0-9a-f]+(?:\.[0-9]+)*\.tmp$/;

/**
 * A shelf's name; any other folder under a type is a license's of the layout before shelves. A
 * license of two such characters had a folder of a shelf's name: its version files (`FORMER`) tell.
 */
const SHELF = /^[0-9a-f]{2}$/;

/** A version's file in a folder per license (the layout before shelves): `<NNN>.ofd`. */
const FORMER = /^[0-9]{3,}\.ofd$/;

/** The shelf of a license's files under its type: two hex digits of SM3 over its id. */
function shelf(licenseId: string): string {
  return hash('sm3', licenseId, 'hex').slice(0, 2);
}

/** Where a link points, for a refusal's words; `?` when it cannot be read. */
function linkTarget(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return '?';
  }
}

/** Entries of a folder, or none when it is gone (ENOENT) or not a folder (ENOTDIR). */
async function entries(dir: string): Promise<{ name: string; folder: boolean }[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).map((e) => ({
      name: e.name,
      folder: e.isDirectory(),
    }));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
}

/** Removes a file; false when it was not there. */
async function removed(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** A version's file to store (`putMany`). */
export interface StoreItem {
  typeCode: string;
  licenseId: string;
  version: number;
  bytes: Uint8Array;
}

/** What `putMany` returns for a batch: each file's path, hex SM3 and size, in order. */
function storedFiles(
  paths: readonly string[],
  digests: readonly Buffer[],
  bytes: readonly Uint8Array[],
): StoredFile[] {
  const stored: StoredFile[] = [];
  for (let k = 0; k < paths.length; k++) {
    stored.push({
      path: paths[k] as string,
      sm3: (digests[k] as Buffer).toString('hex'),
      size: (bytes[k] as Uint8Array).length,
    });
  }
  return stored;
}

export class LicenseFileStore {
  /** Types holding folders of the layout before shelves, as `removeLeftovers` found them. */
  readonly #formerTypes = new Set<string>();
  /** Folders under the root (relative, `/`-separated) found to be folders, not links (`#confine`). */
  readonly #folders = new Set<string>();

  /**
   * What `join(root, p)` puts before `p` when `p` is names of the store's alphabet joined by `/`
   * (every path `relativePath` makes: no `.`, `..` or empty segment for `join` to resolve): the
   * normalised root and its separator, worked out once. `putMany` joined each file's path anew,
   * a normalisation of the whole path per file (and V8 compiling `path`'s code in a run's first
   * pages). Undefined where the separator is not `/`: there `join` is called as before.
   */
  readonly #base: string | undefined;
  readonly #reads: StoreReads;

  constructor(readonly root: string) {
    this.#reads = new StoreReads(root);
    this.#base = sep === '/' ? join(root, 'x').slice(0, -1) : undefined;
  }

  /** `join(this.root, path)` for a path `relativePath` made. */
  #full(path: string): string {
    return this.#base === undefined ? join(this.root, path) : this.#base + path;
  }

  relativePath(typeCode: string, licenseId: string, version: number): string {
    if (!SAFE.test(typeCode) || !SAFE.test(licenseId) || !Number.isSafeInteger(version) || version < 1) {
      throw new RangeError(`file store: unusable name ${typeCode}/${licenseId}/${version}`);
    }
    return `${typeCode}/${shelf(licenseId)}/${licenseId}.${String(version).padStart(3, '0')}.ofd`;
  }

  /** Where the layout before shelves put a version's file: a folder per license. */
  #formerPath(typeCode: string, licenseId: string, version: number): string {
    this.relativePath(typeCode, licenseId, version);
    return `${typeCode}/${licenseId}/${String(version).padStart(3, '0')}.ofd`;
  }

  /**
   * The folders of `paths` this store has not found sound yet (`#confine`): none, once a run's
   * shelves are known. The loop over a batch's paths is here, in a small function of its own: in
   * `#confine`, async as it was, it made V8 compile the whole async function (its state machine,
   * the lstat calls, the refusal) in a run's first pages for a loop of string cuts.
   */
  #unseenFolders(paths: readonly string[]): Set<string> {
    const unseen = new Set<string>();
    for (const path of paths) {
      const folder = path.slice(0, path.lastIndexOf('/'));
      if (!this.#folders.has(folder)) unseen.add(folder);
    }
    return unseen;
  }

  /**
   * Refuses a folder under the root that is a link (or no folder): the store makes its folders
   * with `mkdir -p`, which takes a link to a folder for the folder, and writes into them by path, so
   * a type's folder or a shelf replaced by a link to elsewhere had sealed licenses written outside
   * the store while the ledger recorded them as the store's. The root itself may be a link: it is
   * the operator's choice. A folder found sound is not looked at again by this store (a write costs
   * no `lstat` a folder); one not made yet is, once made.
   *
   * Synchronous ON PURPOSE (a few µs a folder): awaited, the `lstat`s of a batch on a shelf not
   * found sound yet (some 19 of a new store's first 100 pages) handed it to the writing thread only
   * after the caller had made the next page (overlapped-pages.ts), which gives the event loop no
   * turn: those pages were stored after it, not beside it.
   */
  #confine(paths: readonly string[]): void {
    for (const path of this.#unseenFolders(paths)) {
      const segments = path.split('/');
      for (let n = 1; n <= segments.length; n++) {
        const folder = segments.slice(0, n).join('/');
        if (this.#folders.has(folder)) continue;
        const full = join(this.root, folder);
        let info: Stats;
        try {
          info = lstatSync(full);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') break;
          throw e;
        }
        if (info.isDirectory()) {
          this.#folders.add(folder);
          continue;
        }
        const what = info.isSymbolicLink() ? `a link (to ${linkTarget(full)})` : 'no folder';
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `file store ${this.root}: ${full} is not a folder of the store but ${what}; nothing written or removed: the store writes only inside its root — put the folder back, or give the store a root where the files belong`,
          { context: { path: full } },
        );
      }
    }
  }

  async put(typeCode: string, licenseId: string, version: number, bytes: Uint8Array): Promise<StoredFile> {
    const path = this.relativePath(typeCode, licenseId, version);
    this.#confine([path]);
    await writeFileAtomic(join(this.root, path), bytes, { mode: FILE_MODE, dirMode: DIR_MODE });
    return { path, sm3: createHash('sm3').update(bytes).digest('hex'), size: bytes.length };
  }

  /**
   * Stores a batch at once, every file durable at its path when this returns (writeFilesAtomic):
   * the writes run side by side, so their flushes to disk overlap (one journal commit serves
   * several), and each folder is flushed once for the batch.
   */
  async putMany(items: readonly StoreItem[]): Promise<StoredFile[]> {
    const { paths, files, bytes } = this.#placements(items);
    // No await before the batch is handed over: an await here let the caller run on before the
    // writing thread got the batch — `sign files` lays out the next page meanwhile
    // (overlapped-pages.ts), and the thread sat idle for as long (`#confine`).
    if (this.#unseenFolders(paths).size > 0) this.#confine(paths);
    // The writing thread has the batch's bytes (a copy) once writeFilesAtomic has been called, and
    // then waits for the disk: the files are hashed meanwhile, side by side (sm3-lanes.ts: the
    // digests OpenSSL gives one by one), instead of after the last folder is flushed.
    const placing = writeFilesAtomic(files, { mode: FILE_MODE, dirMode: DIR_MODE });
    let digests: Buffer[];
    try {
      digests = sm3Many(bytes);
    } catch (e) {
      await placing.catch(() => undefined);
      throw e;
    }
    await placing;
    return storedFiles(paths, digests, bytes);
  }

  /**
   * A batch's paths (relative), files to place (full paths) and bytes, in order. The loops over a
   * batch are here and in `storedFiles`, small functions of their own, not in the async `putMany`:
   * there they made V8 compile the whole async function (its state machine, the awaits, the
   * failure path) in a run's first pages, when what runs a hundred times a batch is this.
   */
  #placements(items: readonly StoreItem[]): { paths: string[]; files: AtomicFile[]; bytes: Uint8Array[] } {
    // Arrays pushed to, not made by `map` (see ofd-signature.ts on arrays `map` makes).
    const paths: string[] = [];
    const files: AtomicFile[] = [];
    const bytes: Uint8Array[] = [];
    for (const i of items) {
      const path = this.relativePath(i.typeCode, i.licenseId, i.version);
      paths.push(path);
      files.push({ path: this.#full(path), data: i.bytes });
      bytes.push(i.bytes);
    }
    return { paths, files, bytes };
  }

  /**
   * Takes the store for one issuing run (store-lock.ts): two runs writing the same versions would
   * leave two sealed files of a version while the ledger keeps one. Returns the release.
   */
  lock(): Promise<() => Promise<void>> {
    return lockStore(this.root, DIR_MODE);
  }

  /**
   * Removes the temporary files of writes that never finished: a run killed mid-batch (SIGKILL, a
   * power cut) leaves each file of its batch not yet renamed as `.<NNN>.ofd.<tag>….tmp` beside its
   * final path — a whole sealed license, personal data, that no rename or rerun ever takes away
   * (a rerun writes under a tag of its own). Call it only under `lock()`: the lock shuts out every
   * other issuing run, and only an issuing run writes into the store, so no such file belongs to a
   * live writer. Walks `<type>/<shelf>/` (and `<type>/<license>/`, the layout before shelves), one
   * folder read each, noting the types that hold folders of the layout before (`discardFormer`).
   * Returns how many it removed.
   */
  async removeLeftovers(): Promise<number> {
    let count = 0;
    for (const type of await entries(this.root)) {
      if (!type.folder || !SAFE.test(type.name)) continue;
      for (const license of await entries(join(this.root, type.name))) {
        if (!license.folder || !SAFE.test(license.name)) continue;
        if (!SHELF.test(license.name)) this.#formerTypes.add(type.name);
        const folder = join(this.root, type.name, license.name);
        for (const file of await entries(folder)) {
          if (!file.folder && FORMER.test(file.name)) this.#formerTypes.add(type.name);
          if (!file.folder && TEMPORARY.test(file.name) && (await removed(join(folder, file.name)))) count++;
        }
      }
    }
    return count;
  }

  /**
   * Removes the file of a version the ledger lists no file for, if one is at its path: written by
   * a run killed before it recorded it, and refused since (its face no longer fits, its type has
   * no template). Left, it would be a sealed license no ledger row accounts for, never delivered,
   * verified or replaced. Only under `lock()`, for a version read without a file. Returns whether
   * there was one — at its path, or where the layout before shelves put it (a run of the code
   * before, killed). The folder of each file removed is flushed, as `discardFormer` does.
   */
  async discard(typeCode: string, licenseId: string, version: number): Promise<boolean> {
    const path = this.relativePath(typeCode, licenseId, version);
    const former = this.#formerPath(typeCode, licenseId, version);
    // Through a linked folder the file removed would be one outside the store.
    this.#confine([path, former]);
    const now = await removed(join(this.root, path));
    const before = await removed(join(this.root, former));
    // Flushed, each folder a file went from, so the removal outlasts a power cut: not flushed, the
    // file could come back, a sealed license no ledger row accounts for. (The two are never one.)
    if (now) await syncFolder(dirname(join(this.root, path)));
    if (before) await syncFolder(dirname(join(this.root, former)));
    return now || before;
  }

  /**
   * Removes the file the layout before shelves put at `<type>/<license id>/<NNN>.ofd` for a version
   * the ledger lists no file for, once its file was put on its shelf: written by a run of that
   * layout killed before it recorded it, it would stay beside the new one, a second sealed file of
   * the version no ledger row accounts for. Only under `lock()`, after `removeLeftovers` (a type
   * it found no such folder under is not looked in: nothing to do). Its folder is flushed when a
   * file went, so the removal outlasts a power cut as the ledger's record will. Returns whether
   * there was one.
   */
  async discardFormer(typeCode: string, licenseId: string, version: number): Promise<boolean> {
    if (!this.#formerTypes.has(typeCode)) return false;
    const former = this.#formerPath(typeCode, licenseId, version);
    this.#confine([former]);
    const file = join(this.root, former);
    if (!(await removed(file))) return false;
    await syncFolder(dirname(file));
    return true;
  }

  /**
   * Every file in the store, as paths relative to the root (`/`-separated, sorted): what a check
   * compares with the files the ledger lists. All of them at once: `paths()` walks them one by one.
   */
  async files(): Promise<string[]> {
    const out: string[] = [];
    for await (const path of this.paths()) out.push(path);
    return out;
  }

  /**
   * Every file in the store, one at a time, as paths relative to the root (`/`-separated), in the
   * order a sort of all of them gives: JavaScript's, by UTF-16 code unit, as `<` compares. Walks
   * every folder, so a file put anywhere by hand is found too; a link is named, never followed.
   * Left out: the store's lock with its draft and the claims of a takeover (`createWhole`,
   * `takeOver`), and a version's temporary file (`TEMPORARY`) — the moment of a write under way, or
   * what a killed one left, which the next issuing run removes.
   *
   * Holds the entries of the folders on the way to the current one, never the store's whole list
   * (millions of files in `verify --all`). Each folder's entries are sorted by name, a folder's as
   * `<name>/`: every path under it starts so, and names hold no `/`, so this is the order of the
   * full paths (`a.b` before the folder `a`, as `.` < `/`; the folder `a` before `a0`).
   */
  async *paths(): AsyncGenerator<string> {
    yield* this.#walk('');
  }

  async *#walk(rel: string): AsyncGenerator<string> {
    const found = (await entries(rel === '' ? this.root : join(this.root, rel))).map((e) => ({
      ...e,
      key: e.folder ? `${e.name}/` : e.name,
    }));
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const e of found) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.folder) yield* this.#walk(path);
      else if (path === STORE_LOCK || path.startsWith(`${STORE_LOCK}.`) || TEMPORARY.test(e.name)) continue;
      else yield path;
    }
  }

  /** Whether the store's file is at the path the ledger recorded for a version (store-reads.ts). */
  has(file: LedgerFile): Promise<boolean> {
    return this.#reads.has(file);
  }

  /** The bytes at the path the ledger recorded for a version (store-reads.ts). */
  read(file: LedgerFile): Promise<Buffer> {
    return this.#reads.read(file);
  }

  /** SM3 (hex) and size of the bytes at the path the ledger recorded for a version (store-reads.ts). */
  digest(file: LedgerFile): Promise<{ sm3: string; size: number }> {
    return this.#reads.digest(file);
  }
}
