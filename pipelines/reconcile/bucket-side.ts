/**
 * Source ⇄ ledger by source fingerprints, without mapping every row.
 *
 * 1. The source connector returns per-bucket digests of its stream — row count and the sum of the
 *    rows' fingerprints (md5 over the row as the database holds it) — computed by one GROUP BY in
 *    the source database where the dialect can (connectors/sql/buckets.ts).
 * 2. The ledger returns the same digest over the fingerprints it stored when each license was last
 *    read (one GROUP BY on PostgreSQL), split by status and by mapping context.
 * 3. A bucket differs when the counts or sums differ, or when it holds a license whose fingerprint
 *    is missing or was taken under another mapping or catalog (read before migration 006, or
 *    before a mapping change). Quarantined rows are in the source's digest but hold no license, so
 *    a bucket holding one is always looked at — which keeps the count of rows that do not map exact.
 * 4. Only differing buckets are read row by row and compared exactly through the mapping
 *    (classify.ts), a batch of buckets at a time, so memory holds one batch's rows.
 *
 * Returns null when the comparison cannot be trusted or would not save work: the connector has no
 * digests, the ledger's rows carry no fingerprints, the database's bucket of a key differs from
 * the ledger's (a key type whose text the two compute differently). When every bucket differs (the
 * first check after migration 006, or after a mapping change) the drill-down maps every row, as a
 * full comparison must, but still one batch at a time.
 */
import type { ReconcileConfig } from '../../config/types.js';
import { FINGERPRINT_MOD, keyBucket } from '../../core/reconcile-digest.js';
import { fingerprintContext } from '../../ledger/commit-page.js';
import type { Ledger } from '../../ledger/ledger.js';
import { isFingerprintBucket } from '../../ledger/reconcile-store.js';
import { compileMapping } from '../../mappings/compile.js';
import type { PipelineParts, Runtime } from '../runtime.js';
import type { LedgerAreas } from './area-counts.js';
import { classifySourceSide, deletedAtVersionLimit, missedDifference } from './classify.js';
import { type CheckRows, emptyFold, foldCandidate, foldRows, type TickDue } from './source-side.js';
import { holdsKey } from './stored-key.js';
import type { Difference, ReconcileProgress, SourceCounts } from './types.js';
import { UnheldLicenses } from './unheld-licenses.js';

/** Rows aimed at per drill-down batch: what memory holds at once, however many buckets differ. */
const ROWS_PER_BATCH = 50_000;

export interface BucketCheck {
  differences: Difference[];
  differing: Set<number>;
  source: SourceCounts;
  /**
   * The license ids of the source rows that do not map (quarantined), as a run would issue them: a
   * license only a platform holds under one of them is that row's (`ofQuarantinedRow`).
   */
  unmappedRowIds: Set<string>;
}

export interface BucketCheckInput {
  rt: Runtime;
  parts: PipelineParts;
  ledger: Ledger;
  settings: ReconcileConfig;
  reportId: string;
  licenseIdFor: (sourceKey: string) => string;
  /** The ledger's licenses per area and bucket: agreeing buckets take the ledger's counts. */
  areas: LedgerAreas;
  signal?: AbortSignal;
  onProgress?: (p: ReconcileProgress) => void;
  /** Derived expiry on: the validity ends the next lifecycle tick writes (source-side.ts). */
  tick?: TickDue | undefined;
  /** Rows a drill-down batch aims at. @defaultValue ROWS_PER_BATCH */
  rowsPerBatch?: number;
}

