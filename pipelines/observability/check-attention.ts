/**
 * Whether a pipeline's full checks still say anything. `status` shows the last stored check's
 * findings; a scheduled full check that fails stores no report (pipelines/reconcile/failed-check.ts
 * records the failure instead), so without these judgements the old findings would stand as if
 * current and nothing would say that the checks stopped.
 *
 * - `check-failed`: the last attempt of a full check failed after the last one that completed.
 * - `check-stale`: the last completed full check is older than the schedule promises — two of
 *   `reconcile.schedule`'s ticks have passed without one (a failing check, a worker without the
 *   `reconcile` stage, a schedule never installed, a worker killed mid-check).
 * - `check-unread`: the last full check could not ask a target (a kind with neither listing nor
 *   lookup), or left it out (`reconcile --target` naming others): nothing is known of that
 *   platform, least of all that it agrees.
 */
import { maskNumberShapes } from '../../catalog/personal.js';
import { zonedTime } from '../../core/zoned-time.js';
import type { StoredReport } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { type FailedCheck, failedCheckOf } from '../reconcile/failed-check.js';
import { NOT_ASKED } from '../reconcile/not-compared.js';
import { type Attention, previousCronTime } from './attention.js';

/**
 * How many stored reports `status` reads first when light checks (or failed attempts) came after
 * the last full check; read on every status and scrape. Hourly runs between nightly full checks
 * stay inside it.
 */
export const FULL_CHECK_LOOKBACK = 100;

/**
 * How many stored reports back `status` looks for the last full check at most. A pipeline run every
 * few minutes by `licbridge run` stores a light check after each (288 a day at five minutes): its
 * nightly full check is further back than the first read, and must still be found, as its platform
 * findings stand until the next full check. Past this (eleven days of such runs), none is taken to
 * have completed: `check-stale` says so, two ticks of `reconcile.schedule` having passed long
 * before. Bounded, as it is read on every status and scrape: a pipeline whose full checks stopped
 * for good would otherwise have its whole history read each time.
 */
export const FULL_CHECK_SEARCH_MAX = FULL_CHECK_LOOKBACK * 2 ** 5;

/** What the stored reports say about a pipeline's checks. */
export interface CheckHistory {
  /** The last report that found something or nothing (light or full); failed attempts skipped. */
  latest: StoredReport | undefined;
  /** The last completed full check, within {@link FULL_CHECK_SEARCH_MAX} reports. */
  lastFull: StoredReport | undefined;
  /** A failed full-check attempt newer than `lastFull`, the newest one. */
  lastFailure: FailedCheck | undefined;
  /** When the oldest report read was stored: the pipeline was in use by then. */
  oldestAt: Date | undefined;
}

export async function readCheckHistory(
  ledger: Pick<Ledger, 'getReports'>,
  pipeline: string,
): Promise<CheckHistory> {
  const [first] = await ledger.getReports({ pipeline, limit: 1 });
  // The common case after a nightly check: the last report is a full one, and one read says all.
  if (!first || first.mode === 'full') return checkHistoryOf(first ? [first] : []);
  // Further back, twice as far each time, until a full check or the pipeline's first report: the
  // reports since the last full check are read four times over at most.
  for (let limit = FULL_CHECK_LOOKBACK; ; limit *= 2) {
    const reports = await ledger.getReports({ pipeline, limit });
    const history = checkHistoryOf(reports);
    if (history.lastFull || reports.length < limit || limit >= FULL_CHECK_SEARCH_MAX) return history;
  }
}

/** The history of `reports`, newest first (as `getReports` returns them). */
export function checkHistoryOf(reports: readonly StoredReport[]): CheckHistory {
  let latest: StoredReport | undefined;
  let lastFull: StoredReport | undefined;
  let lastFailure: FailedCheck | undefined;
  for (const r of reports) {
    const failed = failedCheckOf(r);
    if (failed) {
      lastFailure ??= failed;
      continue;
    }
    latest ??= r;
    if (r.mode === 'full') {
      lastFull = r;
      break;
    }
  }
  return { latest, lastFull, lastFailure, oldestAt: reports[reports.length - 1]?.createdAt };
}

