/**
 * Page folders of the license file store (file-store.ts): each page's files in a folder of their
 * own, `<type>/<yyyy-mm>/<nnnnn>/p-<run>-<NNNNNN>/<license id>.<NNN>.ofd`, made for the page and
 * flushed once with its parent, where 256 shared shelves cost a flush of each shelf a file went
 * to (~83 a page of 100 files: docs/ofd.md, Cost). A page's path is not known from its version,
 * so a page first puts a marker in `<root>/.licbridge-pages/` naming its folders and files,
 * flushed before any of them is made, and takes it away once the ledger recorded them
 * (`recorded`): the next run finds what a killed run stored but never recorded through the
 * markers left (`settle`), never through the store's whole tree. Bounds: a month folder a month
 * under a type, at most `FOLDERS_PER_MONTH` bucket folders in a month and `PAGES_PER_FOLDER`
 * page folders in a bucket — far below the ~65,000 subfolders a folder holds on ext2/ext3 (or
 * ext4 without dir_nlink).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { SAFE } from './store-reads.js';
import { removedIfEmpty } from './store-walk.js';

/** The folder of the markers of pages not recorded yet, at the store's root. */
export const PAGE_MARKS = '.licbridge-pages';

/** A type's folder of a month's pages (UTC). */
export const MONTH = /^[0-9]{4}-[0-9]{2}$/;

/** A month's bucket of page folders. */
const BUCKET = /^[0-9]{5}$/;

/** A page's marker, and the temporary name of one being written (place-batch.ts). */
const MARK = /^p-[0-9a-f]{16}-[0-9]{6,}\.page$/;
const MARK_TEMPORARY = /^\.p-[0-9a-f]{16}-[0-9]{6,}\.page\.[0-9a-f]+(?:\.[0-9]+)*\.tmp$/;

/** A page folder's path and a page file's, as a marker names them: nothing else is removed. */
const PAGE_FOLDER = /^[0-9A-Za-z][0-9A-Za-z.-]*\/[0-9]{4}-[0-9]{2}\/[0-9]{5}\/p-[0-9a-f]{16}-[0-9]{6,}$/;
const PAGE_FILE = /^([^/]+\/[^/]+\/[^/]+\/[^/]+)\/([0-9A-Za-z][0-9A-Za-z.-]*)\.([0-9]{3,})\.ofd$/;

/** Page folders a bucket holds at most. */
export const PAGES_PER_FOLDER = 1000;

/** Buckets a month folder holds at most: 30,000,000 pages of a type a month. */
export const FOLDERS_PER_MONTH = 30_000;

/** A file of a page, as its marker names it and the ledger is asked about it. */
export interface PageFile {
  /** Relative to the store root, `/`-separated. */
  path: string;
  licenseId: string;
  version: number;
  /** The version's ledger id, when the caller gave it (`StoreItem.versionId`). */
  versionId?: number;
}

/**
 * What a store of page folders asks the ledger: for each file a killed run's page named, whether
 * the ledger records it — that version's file at that very path. A file recorded is never removed.
 */
export interface PageLedger {
  recorded(files: readonly PageFile[]): Promise<boolean[]>;
}

interface Marker {
  folders: string[];
  files: PageFile[];
}

/** A page laid out in folders: each file's path, the page's new folders and its marker. */
export interface PagePlan {
  paths: string[];
  folders: string[];
  marker: { path: string; data: Uint8Array };
}

/** The store's own calls the clean-up goes through (`#confine`, `removed`, `syncFolder`). */
export interface PageFolderCalls {
  confine(paths: readonly string[]): void;
  removed(full: string): Promise<boolean>;
  sync(folder: string): Promise<void>;
}

/** Names in a folder, or none when it is gone. */
async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** A marker's text, or undefined when it names anything but page folders and their files. */
function parseMarker(text: string): Marker | undefined {
  let m: Marker;
  try {
    m = JSON.parse(text) as Marker;
  } catch {
    return undefined;
  }
  if (!Array.isArray(m?.folders) || !Array.isArray(m.files)) return undefined;
  if (!m.folders.every((f) => typeof f === 'string' && PAGE_FOLDER.test(f))) return undefined;
  const sound = m.files.every((f) => {
    const parts = typeof f?.path === 'string' ? PAGE_FILE.exec(f.path) : null;
    return parts !== null && m.folders.includes(parts[1] as string) && SAFE.test(String(f.licenseId));
  });
  return sound ? m : undefined;
}

export class PageFolders {
  /** This run's part of its page folders' names: two runs never pick the same. */
  readonly #run = randomBytes(8).toString('hex');
  #page = 0;
  /** The bucket a type's month takes its next page folder in, and how many it holds. */
  readonly #buckets = new Map<string, { bucket: number; pages: number }>();
  /** Markers of pages stored and not recorded yet, by the folder of the page's first file. */
  readonly #marks = new Map<string, string>();

  constructor(
    readonly root: string,
    readonly perFolder = PAGES_PER_FOLDER,
  ) {}

