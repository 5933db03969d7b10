/**
 * `reconcile`: proves that source, ledger and platforms agree, and says exactly where they do not.
 *
 * Source ⇄ ledger compares bucket digests first (the ledger's inside PostgreSQL, see
 * ledger/reconcile-store.ts) and reads in detail only the buckets that differ. Ledger ⇄ platform
 * walks both sides in license-id order. Every report is stored in the ledger under its id.
 */

import { randomUUID } from 'node:crypto';
import { deriveSerial, licenseIdOf, MAX_VERSION } from '../../catalog/identifier.js';
import type { ReconcileConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { FINGERPRINT_MOD, keyBucket, pairFingerprint } from '../../core/reconcile-digest.js';
import type { Ledger } from '../../ledger/ledger.js';
import { readWindowClosed, refuseOutsideReadWindow } from '../read-window.js';
import type { PipelineParts, Runtime } from '../runtime.js';
import { ledgerAreas } from './area-counts.js';
import { type BucketCheck, checkByBuckets } from './bucket-side.js';
import { ADOPTED_KEY_PREFIX, adoptionKey, deletedAtVersionLimit } from './classify.js';
import { licensePages } from './license-pages.js';
import { lightCheck, waitingAheadOfClock } from './light-check.js';
import { NOT_ASKED } from './not-compared.js';
import { classifyByPages } from './paged-classify.js';
import { checkPlatform } from './platform-side.js';
import { assemble, sourceShrunk } from './report-assembly.js';
import { samePlatform } from './same-platform.js';
import { reconcileSettings } from './settings.js';
import { showSample } from './shown-sample.js';
import { foldSource, type TickDue } from './source-side.js';
import { holdsKey } from './stored-key.js';
import type { AreaCounts, Difference, ReconcileProgress, ReconcileReport } from './types.js';

// reconcileSettings (settings.ts) also from here, where the after-run check and the schedules import it.
export { ADOPTED_KEY_PREFIX, reconcileSettings };

/**
 * AFTER_LEDGER: each comparison of licenses with source rows reads the ledger's licenses before the
 * source's rows. A run may work while a check does (a scheduled run next to the nightly check): a
 * row added after the source was read, whose license the run committed before the ledger was read,
 * was a license without a row — `deleted-at-source`, revoked by a repair under `revoke`. Read in
 * this order, it is at most a row without a license, `missed`, whose repair (a re-read) changes nothing.
 */

export interface ReconcileOptions {
  pipeline: string;
  /** Targets to compare with. @defaultValue every target of the pipeline */
  targets?: readonly string[];
  /** `light`: counts and key sets only. @defaultValue `full` */
  mode?: 'full' | 'light';
  signal?: AbortSignal;
  /** Store the report in the ledger. @defaultValue true */
  store?: boolean;
  /** Called as rows are mapped and licenses compared, for a progress display. */
  onProgress?: (p: ReconcileProgress) => void;
  /** The host's clock, which a source's `readWindow` is read on. @defaultValue the system clock */
  clock?: () => Date;
}

export async function reconcilePipeline(rt: Runtime, options: ReconcileOptions): Promise<ReconcileReport> {
  const settings = reconcileSettings(rt);
  const reportId = randomUUID();
  const startedAt = new Date().toISOString();
  const [parts, ledger] = await Promise.all([rt.pipeline(options.pipeline), rt.ledger()]);
  // Every key of the source (a full check the rows of each differing bucket too): not outside the
  // department's hours, whether a person, a schedule or a run's light check asks.
  const clock = options.clock ?? (() => new Date());
  refuseOutsideReadWindow(rt.config, 'reconcile', parts.config.source, clock());
  const mode = options.mode ?? 'full';
  const report =
    mode === 'light'
      ? await lightCheck(rt, ledger, options.pipeline, settings, {
          reportId,
          startedAt,
          signal: options.signal,
        })
      : await fullCheck(rt, ledger, options, settings, reportId, startedAt, clock);
  if (options.store !== false) {
    await ledger.saveReport({
      reportId,
      pipeline: options.pipeline,
      mode,
      differences: report.differences,
      summary: {
        byKind: report.byKind,
        counts: report.counts,
        buckets: report.buckets,
        ...(report.sourceShrunk ? { sourceShrunk: report.sourceShrunk } : {}),
      },
      report: { ...report, all: undefined },
    });
  }
  return report;
}

async function fullCheck(
  rt: Runtime,
  ledger: Ledger,
  options: ReconcileOptions,
  settings: ReconcileConfig,
  reportId: string,
  startedAt: string,
  clock: () => Date,
): Promise<ReconcileReport> {
  const parts = await rt.pipeline(options.pipeline);
  const pipeline = options.pipeline;
  const licenseIdFor = (key: string) =>
    licenseIdOf({
      typeCode: parts.config.licenseType,
      issuerCode: parts.config.issuer.code,
      serial: deriveSerial(pipeline, key),
    });
  const asked = targetsAsked(pipeline, parts.config.targets, options.targets);
  const progress = options.onProgress;
  const areas = await ledgerAreas(
    ledger,
    pipeline,
    settings.buckets,
    (done, total) => progress?.({ phase: 'ledger', done, total }),
    settings.pageSize,
  );
  const tick = await tickDue(ledger, parts);
  const sourceSide =
    (await checkByBuckets({
      rt,
      parts,
      ledger,
      settings,
      reportId,
      licenseIdFor,
      areas,
      tick,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(progress ? { onProgress: progress } : {}),
    })) ??
    (await mapEveryRow(
      parts,
      ledger,
      settings,
      reportId,
      licenseIdFor,
      options.signal,
      progress,
      () => windowCut(rt, parts.config.source, clock()),
      tick,
    ));
  const { differing } = sourceSide;
  // Rows the stream leaves for their time are not missed: no run, and no repair, reads them yet.
  // Nor is a licensed row that changed and moved its cursor ahead a difference a re-read settles:
  // the run reading it is the one after its time comes (`changedAheadOfClock`).
  const waiting = await waitingAheadOfClock(parts, options.signal);
  const differences: Difference[] = [];
  let [aheadOfClock, changedAheadOfClock] = [0, 0];
  for (const d of sourceSide.differences) {
    const waits = d.sourceKey !== null && waiting.has(d.sourceKey);
    if (waits && d.kind === 'missed') aheadOfClock++;
    else if (waits && (d.kind === 'content-mismatch' || d.kind === 'unmappable')) changedAheadOfClock++;
    else differences.push(d);
  }
  if (aheadOfClock > 0) sourceSide.source.aheadOfClock = aheadOfClock;
  if (changedAheadOfClock > 0) sourceSide.source.changedAheadOfClock = changedAheadOfClock;

  const targets: ReconcileReport['counts']['targets'] = {};
  // The source-side differences the sample shows, each with every platform's view of it.
  const watched = new Map(
    differences.slice(0, settings.sample).flatMap((d) => (d.ledger ? [[d.licenseId, d] as const] : [])),
  );
  const licensePrefix = `${licenseIdOf({
    typeCode: parts.config.licenseType,
    issuerCode: parts.config.issuer.code,
    serial: '0',
  }).slice(0, -1)}`;
  for (const name of parts.config.targets) {
    // A target of the pipeline this check leaves out (`--target`) is not compared: the report
    // names it as such, never counts it as agreeing, and a stored check does not stand for it.
    if (!asked.includes(name)) {
      targets[name] = { unavailable: NOT_ASKED };
      continue;
    }
    const adapter = parts.targets.get(name) ?? (await rt.target(name));
    const here = rt.config.targets[name];
    if (!adapter.list && !adapter.lookup) {
      targets[name] = { unavailable: 'the target offers no lookup' };
      continue;
    }
    const check = await checkPlatform({
      ledger,
      pipeline,
      adapter,
      licensePrefix,
      // Only those whose own check compares this platform: one that no longer delivers here (its
      // `targets` changed since) never looks at what the platform keeps of it, so its licenses
      // here are compared by no check, as a pipeline's no longer in the config are. One delivering
      // here under another target name (same platform, another scope; a renamed or moved target)
      // compares them all: its check walks every license it holds at its own target.
      otherPipelines: Object.entries(rt.config.pipelines)
        .filter(([p, c]) => p !== pipeline && c.targets.some((t) => samePlatform(rt.config.targets[t], here)))
        .map(([p]) => p),
      pageSize: settings.pageSize,
      watched,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(progress
        ? { onProgress: (done: number) => progress({ phase: 'platform', done, target: name }) }
        : {}),
    });
    differences.push(...check.differences);
    targets[name] = check.counts;
    // A listing shows every license the target holds: the LB_VERSION_LIMIT record of one only it
    // held at version 999 (a repair could not adopt it) closes once it no longer holds it so. No
    // source row maps to its key, so no run closes it (ledger/version-limit.ts). An entry of no
    // ledger license that cannot be read back may be that one, still held: none closes then.
    const unsure = check.differences.some((d) => d.kind === 'unreadable-at-platform' && !d.ledger);
    if (adapter.list && options.store !== false && !unsure) {
      const held = check.differences.flatMap((d) =>
        d.kind === 'unknown-at-platform' && d.platform && d.platform.version >= MAX_VERSION
          ? [adoptionKey(d)]
          : [],
      );
      await ledger.closeAdoptionsAtLimit(pipeline, name, new Set(held));
    }
  }

  // A license only a platform holds under the id a row that does not map would take is that row's:
  // the business system holds its record, which a person corrects (planRepairs flags it).
  for (const d of differences) {
    if (d.kind === 'unknown-at-platform' && !d.outsideConfig && sourceSide.unmappedRowIds.has(d.licenseId))
      d.ofQuarantinedRow = true;
  }

  // Total, statuses and areas from the one walk of the ledger (area-counts.ts), so they add up.
  const ledgerCounts: AreaCounts = { total: areas.count, byStatus: areas.byStatus, byArea: areas.total };
  const shrunk = sourceShrunk(differences, sourceSide.source.total, ledgerCounts.total, settings);
  return assemble({
    ...(shrunk ? { sourceShrunk: shrunk } : {}),
    reportId,
    pipeline,
    mode: 'full',
    licenseType: parts.config.licenseType,
    startedAt,
    counts: {
      source: sourceSide.source,
      ledger: ledgerCounts,
      targets,
    },
    buckets: { total: settings.buckets, differing: differing.size },
    differences,
    sample: await showSample(ledger, differences, settings.sample),
  });
}

/**
 * The validity ends the next lifecycle tick writes, when the pipeline derives expiry: a check after
 * midnight and before the day's tick maps `expired` the licenses whose validity just ended, which
 * the ledger holds `valid` until the tick (docs/lifecycle.md). Those the last tick's day did not
 * cover yet (a watermark past the real today, a rehearsal's, covers none).
 */
async function tickDue(ledger: Ledger, parts: PipelineParts): Promise<TickDue | undefined> {
  if (parts.config.expiry === false || !parts.today) return undefined;
  const today = parts.today();
  const day = (await ledger.lifecycleWatermark(parts.name))?.day ?? null;
  return { today, since: day !== null && day <= today ? day : null };
}

/**
 * A source's read ends where its `readWindow` closes, at a page boundary, as if the stream were
 * read out (a run resumes from its checkpoint in the next window): the rows a check read by then
 * are not the source, and every license past them looked deleted at the source. Whether the read
 * ended there or at the end of the table cannot be told apart once the window is closed, so a check
 * whose read ends outside the window is not made: it fails, and stores no report.
 */
function windowCut(rt: Runtime, source: string, now: Date): void {
  const closed = readWindowClosed(rt.config, source, now);
  if (closed === null) return;
  throw new LicbridgeError(
    ErrorCodes.SOURCE_UNREACHABLE,
    `reconcile: ${closed}: the window closed while the check read the source, so it may not have read every row; nothing was compared and no report stored. Run reconcile inside the window`,
    { context: { source } },
  );
}

/**
 * The targets a full check compares, each once: the pipeline's own, or those `--target` names. A
 * target the pipeline does not deliver to would show every license missing there: refused.
 */
function targetsAsked(
  pipeline: string,
  configured: readonly string[],
  wanted: readonly string[] | undefined,
): string[] {
  if (wanted === undefined) return [...configured];
  const outside = wanted.filter((t) => !configured.includes(t));
  if (outside.length > 0) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `reconcile ${pipeline}: expected \`--target\` to name targets of the pipeline (${configured.join(', ') || 'none'}), got \`${outside.join(', ')}\``,
      { context: { pipeline } },
    );
  }
  return [...new Set(wanted)];
}

