/**
 * Deliveries a platform is still reviewing, as `licbridge run` waits for them
 * (pipelines/run-watch.ts). A platform that accepts first and judges later answers a send
 * `submitted`, and its verdict comes only from later status requests (stages/deliver.ts): a review
 * may take minutes or days. While such reviews are all a run waits for, nothing moving is no sign
 * of a fault, so the run's idle timeout does not end it; the target's `reviewWaitMs` does, once no
 * verdict has come for that long. The run then ends `in-review`: every other part of its work is
 * done, and the deliver jobs (a `licbridge worker`, or the pipeline's next run) record the verdicts.
 */
import type { Config } from '../config/types.js';
import type { PipelineBacklog, RunProgress } from '../ledger/ledger.js';
import { endedAt } from '../ledger/run-progress.js';

/**
 * Whether the run's own work is done but for deliveries the platform still reviews: every version
 * signed, and at every target each version ended or `submitted`, some of them `submitted`.
 */
export function onlyReviewsLeft(progress: RunProgress, targets: readonly string[]): boolean {
  if (progress.signed < progress.created) return false;
  let reviewing = false;
  for (const t of targets) {
    const inReview = progress.inReview?.[t] ?? 0;
    if (endedAt(progress, t) + inReview < progress.created) return false;
    if (inReview > 0) reviewing = true;
  }
  return reviewing;
}

/** Whether the pipeline owes nothing but deliveries the platform still reviews (or nothing at all). */
export function backlogOnlyInReview(b: PipelineBacklog): boolean {
  if (b.unsigned > 0) return false;
  return Object.entries(b.undelivered).every(([t, n]) => n <= (b.inReview?.[t] ?? 0));
}

/** Per target, the deliveries still in review; absent when none are. */
export function inReviewOf(b: PipelineBacklog | undefined): Record<string, number> | undefined {
  const entries = Object.entries(b?.inReview ?? {}).filter(([, n]) => n > 0);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** The longest `reviewWaitMs` among the targets with deliveries in review, ms. */
export function reviewWaitMs(config: Readonly<Config>, reviewing: Iterable<string>): number {
  let longest = 0;
  for (const t of reviewing) {
    // Defaulted by the loader on every delivery target, the only kind with deliveries.
    const target = config.targets[t];
    if (target && 'reviewWaitMs' in target && typeof target.reviewWaitMs === 'number')
      longest = Math.max(longest, target.reviewWaitMs);
  }
  return longest;
}
