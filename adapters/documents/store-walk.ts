/**
 * The file store's folders as files (file-store.ts): reading a folder, removing a file or an
 * emptied folder, and walking the whole store for `paths()`.
 */
import { readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PAGE_MARKS } from './page-folders.js';
import { STORE_LOCK } from './store-lock.js';

/**
 * The temporary name of a version's file while it is written (atomic-file.ts):
 * `.<license id>.<NNN>.ofd.<hex tag>[.<n>…].tmp` beside it (`.<NNN>.ofd.…` in a folder per license,
 * the layout before shelves) — one file at a time (`writeFileAtomic`) or a batch (`placeBatch`).
 * Only these are ever removed as leftovers: nothing else in the store matches.
 */
export const TEMPORARY = /^\.(?:[0-9A-Za-z][0-9A-Za-z.-]*\.)?[0-9]{3,}\.ofd\.[0-9a-f]+(?:\.[0-9]+)*\.tmp$/;

/** Entries of a folder, or none when it is gone (ENOENT) or not a folder (ENOTDIR). */
export async function entries(dir: string): Promise<{ name: string; folder: boolean }[]> {
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
export async function removed(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Removes a file's folder under its type once the file removed was its last (a shelf, a license's
 * folder of the layout before shelves): true when it went. Under the lock no write is under way
 * into a folder a discard empties but a shelf's, and the writing thread makes a shelf taken away
 * again (place-batch.ts `create`).
 */
export async function removedIfEmpty(folder: string): Promise<boolean> {
  try {
    await rmdir(folder);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Every file under `root` (see `LicenseFileStore.paths`), from the folder `rel` down, each
 * folder's entries sorted by name, a folder's as `<name>/`.
 */
export async function* walkStore(root: string, rel = ''): AsyncGenerator<string> {
  const found = (await entries(rel === '' ? root : join(root, rel))).map((e) => ({
    ...e,
    key: e.folder ? `${e.name}/` : e.name,
  }));
  found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const e of found) {
    const path = rel === '' ? e.name : `${rel}/${e.name}`;
    // The markers of pages not recorded yet: the store's own, as its lock is.
    if (e.folder && path === PAGE_MARKS) continue;
    if (e.folder) yield* walkStore(root, path);
    else if (path === STORE_LOCK || path.startsWith(`${STORE_LOCK}.`) || TEMPORARY.test(e.name)) continue;
    else yield path;
  }
}
