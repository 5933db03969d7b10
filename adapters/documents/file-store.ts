/**
 * The license file store: a directory tree by license type and issuing page,
 * `<root>/<license type>/p-<run>-<NNNNNN>/<license id>.<version>.ofd`, a fresh folder for each page
 * a run stores (page-folders.ts): a page of files costs two folder flushes, where shelves shared by
 * all licenses cost one per shelf a file went to — flushing folders and creating inodes in large
 * ones were most of the store's cost on ext4 (see docs/ofd.md, Cost). The ledger keeps each file's
 * path. Files a store holds from before are where the ledger says, in either layout before:
 * `<type>/<shelf>/<license id>.<version>.ofd` (the shelf two hex digits of SM3 over the license id)
 * and `<type>/<license id>/<version>.ofd` (a folder per license). Each file written atomically (a
 * reader sees the old file or the whole new one) and durable before `putMany` returns. What a file
 * is, is said by its SM3 and size, which the ledger keeps; the store itself holds no index.
 */
import { hash, randomBytes } from 'node:crypto';
import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { type AtomicFile, writeFilesAtomic } from './atomic-file.js';
import { PageIndex, pageFolder, versionFileName } from './page-folders.js';
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
 * A shelf's name (the layout before page folders); any other folder under a type but a page's
 * (page-folders.ts) is a license's of the layout before shelves. A license of two such characters
 * had a folder of a shelf's name: its version files (`FORMER`) tell.
 */
const SHELF = /^[0-9a-f]{2}$/;

/** A version's file in a folder per license (the layout before shelves): `<NNN>.ofd`. */
const FORMER = /^[0-9]{3,}\.ofd$/;

