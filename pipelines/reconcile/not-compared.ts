/**
 * A target of the pipeline that a full check limited by `reconcile --target` left out: how the
 * stored report marks it, and how the reports say so. Kept apart from reconcile.ts so that
 * `status` (observability/check-attention.ts) and the reports read it without the check itself.
 * Such a target could be asked: the words say it was not compared and how to compare it, never
 * that it cannot be asked (a kind with neither listing nor lookup, told of as 无法查询).
 */
import type { ReportLang } from './report-words.js';
import type { ReconcileReport } from './types.js';

/** Why a target of the pipeline left out of a check limited by `--target` was not compared. */
export const NOT_ASKED = 'not compared: the check was limited to other targets (--target)';

/** A report's counts for one target: left out by `--target`, as opposed to one that cannot be asked. */
export function leftOut(c: ReconcileReport['counts']['targets'][string] | undefined): boolean {
  return c !== undefined && 'unavailable' in c && c.unavailable === NOT_ASKED;
}

/** The label of a left-out target's counts, with the command that compares it. */
export function leftOutLabel(pipeline: string, lang: ReportLang): string {
  return lang === 'zh'
    ? `未核对：本次核对只限于其他平台（--target）；完整核对：licbridge reconcile ${pipeline}`
    : `not compared: the check was limited to other targets (--target); full check: licbridge reconcile ${pipeline}`;
}

/** The lead of a check that found no difference but left out `targets` (already joined). */
export function leftOutLead(targets: string, lang: ReportLang): string {
  return lang === 'zh'
    ? `没有发现差异，但本次核对只限于其他平台（--target），未与平台 ${targets} 核对；请运行完整核对。`
    : `No differences found, but the check was limited to other targets (--target): ${targets} not compared; run a full check.`;
}
