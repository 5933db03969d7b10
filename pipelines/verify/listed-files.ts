/**
 * How many license files the ledger lists for a `verify` selection, for a run with no store to
 * check them in: each counts as unchecked. Read in keyset pages by version id (one file row per
 * version), as license-files.ts reads them to check them: read whole, a ledger of millions of
 * files held every row in memory for one number.
 */
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { FILES_PAGE, type FileSelection } from './license-files.js';

/** How many license files the ledger lists for `selection`, read `pageSize` rows at a time. */
export async function countListedFiles(
  ledger: Ledger,
  selection: FileSelection,
  pageSize: number = FILES_PAGE,
): Promise<number> {
  const only = selection.licenseIds === undefined ? undefined : new Set(selection.licenseIds);
  let count = 0;
  for (let after = 0; ; ) {
    const page = await ledger.licenseFiles.list({
      afterVersionId: after,
      limit: pageSize,
      ...(selection.pipeline !== undefined ? { pipeline: selection.pipeline } : {}),
    });
    if (page.length === 0) break;
    after = (page[page.length - 1] as StoredLicenseFile).versionId;
    for (const f of page) if (only === undefined || only.has(f.licenseId)) count++;
  }
  return count;
}
