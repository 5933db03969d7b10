/**
 * The light check (`reconcile --light`, and after each run): key sets of the source and the
 * ledger, no mapping and no platform calls. Read in the order reconcile.ts explains (AFTER_LEDGER).
 */
import { deriveSerial, licenseIdOf } from '../../catalog/identifier.js';
import type { ReconcileConfig } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { shownNul } from '../../ledger/nul-text.js';
import type { PipelineParts, Runtime } from '../runtime.js';
import { awaitsDeletion, deletedAtVersionLimit, ledgerDifference, missedDifference } from './classify.js';
import { licensePages } from './license-pages.js';
import { assemble, sourceShrunk } from './report-assembly.js';
import { showSample } from './shown-sample.js';
import { standInsNotSeen } from './stand-ins-gone.js';
import { holdsKey, SourceKeySet } from './stored-key.js';
import type { Difference, ReconcileReport } from './types.js';

/**
 * The check after each run: no mapping and no platform calls, but key sets, not only counts —
 * every key the source holds is a license or a quarantined row, and every license's key is in
 * the source. A gap is named by key: `missed` (read by nobody) or `deleted-at-source`.
 */
export async function lightCheck(
  rt: Runtime,
  ledger: Ledger,
  pipeline: string,
  settings: ReconcileConfig,
  check: { reportId: string; startedAt: string; signal?: AbortSignal | undefined },
): Promise<ReconcileReport> {
  const { reportId, startedAt, signal } = check;
  // Stopped (`licbridge run` asked to stop as it settled): no further read, no report stored.
  signal?.throwIfAborted();
  const parts = await rt.pipeline(pipeline);
  // The ledger's key set first (AFTER_LEDGER): a license a run commits meanwhile is not taken for
  // deleted. Keys only, a page of licenses at a time: at a million, the licenses whole were 300 MB.
  const pageSize = settings.pageSize;
  const licensed = new Set<string>();
  const quarantinedKeys = await ledger.openQuarantineKeys(pipeline);
  for await (const page of licensePages(ledger, pipeline, pageSize))
    for (const l of page) licensed.add(l.sourceKey);
  // A key the ledger reads back otherwise than the source gives it is found in either form (stored-key.ts).
  const sourceKeys = new SourceKeySet();
  for await (const chunk of parts.source.keys(parts.config.stream, signal ? { signal } : {})) {
    // A connector that does not heed the signal is stopped here, at its next chunk.
    signal?.throwIfAborted();
    for (const k of chunk) sourceKeys.add(k);
  }
  signal?.throwIfAborted();
  // Rows the stream's bound leaves for their time (a cursor ahead of the database's clock): no run
  // reads them until it comes, and a repair's re-read cannot either. Read after the key set, so a
  // row whose time came meanwhile is the next run's, counted `missed` as any row added since.
  const waiting = await waitingAheadOfClock(parts, signal);
  const licenseIdFor = (key: string) =>
    licenseIdOf({
      typeCode: parts.config.licenseType,
      issuerCode: parts.config.issuer.code,
      serial: deriveSerial(pipeline, key),
    });
  const quarantined = new Set(quarantinedKeys);
  let differences: Difference[] = [];
  let explained = 0;
  let aheadOfClock = 0;
  let changedAheadOfClock = 0;
  for (const key of sourceKeys) {
    if (holdsKey(licensed, key)) continue;
    // A key holding a NUL is quarantined under its key with the NUL written out on PostgreSQL.
    if (holdsKey(quarantined, key) || quarantined.has(shownNul(key))) explained++;
    else if (waiting.has(key)) aheadOfClock++;
    else differences.push(missedDifference(key, licenseIdFor(key)));
  }
  // The licenses again, for their counts and those whose row is gone, as they stand now: only those
  // of the key set, read before the source (one committed since may stand on a row read after it).
  const byStatus: Record<string, number> = {};
  for await (const page of licensePages(ledger, pipeline, pageSize)) {
    for (const l of page) {
      if (!licensed.has(l.sourceKey)) continue;
      byStatus[l.status] = (byStatus[l.status] ?? 0) + 1;
      if (!sourceKeys.has(l.sourceKey)) {
        if (awaitsDeletion(l)) differences.push(ledgerDifference('deleted-at-source', l));
      } else if (l.sourceless) {
        // A repair's version (a deletion answered) stands on no row, yet the source holds its key
        // again: a row restored or re-inserted with its old update time lies behind the checkpoint,
        // so no run reads it, and the license stays ended while the business system shows the row.
        // Both key sets hold the key; the full check finds it by its bucket, and so must this one.
        // Unless its row waits ahead of the clock: no re-read takes it before its time comes.
        if (waiting.has(l.sourceKey)) changedAheadOfClock++;
        else differences.push(ledgerDifference('content-mismatch', l));
      }
    }
  }
  differences = await deletedAtVersionLimit(ledger, pipeline, differences);
  const shrunk = sourceShrunk(differences, sourceKeys.size, licensed.size, settings);
  // A keyless row's stand-in no row gives any more: counted, never closed (stand-ins-gone.ts: the
  // row may still be without a key), on a key set read whole only. A stand-in is no source key, so
  // it is neither counted as explained above nor a difference.
  const notSeen = await standInsNotSeen(ledger, {
    pipeline,
    quarantinedKeys,
    sourceKeys,
    whole: shrunk === undefined,
  });
  return assemble({
    reportId,
    pipeline,
    mode: 'light',
    licenseType: parts.config.licenseType,
    startedAt,
    counts: {
      // Light: no mapping and no payloads read, so no counts per status or area on the source side.
      source: {
        total: sourceKeys.size,
        byStatus: {},
        byArea: {},
        quarantined: explained,
        ...(aheadOfClock > 0 ? { aheadOfClock } : {}),
        ...(changedAheadOfClock > 0 ? { changedAheadOfClock } : {}),
        ...(notSeen.count > 0 ? { standInsNotSeen: notSeen.count } : {}),
      },
      ledger: { total: licensed.size, byStatus, byArea: {} },
      targets: {},
    },
    buckets: { total: settings.buckets, differing: 0 },
    differences,
    sample: await showSample(ledger, differences, settings.sample),
    ...(shrunk ? { sourceShrunk: shrunk } : {}),
    ...(notSeen.count > 0 ? { standInsNotSeen: notSeen.keys } : {}),
  });
}

/**
 * The keys of the rows the pipeline's stream leaves for their time (connectors/sql/keyset.ts
 * `readBound`: a cursor ahead of the database's clock); none for a source no clock bounds.
 */
export async function waitingAheadOfClock(
  parts: Pick<PipelineParts, 'source' | 'config'>,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const keys = await parts.source.keysAheadOfClock?.(parts.config.stream, signal ? { signal } : {});
  return new Set(keys ?? []);
}
