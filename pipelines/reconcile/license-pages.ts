/**
 * A pipeline's licenses a page at a time, in license-id byte order (each page a range of an index,
 * ledger/reconcile-store.ts): what a check holds of the ledger at once is one page, however many
 * licenses it has.
 */
import type { LedgerLicense, LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';

export async function* licensePages(
  ledger: Pick<Ledger, 'pipelineLicensePage'>,
  pipeline: string,
  pageSize: number,
): AsyncIterable<LedgerLicense[]> {
  let after = '';
  for (;;) {
    const page = await ledger.pipelineLicensePage(pipeline, after, pageSize);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]?.licenseId ?? after;
    if (page.length < pageSize) return;
  }
}

/**
 * The pipeline's licenses as delivered to `target` (latest version, its delivery there), a page at a
 * time in license-id byte order: the ledger's side of a platform check (platform-side.ts).
 */
export async function* licensesAtTargetPages(
  ledger: Pick<Ledger, 'licensesAtTarget'>,
  pipeline: string,
  target: string,
  pageSize: number,
): AsyncIterable<LedgerLicenseAtTarget[]> {
  let after = '';
  for (;;) {
    const page = await ledger.licensesAtTarget(pipeline, target, after, pageSize);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]?.licenseId ?? after;
    if (page.length < pageSize) return;
  }
}