export async function checkByBuckets(input: BucketCheckInput): Promise<BucketCheck | null> {
  const { parts, ledger, settings, signal } = input;
  const source = parts.source;
  if (!source.bucketDigests || !source.readBuckets) return null;
  const buckets = settings.buckets;
  const stream = parts.config.stream;
  const [mapping, catalog] = await Promise.all([compileMapping(parts.config.mapping), input.rt.catalog()]);
  const context = fingerprintContext({ mappingVersion: mapping.version, catalogVersion: catalog.version });
  const [sourceDigests, ledgerDigests] = await Promise.all([
    source.bucketDigests(stream, { buckets, ...(signal ? { signal } : {}) }),
    ledger.ledgerBuckets(parts.name, buckets),
  ]);
  if (!ledgerDigests.every(isFingerprintBucket)) return null;

  const ledgerCount = new Map<number, number>();
  const ledgerSum = new Map<number, number>();
  const ledgerStatus = new Map<number, Record<string, number>>();
  const differing = new Set<number>();
  for (const d of ledgerDigests) {
    if (d.context !== context) {
      differing.add(d.bucket);
      continue;
    }
    ledgerCount.set(d.bucket, (ledgerCount.get(d.bucket) ?? 0) + d.count);
    ledgerSum.set(d.bucket, ((ledgerSum.get(d.bucket) ?? 0) + Number(d.sum)) % FINGERPRINT_MOD);
    const byStatus = ledgerStatus.get(d.bucket) ?? {};
    byStatus[d.status] = (byStatus[d.status] ?? 0) + d.count;
    ledgerStatus.set(d.bucket, byStatus);
  }
  let sourceRows = 0;
  const inSource = new Set<number>();
  for (const d of sourceDigests) {
    sourceRows += d.count;
    inSource.add(d.bucket);
    if (
      ledgerCount.get(d.bucket) !== d.count ||
      (ledgerSum.get(d.bucket) ?? 0) !== Number(d.sum) % FINGERPRINT_MOD
    )
      differing.add(d.bucket);
  }
  for (const b of ledgerCount.keys()) if (!inSource.has(b)) differing.add(b);
  // An agreeing bucket takes its statuses from these digests and its areas from the walk that
  // counted the ledger's areas before them: a bucket whose licenses the two counted differently (a
  // run committed some in between) is read in detail, or the business system's side counted
  // licenses in its total and statuses that none of its areas held.
  const walked = (b: number) => Object.values(input.areas.perBucket.get(b) ?? {}).reduce((x, y) => x + y, 0);
  for (const [b, n] of ledgerCount) if (walked(b) !== n) differing.add(b);
  for (const b of input.areas.perBucket.keys()) if (!ledgerCount.has(b)) differing.add(b);

  // Agreeing buckets: the source rows are, fingerprint for fingerprint, what the ledger read.
  const byStatus: Record<string, number> = {};
  const add = (counts: Record<string, number>) => {
    for (const [status, n] of Object.entries(counts)) byStatus[status] = (byStatus[status] ?? 0) + n;
  };
  for (const [b, counts] of ledgerStatus) if (!differing.has(b)) add(counts);
  const byArea: Record<string, number> = {};
  const addArea = (counts: Record<string, number>) => {
    for (const [area, n] of Object.entries(counts)) byArea[area] = (byArea[area] ?? 0) + n;
  };
  for (const [b, counts] of input.areas.perBucket) if (!differing.has(b)) addArea(counts);
  // The rows to map, known from the digests: the drill-down's progress total.
  let toRead = 0;
  for (const d of sourceDigests) if (differing.has(d.bucket)) toRead += d.count;
  let read = 0;

  const differences: Difference[] = [];
  let unmappable = 0;
  let awaitingTick = 0;
  const unmappedRowIds = new Set<string>();
  // Licenses the drilled rows make: a key on several rows is one (its older rows left out, or all
  // of them quarantined), where the digests counted each row.
  let mapped = 0;
  // The rows of every batch whose licenses the ledger lacks, for the renewals of later ones.
  const unheld = new UnheldLicenses();
  const ordered = [...differing].sort((a, b) => a - b);
  for (const batch of drillBatches(
    ordered,
    sourceDigests,
    ledgerDigests,
    input.rowsPerBatch ?? ROWS_PER_BATCH,
  )) {
    // The ledger before the source (reconcile.ts AFTER_LEDGER): a license committed meanwhile is
    // not taken for one whose row is gone.
    const ledgerRows = await ledger.ledgerRowsInBuckets(parts.name, buckets, batch);
    const fold = emptyFold();
    const inLedger = new Set(ledgerRows.map((l) => l.sourceKey));
    const check: CheckRows = { unheld, held: (key) => holdsKey(inLedger, key), tick: input.tick };
    const pageSize = parts.config.pageSize;
    for await (const chunk of source.readBuckets(stream, {
      buckets,
      wanted: batch,
      pageSize,
      ...(signal ? { signal } : {}),
    })) {
      // A connector that does not heed the signal is stopped here, at its next chunk.
      signal?.throwIfAborted();
      for (let j = 0; j < chunk.rows.length; j++) {
        const row = chunk.rows[j];
        // The database bucketed this key differently from the ledger: the digests compared
        // different things, so nothing they said can be trusted.
        if (row && chunk.buckets && chunk.buckets[j] !== keyBucket(row.key, buckets)) return null;
      }
      await foldRows(fold, parts, ledger, chunk.rows, input.reportId, buckets, check);
      read += chunk.rows.length;
      input.onProgress?.({ phase: 'source', done: read, total: toRead });
    }
    // One that ends its chunks when stopped read part of the batch: its other rows looked missing.
    signal?.throwIfAborted();
    const classified = classifySourceSide(fold, new Set(batch), ledgerRows, input.licenseIdFor);
    differences.push(...(await deletedAtVersionLimit(ledger, parts.name, classified)));
    add(fold.byStatus);
    addArea(fold.byArea);
    unmappable += fold.unmappable.size;
    awaitingTick += fold.awaitingTick;
    for (const key of fold.unmappable) unmappedRowIds.add(input.licenseIdFor(key));
    mapped += fold.keys.length;
  }
  // Renewals read before the license they continue (another batch's, or later in theirs): each a
  // row whose license the ledger lacks, `missed`, once the row of its predecessor was read.
  const settled = await unheld.settle(ledger, parts.name);
  const late = emptyFold();
  for (const c of settled.mapped) {
    foldCandidate(late, c, buckets);
    differences.push(missedDifference(c.sourceKey, input.licenseIdFor(c.sourceKey)));
  }
  add(late.byStatus);
  addArea(late.byArea);
  mapped += late.keys.length;
  unmappable += settled.unmappable.length;
  for (const key of settled.unmappable) unmappedRowIds.add(input.licenseIdFor(key));
  return {
    differences,
    differing,
    source: {
      total: sourceRows - toRead + mapped,
      byStatus,
      byArea,
      quarantined: unmappable,
      ...(awaitingTick > 0 ? { awaitingTick } : {}),
    },
    unmappedRowIds,
  };
}

