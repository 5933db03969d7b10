/**
 * How many license files the ledger lists for a `verify` selection, for a run with no store to
 * check them in: each counts as unchecked. Read in keyset pages by version id (one file row per
 * version), as license-files.ts reads them to check them: read whole, a ledger of millions of
 * files held every row in memory for one number.
 */
import type { Ledger } from '../../ledger/ledger.js';
import { FILES_PAGE, type FileSelection, selectedFilePages } from './license-files.js';

/** How many license files the ledger lists for `selection`, read `pageSize` rows at a time. */
export async function countListedFiles(
  ledger: Ledger,
  selection: FileSelection,
  pageSize: number = FILES_PAGE,
): Promise<number> {
  let count = 0;
  for await (const page of selectedFilePages(ledger, selection, pageSize)) count += page.length;
  return count;
}
