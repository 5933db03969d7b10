/**
 * Files in the license-file store that no ledger row lists: a sealed license (personal data on
 * its face) that nothing accounts for — written by a run killed before it recorded it, copied in
 * by hand, or left from another ledger. `verify --all` verifies what the ledger lists; these it
 * counts and names (the first few), for a person to look at.
 */
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';

/** How many unlisted paths a report names. */
export const UNLISTED_SHOWN = 10;

export interface UnlistedFiles {
  count: number;
  /** The first UNLISTED_SHOWN paths, relative to the store root, sorted. */
  first: string[];
}

/** Ledger file rows read at a time. */
const UNLISTED_PAGE = 1000;

export interface UnlistedOptions {
  /** Ledger file rows read at a time (keyset pages by version id). @defaultValue 1000 */
  pageSize?: number;
}

/**
 * Files under `storeRoot` that no row of the whole ledger lists (whatever pipeline selected).
 * Each page of ledger rows marks the store's files it lists, found by binary search in the
 * store's sorted paths; no ledger row is held past its page. Kept in a set, the paths of a ledger
 * of millions of license files were all in memory at once, beside the store's own.
 */
export async function unlistedFiles(
  ledger: Pick<Ledger, 'licenseFiles'>,
  storeRoot: string,
  options: UnlistedOptions = {},
): Promise<UnlistedFiles> {
  const pageSize = options.pageSize ?? UNLISTED_PAGE;
  // Sorted as `files()` sorts them, by UTF-16 code unit: the order `<` compares in.
  const found = await new LicenseFileStore(storeRoot).files();
  const listed = new Uint8Array(found.length);
  for (let after = 0; ; ) {
    const page = await ledger.licenseFiles.list({ afterVersionId: after, limit: pageSize });
    if (page.length === 0) break;
    after = (page[page.length - 1] as StoredLicenseFile).versionId;
    for (const f of page) {
      const i = indexOf(found, f.path);
      if (i >= 0) listed[i] = 1;
    }
  }
  let count = 0;
  const first: string[] = [];
  found.forEach((path, i) => {
    if (listed[i] === 1) return;
    count++;
    if (first.length < UNLISTED_SHOWN) first.push(path);
  });
  return { count, first };
}

/** Where `path` is in `sorted`, or -1. */
function indexOf(sorted: readonly string[], path: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < path) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === path ? lo : -1;
}
