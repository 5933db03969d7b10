/**
 * Ledger licenses per area code (GB/T 2260 division code), per bucket, for the report's counts.
 *
 * The area lives in each version's stored payload, so it is read from the latest versions a page
 * of licenses at a time (license-id byte order, one page in memory); the per-bucket split lets the
 * source side take the ledger's counts for the buckets that agree (as it does for statuses) and
 * count only the mapped rows of the buckets that differ.
 */

import { keyBucket } from '../../core/reconcile-digest.js';
import type { Ledger } from '../../ledger/ledger.js';
import { licensePages } from './license-pages.js';
import { readableLicense } from './stored-text.js';

/** Versions read per ledger call: bounds memory to one page of payloads. */
const VERSIONS_PER_PAGE = 500;

export interface LedgerAreas {
  total: Record<string, number>;
  /**
   * The same licenses per status, and how many: the report's licbridge side, counted in this one
   * walk. Counted again at the end of the check, licenses a run committed meanwhile were in its
   * total and statuses but in none of its areas, and the report's counts did not add up.
   */
  byStatus: Record<string, number>;
  count: number;
  /** Licenses a source row stands behind (those the bucket digests hold), per bucket. */
  perBucket: Map<number, Record<string, number>>;
}

export async function ledgerAreas(
  ledger: Ledger,
  pipeline: string,
  buckets: number,
  onDone?: (done: number, total: number) => void,
  pageSize = VERSIONS_PER_PAGE,
): Promise<LedgerAreas> {
  // A page of licenses at a time, in license-id byte order: memory holds one page of licenses and
  // their payloads, not every license of the pipeline (a million took some 300 MB before the
  // source was read). The total is for progress only; licenses a run commits meanwhile count too.
  const totalNow = Object.values(await ledger.licenseStatusCounts(pipeline)).reduce((a, b) => a + b, 0);
  const total: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const perBucket = new Map<number, Record<string, number>>();
  let done = 0;
  for await (const page of licensePages(ledger, pipeline, pageSize)) {
    const areas = new Map(
      // A text that does not read counts under '-', as one without an area: the repair names it.
      (await ledger.getVersions(page.map((r) => r.versionId))).map((v) => [
        v.versionId,
        readableLicense(v)?.areaCode,
      ]),
    );
    for (const r of page) {
      const area = areas.get(r.versionId) ?? '-';
      total[area] = (total[area] ?? 0) + 1;
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      // The per-bucket split stands in for the source rows of agreeing buckets: a license no source
      // row stands behind is left out of the digests, so it is not one of those rows.
      if (r.sourceless) continue;
      const b = keyBucket(r.sourceKey, buckets);
      const counts = perBucket.get(b) ?? {};
      counts[area] = (counts[area] ?? 0) + 1;
      perBucket.set(b, counts);
    }
    done += page.length;
    onDone?.(done, Math.max(done, totalNow));
  }
  return { total, byStatus, count: done, perBucket };
}