export interface FullCheckFacts {
  pipeline: string;
  /** `reconcile.schedule`. */
  schedule: string;
  /** The zone the schedule is installed in (`scheduleTimeZone`). */
  tz: string;
  history: CheckHistory;
  /** When the pipeline's last run started: it was in use by then. */
  lastRunStart: Date | null;
  now: Date;
}

export function fullCheckAttention(facts: FullCheckFacts): Attention[] {
  const { pipeline, history, now } = facts;
  // On the clock the schedule is read on, which the check-stale line names: in UTC ISO its 02:00
  // tick in Beijing read as 18:00 the day before.
  const at = (d: Date | string) => zonedTime(typeof d === 'string' ? d : d.toISOString(), facts.tz);
  const out: Attention[] = [];
  const f = history.lastFailure;
  if (f) {
    const error = f.code ? `${f.code}: ${f.message}` : f.message;
    out.push({
      kind: 'check-failed',
      message: `pipeline ${pipeline}: the last full check failed at ${at(f.at)} (attempt ${f.attempt} of ${f.attempts}${f.final ? '' : ', to be retried'}): ${error}${history.lastFull ? `; the platform findings shown are still those of report ${history.lastFull.reportId} (${at(history.lastFull.createdAt)})` : ''}; fix the cause, then \`licbridge reconcile ${pipeline}\` (or wait for the next scheduled check)`,
    });
  }
  // The check of the tick before last has had a whole interval to finish; the last tick's may still run.
  const last = previousCronTime(facts.schedule, now, facts.tz);
  const due = last && previousCronTime(facts.schedule, new Date(last.getTime() - 1), facts.tz);
  if (!due) return out;
  const full = history.lastFull;
  if (full) {
    if (full.createdAt.getTime() >= due.getTime()) return out;
  } else {
    // Never checked: stale only once the pipeline has been in use since before that tick.
    const since = [history.oldestAt, facts.lastRunStart].filter((d): d is Date => d instanceof Date);
    if (!since.some((d) => d.getTime() < due.getTime())) return out;
  }
  out.push({
    kind: 'check-stale',
    message: `pipeline ${pipeline}: ${full ? `the last full check completed at ${at(full.createdAt)} (report ${full.reportId})` : 'no full check has completed'}, and \`reconcile.schedule\` (\`${facts.schedule}\`, ${facts.tz}) promised one after ${at(due)}; its findings may no longer hold: check that \`licbridge schedule\` installed the check and a \`licbridge worker\` works the \`reconcile\` stage, or run \`licbridge reconcile ${pipeline}\``,
  });
  return out;
}

/** Missed and deleted-at-source keys in a stored check report; undefined when there are none. */
export function checkGap(
  report: { summary: Record<string, unknown> } | undefined,
): { missed: number; deleted: number } | undefined {
  const byKind = (report?.summary.byKind ?? {}) as Record<string, unknown>;
  const missed = Number(byKind.missed ?? 0) || 0;
  const deleted = Number(byKind['deleted-at-source'] ?? 0) || 0;
  return missed + deleted > 0 ? { missed, deleted } : undefined;
}

/** The stand-in keys a light check counted no row of the source gives any more (stand-ins-gone.ts), or 0. */
export function standInsNotSeen(report: { summary: Record<string, unknown> } | undefined): number {
  const counts = report?.summary.counts as { source?: { standInsNotSeen?: unknown } } | undefined;
  return Number(counts?.source?.standInsNotSeen ?? 0) || 0;
}

/** At most this many keys of each kind of a check's gap are named in `status`; more are counted only. */
export const GAP_NAMED_MAX = 5;

/**
 * The keys of a check's gap named, as `: deleted at the source: key K (license L), …`, or `''`:
 * `status` names them when they are few ({@link GAP_NAMED_MAX} of a kind or fewer) and the stored
 * report's sample holds every one; else `reconcile` names them. Keys are masked as reconcile
 * masks them (an ID or mobile number used as a key); a license id holds no personal data.
 */