/** The shelf of a license's files under its type (the layout before page folders): two hex digits of SM3 over its id. */
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
  /** Types holding shelves (the layout before page folders), as `removeLeftovers` found them. */
  readonly #shelfTypes = new Set<string>();
  /** The page folders of runs before this one and their files, as `removeLeftovers` found them. */
  readonly #pages = new PageIndex();
  /** This store's run (page-folders.ts), and the number of the page it stores next. */
  readonly #run = randomBytes(8).toString('hex');
  #page = 0;
  /**
   * The paths of the page this store stored last, by `<type>/<file name>`: a version's file put
   * and then discarded by the same store is found there (`discard`).
   */
  #mine = new Map<string, string>();
  /** Folders under the root (relative, `/`-separated) found to be folders, not links (`#confine`). */
  readonly #folders = new Set<string>();

  /**
   * What `join(root, p)` puts before `p` when `p` is names of the store's alphabet joined by `/`
   * (every path `#pagePath` makes: no `.`, `..` or empty segment for `join` to resolve): the
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

  /** `join(this.root, path)` for a path `#pagePath` made. */
  #full(path: string): string {
    return this.#base === undefined ? join(this.root, path) : this.#base + path;
  }

  /** A version's file name, `<license id>.<NNN>.ofd`; a RangeError for a name the store cannot hold. */
  #fileName(typeCode: string, licenseId: string, version: number): string {
    if (!SAFE.test(typeCode) || !SAFE.test(licenseId) || !Number.isSafeInteger(version) || version < 1) {
      throw new RangeError(`file store: unusable name ${typeCode}/${licenseId}/${version}`);
    }
    return versionFileName(licenseId, version);
  }

  /** Where a version's file goes in page `page` of this store's run. */
  #pagePath(typeCode: string, licenseId: string, version: number, page: number): string {
    return `${typeCode}/${pageFolder(this.#run, page)}/${this.#fileName(typeCode, licenseId, version)}`;
  }

  /** Where the layout before page folders put a version's file: on its license's shelf. */
  #shelfPath(typeCode: string, licenseId: string, version: number): string {
    return `${typeCode}/${shelf(licenseId)}/${this.#fileName(typeCode, licenseId, version)}`;
  }

  /** Where the layout before shelves put a version's file: a folder per license. */
  #formerPath(typeCode: string, licenseId: string, version: number): string {
    this.#fileName(typeCode, licenseId, version);
    return `${typeCode}/${licenseId}/${String(version).padStart(3, '0')}.ofd`;
  }

  /**
   * The folders of `paths` this store has not found sound yet (`#confine`): a batch's page folder
   * (not made yet, so looked at once a batch), its type's folder until found sound. The loop over a batch's paths is here, in a small function of its own: in
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
   * a type's folder or a page folder replaced by a link to elsewhere had sealed licenses written outside
   * the store while the ledger recorded them as the store's. The root itself may be a link: it is
   * the operator's choice. A folder found sound is not looked at again by this store (a write costs
   * no `lstat` a folder); one not made yet is, once made.
   *
   * Synchronous ON PURPOSE (a few µs a folder): awaited, the `lstat`s of a batch's folders not
   * found sound yet (each page's, now) handed it to the writing thread only
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

  /** Stores one version's file: a page of one (`putMany`). */
  async put(typeCode: string, licenseId: string, version: number, bytes: Uint8Array): Promise<StoredFile> {
    const [stored] = await this.putMany([{ typeCode, licenseId, version, bytes }]);
    return stored as StoredFile;
  }

  /**
   * Stores a batch at once, every file durable at its path when this returns (writeFilesAtomic):
   * the writes run side by side, so their flushes to disk overlap (one journal commit serves
   * several), into a fresh page folder under each type of the batch (page-folders.ts), each folder
   * flushed once for the batch. A version's file the ledger does not list (a run killed before it
   * recorded its page) is found by `discard` and `discardFormer` in the page folder it went to.
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
    const page = ++this.#page;
    const mine = new Map<string, string>();
    for (const i of items) {
      const path = this.#pagePath(i.typeCode, i.licenseId, i.version, page);
      paths.push(path);
      files.push({ path: this.#full(path), data: i.bytes });
      bytes.push(i.bytes);
      mine.set(`${i.typeCode}/${path.slice(path.lastIndexOf('/') + 1)}`, path);
    }
    // The page before is recorded by now (`putMany`): only this page's files can be unlisted.
    this.#mine = mine;
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
   * live writer. Walks `<type>/<page folder>/` (and `<type>/<shelf>/` and `<type>/<license>/`, the
   * layouts before), one folder read each, noting the files of each page folder and the types
   * that hold folders of the layouts before (`discard`, `discardFormer`). Returns how many it
   * removed.
   */
  async removeLeftovers(): Promise<number> {
    let count = 0;
    for (const type of await entries(this.root)) {
      if (!type.folder || !SAFE.test(type.name)) continue;
      for (const sub of await entries(join(this.root, type.name))) {
        if (!sub.folder || !SAFE.test(sub.name)) continue;
        const folder = join(this.root, type.name, sub.name);
        const kept: string[] = [];
        for (const file of await entries(folder)) {
          if (file.folder) continue;
          if (FORMER.test(file.name)) this.#formerTypes.add(type.name);
          if (!TEMPORARY.test(file.name)) kept.push(file.name);
          else if (await removed(join(folder, file.name))) count++;
        }
        if (this.#pages.note(type.name, sub.name, kept)) continue;
        if (SHELF.test(sub.name)) this.#shelfTypes.add(type.name);
        else this.#formerTypes.add(type.name);
      }
    }
    return count;
  }

  /**
   * Removes the files of a version the ledger lists no file for: written by a run killed before it
   * recorded it, and refused since (its face no longer fits, its type has no template). Left, it
   * would be a sealed license no ledger row accounts for, never delivered, verified or replaced.
   * Only under `lock()`, after `removeLeftovers`, for a version read without a file. Looks where
   * such a file can be: a page folder of a run before (page-folders.ts) or this store's last page,
   * its shelf and its folder per license (the layouts before, a run of the code before
   * killed). Returns whether there was one. The folder of each file removed is flushed.
   */
  async discard(typeCode: string, licenseId: string, version: number): Promise<boolean> {
    const mine = this.#mine.get(`${typeCode}/${this.#fileName(typeCode, licenseId, version)}`);
    return this.#discardAt([
      ...this.#pages.find(typeCode, licenseId, version),
      ...(mine === undefined ? [] : [mine]),
      this.#shelfPath(typeCode, licenseId, version),
      this.#formerPath(typeCode, licenseId, version),
    ]);
  }

  /**
   * Removes the files a run killed before it recorded them left for a version the ledger lists no
   * file for, once this run has stored the version's file anew: in a page folder of a run
   * before (page-folders.ts), on its shelf or in its folder per license (the layouts before, a run
   * of the code before). Left, each would stay beside the new one, a second sealed file of the
   * version no ledger row accounts for. Only under `lock()`, after `removeLeftovers` (a type it
   * found no shelves or no folders per license under is not looked in there: nothing to do), and
   * before the ledger records the new file. Each folder a file went from is flushed, so the
   * removal outlasts a power cut as the ledger's record will. Returns whether there was one.
   */
  async discardFormer(typeCode: string, licenseId: string, version: number): Promise<boolean> {
    const paths = [...this.#pages.find(typeCode, licenseId, version)];
    if (this.#shelfTypes.has(typeCode)) paths.push(this.#shelfPath(typeCode, licenseId, version));
    if (this.#formerTypes.has(typeCode)) paths.push(this.#formerPath(typeCode, licenseId, version));
    return paths.length > 0 && this.#discardAt(paths);
  }

  /** Removes the files at `paths` (relative) that are there, flushing each folder one went from. */
  async #discardAt(paths: readonly string[]): Promise<boolean> {
    // Through a linked folder the file removed would be one outside the store.
    this.#confine(paths);
    const from = new Set<string>();
    for (const path of paths)
      if (await removed(join(this.root, path))) from.add(dirname(join(this.root, path)));
    // Flushed, each folder a file went from, so the removal outlasts a power cut: not flushed, the
    // file could come back, a sealed license no ledger row accounts for.
    for (const folder of from) await syncFolder(folder);
    return from.size > 0;
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
