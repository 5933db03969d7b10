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

/** Files under `storeRoot` that no row of the whole ledger lists (whatever pipeline selected). */
export async function unlistedFiles(ledger: Ledger, storeRoot: string): Promise<UnlistedFiles> {
  const listed = new Set<string>();
  for (let after = 0; ; ) {
    const page = await ledger.licenseFiles.list({ afterVersionId: after, limit: 1000 });
    if (page.length === 0) break;
    after = (page[page.length - 1] as StoredLicenseFile).versionId;
    for (const f of page) listed.add(f.path);
  }
  const unlisted = (await new LicenseFileStore(storeRoot).files()).filter((p) => !listed.has(p));
  return { count: unlisted.length, first: unlisted.slice(0, UNLISTED_SHOWN) };
}
