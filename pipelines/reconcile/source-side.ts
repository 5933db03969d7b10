/**
 * Mapping source rows for the detailed comparison: every row goes through the pipeline's mapping
 * (so trim, charset repair and every transform apply exactly as in a run) and is folded into
 * order-independent bucket digests of (source key, content hash). Per row only the key, its
 * 52-bit fingerprint and its status are kept.
 *
 * `foldSource` maps the whole stream: the way for a connector that offers no bucket digests of
 * its own (about 60 bytes a row). Otherwise only the rows of differing buckets come here
 * (bucket-side.ts).
 */

import type { SourceRow } from '../../connectors/source.js';
import { FINGERPRINT_MOD, keyBucket, pairFingerprint } from '../../core/reconcile-digest.js';
import type { Ledger, QuarantineCandidate } from '../../ledger/ledger.js';
import type { LicenseCandidate } from '../../mappings/license-mapper.js';
import { resolvePredecessors } from '../lifecycle/predecessors.js';
import type { PipelineParts } from '../runtime.js';

export interface SourceFold {
  keys: string[];
  fingerprints: number[];
  buckets: number[];
  statuses: string[];
  /** Keys of rows that do not map (they would be quarantined). */
  unmappable: Set<string>;
  bucketCount: Map<number, number>;
  bucketSum: Map<number, number>;
  byStatus: Record<string, number>;
  byArea: Record<string, number>;
}

export function emptyFold(): SourceFold {
  return {
    keys: [],
    fingerprints: [],
    buckets: [],
    statuses: [],
    unmappable: new Set(),
    bucketCount: new Map(),
    bucketSum: new Map(),
    byStatus: {},
    byArea: {},
  };
}

/**
 * Maps rows and adds them to the fold. A row whose license continues another (a renewal, a change,
 * a transfer-in) is resolved against the ledger as a run resolves it: its content holds the
 * predecessor's identifier, and a predecessor the pipeline does not hold makes it unmappable.
 */
export async function foldRows(
  fold: SourceFold,
  parts: PipelineParts,
  ledger: Ledger,
  rows: readonly SourceRow[],
  reportId: string,
  buckets: number,
): Promise<void> {
  const candidates: LicenseCandidate[] = [];
  for (const row of rows) {
    let mapped: ReturnType<PipelineParts['mapper']>;
    try {
      mapped = parts.mapper(row, reportId);
    } catch {
      mapped = { ok: false, reasons: [] };
    }
    // A key holding a NUL on a ledger that cannot store one: the run quarantined the row.
    if (!mapped.ok || (!ledger.keysHoldNul && row.key.includes('\u0000'))) fold.unmappable.add(row.key);
    else candidates.push(mapped.candidate);
  }
  const quarantined: QuarantineCandidate[] = [];
  const ready = candidates.some((c) => c.predecessor !== undefined)
    ? ((await resolvePredecessors(ledger, parts.name, candidates, quarantined)) as LicenseCandidate[])
    : candidates;
  for (const q of quarantined) fold.unmappable.add(q.sourceKey);
  for (const c of ready) foldCandidate(fold, c, buckets);
}

function foldCandidate(fold: SourceFold, c: LicenseCandidate, buckets: number): void {
  const b = keyBucket(c.sourceKey, buckets);
  const fp = pairFingerprint(c.sourceKey, c.contentHash);
  fold.keys.push(c.sourceKey);
  fold.fingerprints.push(fp);
  fold.buckets.push(b);
  fold.statuses.push(c.status);
  fold.bucketCount.set(b, (fold.bucketCount.get(b) ?? 0) + 1);
  fold.bucketSum.set(b, ((fold.bucketSum.get(b) ?? 0) + fp) % FINGERPRINT_MOD);
  fold.byStatus[c.status] = (fold.byStatus[c.status] ?? 0) + 1;
  // The area as a run would store it: the mapping's own or the pipeline's `areaCode`.
  const area = c.build(1).areaCode;
  fold.byArea[area] = (fold.byArea[area] ?? 0) + 1;
}

export async function foldSource(
  parts: PipelineParts,
  ledger: Ledger,
  reportId: string,
  buckets: number,
  signal?: AbortSignal,
  onRows?: (done: number) => void,
): Promise<SourceFold> {
  const fold = emptyFold();
  const pageSize = parts.config.pageSize;
  let done = 0;
  for await (const page of parts.source.read({
    stream: parts.config.stream,
    after: null,
    pageSize,
    // A check reads the whole source as it stands and leaves the connector's record of what it
    // read alone: the next run reads exactly what it would have read without the check.
    record: false,
    ...(signal ? { signal } : {}),
  })) {
    await foldRows(fold, parts, ledger, page.rows, reportId, buckets);
    done += page.rows.length;
    onRows?.(done);
  }
  return fold;
}
