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

import { contentHash } from '../../catalog/canonical.js';
import type { SourceRow } from '../../connectors/source.js';
import { FINGERPRINT_MOD, keyBucket, pairFingerprint } from '../../core/reconcile-digest.js';
import type { Ledger, QuarantineCandidate } from '../../ledger/ledger.js';
import type { LicenseCandidate } from '../../mappings/license-mapper.js';
import { resolvePredecessors } from '../lifecycle/predecessors.js';
import type { PipelineParts } from '../runtime.js';
import { UnheldLicenses } from './unheld-licenses.js';

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
  /**
   * Rows mapped `expired` whose validity ended since the last lifecycle tick (`TickDue`), by their
   * place in `keys`: the fingerprint of their license as the ledger holds it until the next tick
   * expires it (the same license, `valid`). A license the ledger holds so is no difference.
   */
  untilTick: Map<number, number>;
  /** Licenses of differing buckets the classifiers found differing only by the expiry the next tick writes. */
  awaitingTick: number;
}

/**
 * The validity ends the next lifecycle tick writes: a license still `valid` whose `validTo` is
 * before `today` (the day the check maps on) and, when a tick ran, not before its day (`since`),
 * whose tick expired the licenses that ended before it.
 */
export interface TickDue {
  today: string;
  since: string | null;
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
    untilTick: new Map(),
    awaitingTick: 0,
  };
}

/**
 * The check's rows whose licenses the ledger lacks (unheld-licenses.ts), and which keys it holds:
 * a renewal finds a predecessor a row read before it gives, in any page or batch of the check.
 */
export interface CheckRows {
  unheld: UnheldLicenses;
  /** Whether the ledger holds the license of a source key (as read before the source). */
  held(sourceKey: string): boolean;
  /** Derived expiry on: the validity ends the next lifecycle tick writes. */
  tick?: TickDue | undefined;
}

/**
 * Maps rows and adds them to the fold. A row whose license continues another (a renewal, a change,
 * a transfer-in) is resolved as a run resolves it: its content holds the predecessor's identifier,
 * from the ledger, the page, or (`check`) a row of the check read before it whose license the
 * ledger lacks, as a run would have stored it by then. One whose predecessor none of them gives
 * waits in `check` for a later row (settled once every row is read); without `check`, and for a
 * predecessor the pipeline does not hold, the row is unmappable.
 */
export async function foldRows(
  fold: SourceFold,
  parts: PipelineParts,
  ledger: Ledger,
  rows: readonly SourceRow[],
  reportId: string,
  buckets: number,
  check?: CheckRows,
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
    ? ((await resolvePredecessors(
        check ? check.unheld.view(ledger) : ledger,
        parts.name,
        candidates,
        quarantined,
      )) as LicenseCandidate[])
    : candidates;
  // A renewal whose own license the ledger holds is judged now: kept waiting, its row would count
  // neither as that license's row nor as one that does not map (the license looked deleted).
  const waitable = new Set(
    check ? [...UnheldLicenses.waitable(quarantined)].filter((key) => !check.held(key)) : [],
  );
  for (const q of quarantined) if (!waitable.has(q.sourceKey)) fold.unmappable.add(q.sourceKey);
  for (const c of candidates) if (waitable.has(c.sourceKey) && !ready.includes(c)) check?.unheld.wait(c);
  for (const c of ready) {
    if (check && !check.held(c.sourceKey)) check.unheld.note(c);
    if (check?.tick) noteUntilTick(fold, c, check.tick);
    foldCandidate(fold, c, buckets);
  }
}

/**
 * A check mapping rows after midnight, before the day's lifecycle tick, maps `expired` a license
 * whose validity just ended, which the ledger holds `valid` until the tick writes its expiry
 * (docs/lifecycle.md, derived expiry): the tick settles that by itself, so the license as the ledger
 * holds it until then is noted beside the row's (the tick's version is the same license, `expired`).
 */
function noteUntilTick(fold: SourceFold, c: LicenseCandidate, tick: TickDue): void {
  if (c.status !== 'expired') return;
  const license = c.build(1);
  const validTo = license.validTo;
  if (typeof validTo !== 'string' || validTo >= tick.today) return;
  if (tick.since !== null && validTo < tick.since) return;
  fold.untilTick.set(
    fold.keys.length,
    pairFingerprint(c.sourceKey, contentHash({ ...license, status: 'valid' })),
  );
}

export function foldCandidate(fold: SourceFold, c: LicenseCandidate, buckets: number): void {
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
  /** Whether the ledger holds the license of a source key. @defaultValue none known: every row remembered */
  held: (sourceKey: string) => boolean = () => false,
  tick?: TickDue,
): Promise<SourceFold> {
  const fold = emptyFold();
  const check: CheckRows = { unheld: new UnheldLicenses(), held, tick };
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
    // A connector that does not heed the signal is stopped here, at its next page.
    signal?.throwIfAborted();
    await foldRows(fold, parts, ledger, page.rows, reportId, buckets, check);
    done += page.rows.length;
    onRows?.(done);
  }
  // One that ends its stream when stopped, rather than failing, read part of the source: taken for
  // the whole, every license past the stop was deleted at the source, in a stored report.
  signal?.throwIfAborted();
  // Renewals read before the license they continue: mapped once its row was read, as a run maps them.
  const settled = await check.unheld.settle(ledger, parts.name);
  for (const c of settled.mapped) {
    if (tick) noteUntilTick(fold, c, tick);
    foldCandidate(fold, c, buckets);
  }
  for (const key of settled.unmappable) fold.unmappable.add(key);
  return fold;
}