export function gapNames(
  report: { report: Record<string, unknown> },
  gap: { missed: number; deleted: number },
): string {
  const sample = Array.isArray(report.report.sample) ? (report.report.sample as unknown[]) : [];
  const named = (kind: string, count: number, label: string): string | undefined => {
    if (count === 0 || count > GAP_NAMED_MAX) return undefined;
    const of = sample.filter(
      (d): d is Record<string, unknown> => (d as { kind?: unknown } | null)?.kind === kind,
    );
    if (of.length !== count) return undefined;
    const each = of.map((d) => {
      const key = typeof d.sourceKey === 'string' ? maskNumberShapes(d.sourceKey) : '-';
      return `key ${key} (license ${String(d.licenseId ?? '-')})`;
    });
    return `${label}: ${each.join(', ')}`;
  };
  const parts = [
    named('missed', gap.missed, 'missed'),
    named('deleted-at-source', gap.deleted, 'deleted at the source'),
  ];
  const said = parts.filter((p): p is string => p !== undefined);
  return said.length === 0 ? '' : ` (${said.join('; ')})`;
}

/** The platform-side differences of a stored check report, when there are any. */
export function platformGap(report: { summary: Record<string, unknown> }): number | undefined {
  const byKind = (report.summary.byKind ?? {}) as Record<string, unknown>;
  const kinds = [
    'missing-at-platform',
    'unknown-at-platform',
    'status-drift',
    'platform-content-mismatch',
    'unreadable-at-platform',
  ];
  const n = kinds.reduce((sum, k) => sum + (Number(byKind[k] ?? 0) || 0), 0);
  return n > 0 ? n : undefined;
}

/**
 * The targets a stored full check could not ask (`counts.targets[t].unavailable`), with why, in
 * name order. Platforms are asked by full checks only, so this is read from the last full check:
 * the light checks after it ask none and change nothing here.
 */
export function unreadTargets(
  report: { summary: Record<string, unknown> } | undefined,
): { target: string; reason: string }[] {
  const counts = report?.summary.counts as { targets?: unknown } | undefined;
  const targets = counts?.targets;
  if (typeof targets !== 'object' || targets === null) return [];
  return Object.entries(targets as Record<string, unknown>)
    .flatMap(([target, c]) => {
      const why = (c as { unavailable?: unknown } | null)?.unavailable;
      return why === undefined ? [] : [{ target, reason: String(why) }];
    })
    .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

/**
 * `check-unread`: targets the last full check could not ask, as `reconcile` exits 3 for them, and
 * targets it left out (`--target` naming others). The two call for different things: one that
 * cannot be read back is compared another way; one left out is read by a full check of every target.
 */
export function unreadTargetAttention(
  pipeline: string,
  lastFull: { reportId: string; summary: Record<string, unknown> } | undefined,
): Attention[] {
  const unread = unreadTargets(lastFull);
  if (!lastFull || unread.length === 0) return [];
  const out: Attention[] = [];
  const cannot = unread.filter((u) => u.reason !== NOT_ASKED);
  if (cannot.length > 0) {
    const list = cannot.map((u) => `${u.target} (${u.reason})`).join(', ');
    out.push({
      kind: 'check-unread',
      message: `pipeline ${pipeline}: the last full check (report ${lastFull.reportId}) could not ask target(s) ${list}: nothing is known of what they hold, least of all that they agree with the ledger; compare them another way (the platform's own export or console), or give the target a kind that can be read back`,
    });
  }
  const leftOut = unread.filter((u) => u.reason === NOT_ASKED).map((u) => u.target);
  if (leftOut.length > 0) {
    out.push({
      kind: 'check-unread',
      message: `pipeline ${pipeline}: target(s) ${leftOut.join(', ')} not compared in the last full check (report ${lastFull.reportId}): it was limited to other targets with \`--target\`, so nothing is known of what they hold since, least of all that they agree with the ledger; run a full check of every target: \`licbridge reconcile ${pipeline}\``,
    });
  }
  return out;
}

/** The last check's `sourceShrunk` figures (pipelines/reconcile/reconcile.ts), when it stored them. */
export function sourceShrunk(
  report: { summary: Record<string, unknown> } | undefined,
): { sourceKeys: number; ledgerLicenses: number; deleted: number } | undefined {
  const s = report?.summary.sourceShrunk as Record<string, unknown> | undefined;
  if (!s) return undefined;
  return {
    sourceKeys: Number(s.sourceKeys) || 0,
    ledgerLicenses: Number(s.ledgerLicenses) || 0,
    deleted: Number(s.deleted) || 0,
  };
}