  /**
   * The folders and paths of a page's files, its marker's path and text. Synchronous ON PURPOSE,
   * as `#confine` is (file-store.ts): no await before a batch is handed to the writing thread. A
   * type's month is read once a run (its last bucket counted), then counted here.
   */
  plan(
    items: readonly { typeCode: string; licenseId: string; version: number; versionId?: number }[],
    at: Date,
  ): PagePlan {
    const page = `p-${this.#run}-${String(++this.#page).padStart(6, '0')}`;
    const month = at.toISOString().slice(0, 7);
    const folderOf = new Map<string, string>();
    const paths: string[] = [];
    const files: PageFile[] = [];
    for (const i of items) {
      let folder = folderOf.get(i.typeCode);
      if (folder === undefined) {
        folder = `${i.typeCode}/${month}/${this.#bucket(i.typeCode, month)}/${page}`;
        folderOf.set(i.typeCode, folder);
      }
      const path = `${folder}/${i.licenseId}.${String(i.version).padStart(3, '0')}.ofd`;
      paths.push(path);
      files.push({
        path,
        licenseId: i.licenseId,
        version: i.version,
        ...(i.versionId !== undefined ? { versionId: i.versionId } : {}),
      });
    }
    const folders = [...folderOf.values()];
    const marker = `${PAGE_MARKS}/${page}.page`;
    if (paths[0] !== undefined) this.#marks.set(folders[0] as string, marker);
    const data = Buffer.from(JSON.stringify({ folders, files } satisfies Marker));
    return { paths, folders, marker: { path: marker, data } };
  }

  /** The bucket of a type's month the next page folder goes to (`plan`). */
  #bucket(typeCode: string, month: string): string {
    const key = `${typeCode}/${month}`;
    let b = this.#buckets.get(key);
    if (b === undefined) {
      b = this.#lastBucket(key);
      this.#buckets.set(key, b);
    }
    if (b.pages >= this.perFolder) b = { bucket: b.bucket + 1, pages: 0 };
    if (b.bucket >= FOLDERS_PER_MONTH) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `file store ${this.root}: ${key} holds ${FOLDERS_PER_MONTH} folders of ${this.perFolder} pages each, as many as a month takes; nothing written`,
      );
    }
    b.pages++;
    this.#buckets.set(key, b);
    return String(b.bucket).padStart(5, '0');
  }

  /** A type's month's last bucket and how many page folders it holds (read once a run). */
  #lastBucket(key: string): { bucket: number; pages: number } {
    const list = (dir: string): string[] => {
      try {
        return readdirSync(join(this.root, dir));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    };
    const last = list(key)
      .filter((n) => BUCKET.test(n))
      .sort()
      .pop();
    if (last === undefined) return { bucket: 0, pages: 0 };
    return { bucket: Number(last), pages: list(`${key}/${last}`).length };
  }

  /**
   * Takes away the marker of a page the ledger has recorded (`stored`: the paths `plan` gave).
   * Not flushed: a marker a power cut brings back names files the ledger records, which the next
   * run leaves where they are and takes the marker away then.
   */
  async recorded(stored: readonly { path: string }[]): Promise<void> {
    const first = stored[0]?.path;
    if (first === undefined) return;
    const folder = first.slice(0, first.lastIndexOf('/'));
    const marker = this.#marks.get(folder);
    if (marker === undefined) return;
    this.#marks.delete(folder);
    await unlink(join(this.root, marker)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  /**
   * The markers killed runs left (and the ones a run wrote before it recorded its last page and
   * was killed): of each page, the files the ledger does not record removed, with the temporary
   * files of its writes, its folders once empty (and their bucket and month then empty), each
   * folder a file went from flushed, then the marker. A marker being written is removed: no file
   * is written before its marker is in place. Without a ledger (`ledger` undefined) markers are
   * left as they are and counted in `pending`. Holds one marker's files at a time.
   */
  async settle(
    ledger: PageLedger | undefined,
    calls: PageFolderCalls,
    temporary: RegExp,
  ): Promise<{ removed: number; pending: number }> {
    const dir = join(this.root, PAGE_MARKS);
    let removed = 0;
    let pending = 0;
    for (const name of (await names(dir)).sort()) {
      if (MARK_TEMPORARY.test(name)) {
        await calls.removed(join(dir, name));
        continue;
      }
      if (!MARK.test(name)) continue;
      const marker = ledger === undefined ? undefined : parseMarker(await readFile(join(dir, name), 'utf8'));
      if (ledger === undefined || marker === undefined) {
        pending++;
        continue;
      }
      removed += await this.#settlePage(marker, ledger, calls, temporary);
      await calls.removed(join(dir, name));
    }
    return { removed, pending };
  }

  async #settlePage(
    marker: Marker,
    ledger: PageLedger,
    calls: PageFolderCalls,
    temporary: RegExp,
  ): Promise<number> {
    // Through a folder replaced by a link, the files removed would be outside the store.
    calls.confine(marker.files.map((f) => f.path));
    const recorded = marker.files.length > 0 ? await ledger.recorded(marker.files) : [];
    let removed = 0;
    for (const [k, f] of marker.files.entries()) {
      if (recorded[k] !== true && (await calls.removed(join(this.root, f.path)))) removed++;
    }
    for (const folder of marker.folders) {
      const full = join(this.root, folder);
      for (const name of await names(full)) {
        if (temporary.test(name) && (await calls.removed(join(full, name)))) removed++;
      }
      // The page's folder, then its bucket and month, each once empty; the nearest folder left
      // is flushed, so the removals outlast a power cut before the marker goes.
      let left = folder;
      while (left.includes('/') && (await removedIfEmpty(join(this.root, left)))) {
        left = left.slice(0, left.lastIndexOf('/'));
      }
      await calls.sync(join(this.root, left)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
    return removed;
  }
}