/**
 * The differing buckets in batches of about `rows` rows, counting each bucket as the larger of its
 * two sides as the digests count them: a batch holds the ledger's licenses of its buckets and their
 * source rows at once. Sized by the source's rows alone, a source emptied (a table truncated, a
 * view broken, what the guard against mass effects is for) put every bucket in one batch, and the
 * check read every license of the pipeline at once (some 300 MB at 1,000,000). A bucket larger
 * than `rows` is a batch of its own.
 */
function drillBatches(
  ordered: readonly number[],
  sourceDigests: readonly { bucket: number; count: number }[],
  ledgerDigests: readonly { bucket: number; count: number }[],
  rows: number,
): number[][] {
  const sourceCount = new Map<number, number>();
  for (const d of sourceDigests) sourceCount.set(d.bucket, (sourceCount.get(d.bucket) ?? 0) + d.count);
  // Every status and fingerprint context of the bucket: those the digests did not compare are read too.
  const ledgerCount = new Map<number, number>();
  for (const d of ledgerDigests) ledgerCount.set(d.bucket, (ledgerCount.get(d.bucket) ?? 0) + d.count);
  const batches: number[][] = [];
  let batch: number[] = [];
  let held = 0;
  for (const b of ordered) {
    const n = Math.max(sourceCount.get(b) ?? 0, ledgerCount.get(b) ?? 0);
    if (batch.length > 0 && held + n > rows) {
      batches.push(batch);
      batch = [];
      held = 0;
    }
    batch.push(b);
    held += n;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
