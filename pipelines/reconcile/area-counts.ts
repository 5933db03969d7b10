/**
 * Ledger licenses per area code (GB/T 2260 division code), per bucket, for the report's counts.
 *
 * The area lives in each version's stored payload, so it is read from the latest versions in
 * pages; the per-bucket split lets the source side take the ledger's counts for the buckets that
 * agree (as it does for statuses) and count only the mapped rows of the buckets that differ.
 */

import { keyBucket } from '../../core/reconcile-digest.js';
import type { Ledger } from '../../ledger/ledger.js';

/** Versions read per ledger call: bounds memory to one page of payloads. */
const VERSIONS_PER_PAGE = 500;

export interface LedgerAreas {
  total: Record<string, number>;
  /** Licenses a source row stands behind (those the bucket digests hold), per bucket. */
  perBucket: Map<number, Record<string, number>>;
}

export async function ledgerAreas(
  ledger: Ledger,
  pipeline: string,
  buckets: number,
  onDone?: (done: number, total: number) => void,
): Promise<LedgerAreas> {
  const all = Array.from({ length: buckets }, (_, b) => b);
  const rows = await ledger.ledgerRowsInBuckets(pipeline, buckets, all);
  const total: Record<string, number> = {};
  const perBucket = new Map<number, Record<string, number>>();
  for (let i = 0; i < rows.length; i += VERSIONS_PER_PAGE) {
    const page = rows.slice(i, i + VERSIONS_PER_PAGE);
    const areas = new Map(
      (await ledger.getVersions(page.map((r) => r.versionId))).map((v) => [v.versionId, v.payload.areaCode]),
    );
    for (const r of page) {
      const area = areas.get(r.versionId) ?? '-';
      total[area] = (total[area] ?? 0) + 1;
      // The per-bucket split stands in for the source rows of agreeing buckets: a license no source
      // row stands behind is left out of the digests, so it is not one of those rows.
      if (r.sourceless) continue;
      const b = keyBucket(r.sourceKey, buckets);
      const counts = perBucket.get(b) ?? {};
      counts[area] = (counts[area] ?? 0) + 1;
      perBucket.set(b, counts);
    }
    onDone?.(Math.min(i + VERSIONS_PER_PAGE, rows.length), rows.length);
  }
  return { total, perBucket };
}
