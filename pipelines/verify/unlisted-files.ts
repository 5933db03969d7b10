/**
 * Files in the license-file store that no ledger row lists: a sealed license (personal data on
 * its face) that nothing accounts for — written by a run killed before it recorded it, copied in
 * by hand, or left from another ledger. `verify --all` verifies what the ledger lists; these it
 * counts and names (the first few), for a person to look at.
 */
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { ListedPath } from '../../ledger/license-files.js';

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
  /** Ledger file paths read at a time (keyset pages by path). @defaultValue 1000 */
  pageSize?: number;
}

/**
 * Files under `storeRoot` that no row of the whole ledger lists (whatever pipeline selected).
 * A merge of two walks in the order of their paths: the store's, a folder at a time
 * (`LicenseFileStore.paths`), and the ledger's, a keyset page of paths at a time (`pathsPage`).
 * Held at once: the entries of the store's folders on the way to the current one and one page of
 * the ledger's paths, never either side whole (the store's sorted list of millions of files was).
 *
 * Both must come in one order. The store's is JavaScript's (UTF-16 code units, `<`); the ledger's
 * is byte order (UTF-8). They agree on the paths the store makes (ASCII: `SAFE` in
 * adapters/documents/file-store.ts), and part only where a character above U+FFFF meets one from
 * U+E000 to U+FFFF. A store file with such a name is still compared rightly, against ledger paths
 * of ASCII; a ledger path out of JavaScript's order (one the store never makes) is refused rather
 * than let a listed file be counted unlisted.
 */
export async function unlistedFiles(
  ledger: Pick<Ledger, 'licenseFiles'>,
  storeRoot: string,
  options: UnlistedOptions = {},
): Promise<UnlistedFiles> {
  const listed = ledgerPaths(ledger, options.pageSize ?? UNLISTED_PAGE);
  let next = await listed.next();
  let count = 0;
  const first: string[] = [];
  for await (const path of new LicenseFileStore(storeRoot).paths()) {
    while (!next.done && next.value < path) next = await listed.next();
    if (!next.done && next.value === path) continue;
    count++;
    if (first.length < UNLISTED_SHOWN) first.push(path);
  }
  // Closes the ledger's walk when the store's ended first; no read is left open by it.
  await listed.return(undefined);
  return { count, first };
}

/** The ledger's paths, ascending, a page at a time; a path out of JavaScript's order is refused. */
async function* ledgerPaths(ledger: Pick<Ledger, 'licenseFiles'>, limit: number): AsyncGenerator<string> {
  let after: ListedPath | undefined;
  for (;;) {
    const page = await ledger.licenseFiles.pathsPage({ after, limit });
    for (const row of page) {
      if (after !== undefined && row.path < after.path) {
        throw new LicbridgeError(
          ErrorCodes.LEDGER,
          `verify: unlisted files: the ledger's path of version ${row.versionId} sorts apart in byte and ` +
            'UTF-16 order (a character above U+FFFF beside one from U+E000 to U+FFFF); the store makes ' +
            'paths of [0-9A-Za-z.-] only',
        );
      }
      after = row;
      yield row.path;
    }
    if (page.length < limit) return;
  }
}