/**
 * The comparison for a connector without bucket digests (or digests that cannot be trusted): every
 * source row mapped, every ledger license of the pipeline read, compared key by key.
 */
async function mapEveryRow(
  parts: PipelineParts,
  ledger: Ledger,
  settings: ReconcileConfig,
  reportId: string,
  licenseIdFor: (key: string) => string,
  signal?: AbortSignal,
  onProgress?: (p: ReconcileProgress) => void,
  afterRead?: () => void,
  tick?: TickDue,
): Promise<BucketCheck> {
  // The ledger before the source (AFTER_LEDGER): its digests and key set, a page at a time.
  const differing = new Set<number>();
  const ledgerDigest = new Map<number, { n: number; sum: number }>();
  const licensed = new Set<string>();
  for await (const page of licensePages(ledger, parts.name, settings.pageSize)) {
    for (const l of page) {
      licensed.add(l.sourceKey);
      const b = keyBucket(l.sourceKey, settings.buckets);
      const d = ledgerDigest.get(b) ?? { n: 0, sum: 0 };
      d.n += 1;
      d.sum = (d.sum + pairFingerprint(l.sourceKey, l.contentHash)) % FINGERPRINT_MOD;
      ledgerDigest.set(b, d);
    }
  }
  const fold = await foldSource(
    parts,
    ledger,
    reportId,
    settings.buckets,
    signal,
    (done) => onProgress?.({ phase: 'source', done }),
    (key) => holdsKey(licensed, key),
    tick,
  );
  // Before anything is compared: a read the read window cut short is not the source (windowCut).
  afterRead?.();
  for (const [b, d] of ledgerDigest) {
    if (fold.bucketCount.get(b) !== d.n || fold.bucketSum.get(b) !== d.sum) differing.add(b);
  }
  for (const b of fold.bucketCount.keys()) if (!ledgerDigest.has(b)) differing.add(b);
  // Only the differing buckets are classified, on both sides: a ledger license in a bucket that
  // agrees has its source row, even though the source rows of that bucket are not looked at. Their
  // licenses as they stand now, of the key set read before the source (as the light check's).
  // Compared a page at a time (paged-classify.ts): held whole, every license of the pipeline was in
  // memory once a few thousand changes made every bucket differ.
  const compared = await classifyByPages(
    fold,
    differing,
    licensePages(ledger, parts.name, settings.pageSize),
    (l) => licensed.has(l.sourceKey) && differing.has(keyBucket(l.sourceKey, settings.buckets)),
    licenseIdFor,
  );
  return {
    differences: await deletedAtVersionLimit(ledger, parts.name, compared),
    differing,
    source: {
      total: fold.keys.length,
      byStatus: fold.byStatus,
      byArea: fold.byArea,
      quarantined: fold.unmappable.size,
      ...(fold.awaitingTick > 0 ? { awaitingTick: fold.awaitingTick } : {}),
    },
    unmappedRowIds: new Set([...fold.unmappable].map(licenseIdFor)),
  };
}
