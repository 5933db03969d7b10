/**
 * What a deliver job does with deliveries that still wait once it stops deferring: the limit
 * (MAX_DEFERRALS) bounds the wait for a predecessor or a platform review, and a submitted delivery
 * whose status requests keep failing (an unknown status, results that disagree, no result for the
 * key) must not stay `submitted` for ever with the reason told nowhere.
 */

import { ErrorCodes, failureMessage, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DeliveryLedger, DeliveryPredecessor, VersionLedger } from '../../ledger/ledger.js';
import {
  heldBehindReason,
  type Replayable,
  type ReplayedJob,
  replayedJobs,
  replayHeldBehind,
} from '../held-replay.js';
import type { DeliverResult } from '../stages/deliver.js';

/**
 * A failed status request's reason as a dead letter, a log line and the job's error keep it: the
 * text a delivery's `lastError` holds was told before, by a platform or a driver as much as by
 * licbridge, and may quote a value (backticks too: a MySQL error's) or hold a URL's password.
 */
const safeReason = (reason: string): string => failureMessage(reason).message;

/** One warn line per job the first time its status requests fail: target, count, reason (masked). */
export function warnPollFailures(
  log: Logger,
  target: string,
  result: DeliverResult,
  warned: boolean,
): boolean {
  if (!result.pollFailed || warned) return warned;
  log.warn(
    { target, deliveries: result.pollFailed.keys.length, reason: safeReason(result.pollFailed.reason) },
    'deliver: status requests for submitted deliveries failed; they stay submitted and are asked again',
  );
  return true;
}

export interface DeferralEnd {
  /**
   * Deliveries dead-lettered now: submitted ones whose status requests failed through the last
   * attempt, and those held back (`held`) through it.
   */
  dead: number;
  /** Of `dead`, the ones held back (pending) rather than submitted. Absent when none. */
  held?: number;
  /**
   * Held ones whose earlier version landed as they were dead-lettered (another job's check
   * accepted it between this job's read and its write), replayed at once (../held-replay.ts):
   * for the caller to queue. Counted in `left`, not `dead`. Absent when none.
   */
  reopened?: ReplayedJob[];
  /**
   * Of those it meant to dead-letter, the ones another job's check decided first (accepted,
   * rejected): they wait no more, and are that job's to count. Absent when none.
   */
  decided?: number;
  /** The job's failure when some still wait; none when nothing is left open by this job. */
  error?: LicbridgeError;
  /**
   * On the final attempt, the deliveries that still wait and are not dead letters: under review at
   * the platform (`submitted`), or held by another job's lease. Not the job's failure. Absent when none.
   */
  left?: number;
}

/**
 * The job has deferred `deferrals` times and its deliveries still wait. It fails retryable (an
 * attempt spent), naming the last status request's reason when there was one; on its final
 * attempt it ends without failing, the deliveries still waiting counted in `left`. On its final
 * attempt, submitted deliveries whose status request failed in that attempt become dead letters
 * with the reason kept on each (`lastError`, deliver.ts), as a send failing past its attempts
 * does: `licbridge dlq replay` sends them again once the platform answers properly. A delivery
 * the platform still holds as plainly `submitted` stays so: it is not lost, its review is
 * pending, and `licbridge status` names it (`delivery-overdue`) past `pendingAlertMs`.
 *
 * A delivery held back on the final attempt — behind an earlier version that has not landed, or
 * its license file not issued (`whenMissing: wait`) — becomes a dead letter too, saying what it
 * waited for: no job holds it once this one fails, so it stayed `pending` until a sweep or the
 * next scheduled run, a day for an unattended deployment, while `attempts` promises a dead letter.
 * `licbridge dlq replay` sends it again once that has landed. One that waits for neither any more
 * (its earlier version landed since the last check read it) is no dead letter: it stays `pending`,
 * counted in `left`, for the next job, which sends it.
 *
 * Two jobs may hold one key (a sweep's and a run's), and the other's check may answer while this
 * one ends: the newer answer wins. One written after the failure and before the read below
 * cleared `lastError` (a plain `submitted`) or decided the row; one written after the read moved
 * its `revision` (a reopening or a replay moves it too), which the dead-lettering statement
 * requires unchanged. Counts are of rows written.
 */
export async function endDeferrals(
  ledger: DeliveryLedger & VersionLedger,
  target: string,
  result: DeliverResult,
  job: {
    deferrals: number;
    lastPollReason?: string | undefined;
    final: boolean;
    /** The job's versions: on the final attempt, those still held back become dead letters. */
    versionIds?: readonly number[];
    /**
     * For a target that waits for license files (`whenMissing: wait`), those of the versions given
     * whose file is issued or that need none (stages/deliver-files.ts `versionsWithFile`): a held
     * delivery whose file is missing is dead-lettered saying so. @defaultValue none: the target
     * takes no files, and no delivery of it waits for one
     */
    filesOf?: ((versionIds: readonly number[]) => Promise<Set<number>>) | undefined;
    /** Which held letters may be replayed at once (../held-replay.ts). @defaultValue all */
    replayable?: Replayable | undefined;
  },
): Promise<DeferralEnd> {
  let dead = 0;
  let decided = 0;
  if (job.final && result.pollFailed) {
    const rows = await ledger.getDeliveries(result.pollFailed.keys);
    // No `lastError` left: a later check's answer (the review still pending) came after the failure.
    const stuck = rows.filter((r) => r.state === 'submitted' && r.lastError);
    const fallback = result.pollFailed.reason;
    const written = new Set(
      await ledger.recordDeliveryOutcomes(
        stuck.map((r) => ({
          key: r.key,
          state: 'dead',
          reasons: [safeReason(r.lastError ?? fallback)],
          from: 'submitted',
          revision: r.revision,
        })),
      ),
    );
    dead = written.size;
    // Read decided, or skipped by the statement: those another check decided wait no more.
    const unwritten = result.pollFailed.keys.filter((k) => !written.has(k));
    const now = unwritten.length > 0 ? await ledger.getDeliveries(unwritten) : [];
    decided = now.filter((r) => r.state !== 'submitted').length;
  }
  const { held, reopened } =
    job.final && result.waiting > 0
      ? await deadLetterHeld(ledger, target, job, new Set(result.unsigned ?? []))
      : { held: 0, reopened: [] };
  dead += held;
  const left = result.waiting + result.submitted - dead - decided;
  const counted = {
    dead,
    ...(held > 0 ? { held } : {}),
    ...(decided > 0 ? { decided } : {}),
    ...(reopened.length > 0 ? { reopened } : {}),
  };
  if (left <= 0) return counted;
  // The last attempt: what still waits is a platform's review (its verdict recorded by a later
  // job, which a later run queues for any delivery no job holds) or another job's send, not a
  // failure. Failed for good, the job failed its run (workers/run-failures.ts), which then stayed
  // `failed` once the platform had accepted every license.
  if (job.final) return { ...counted, left };
  const reason = result.pollFailed?.reason ?? job.lastPollReason;
  return {
    ...counted,
    error: new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `deliver: ${left} deliveries to ${target} still wait after ${job.deferrals} checks${
        reason ? `; the last failed status request: ${safeReason(reason)}` : ''
      }`,
      { retryable: true, context: { target } },
    ),
  };
}

/** Predecessor states that let a successor go (stages/delivery-order.ts). */
const LANDED = new Set(['accepted', 'discarded']);

/**
 * What a held-back delivery waits for, as its dead letter says it: its earlier version, else its
 * license file at a target that waits for one (`fileMissing`). Undefined when it waits for neither
 * any more: its earlier version landed since the job's last check read it (another job's check
 * accepted it), or another job's lease it was held behind ran out. Such a delivery is no dead
 * letter: it stays `pending` for the next job. Its reason once said it waited for a license file,
 * at any target, one that takes no files too.
 */
function heldReason(
  pred: DeliveryPredecessor | undefined,
  fileMissing: boolean,
  deferrals: number,
): string | undefined {
  if (pred && !LANDED.has(pred.previousState ?? '')) {
    const how =
      pred.previousState === 'submitted'
        ? 'still under review at the platform'
        : pred.previousState === 'dead'
          ? 'dead-lettered'
          : 'not delivered yet';
    return heldBehindReason(pred.previousKey, how, deferrals);
  }
  if (fileMissing)
    return `licbridge: still held back after its deliver job's last attempt (${deferrals} checks): its license file is not issued yet (whenMissing: wait); replay this once licbridge sign files has issued it`;
  return undefined;
}

/**
 * Dead-letters the job's deliveries still `pending` (held back) with what each waited for. Written
 * only as read (state and `revision`) and while no other job holds a live lease on it: one another
 * job is sending, or answered since, is that job's (as deadLetterOpen, delivery-policy.ts). Those
 * in `unsigned` (their version lacks the current seal's signature: stages/deliver-items.ts) wait
 * for the sign stage, not for this job, and stay `pending`.
 */
async function deadLetterHeld(
  ledger: DeliveryLedger & VersionLedger,
  target: string,
  job: {
    deferrals: number;
    versionIds?: readonly number[];
    filesOf?: ((versionIds: readonly number[]) => Promise<Set<number>>) | undefined;
    replayable?: Replayable | undefined;
  },
  unsigned: ReadonlySet<string>,
): Promise<{ held: number; reopened: ReplayedJob[] }> {
  const none = { held: 0, reopened: [] };
  if (!job.versionIds || job.versionIds.length === 0) return none;
  const rows = (await ledger.ensureDeliveries(job.versionIds, target)).filter(
    (r) => r.state === 'pending' && !unsigned.has(r.key),
  );
  if (rows.length === 0) return none;
  // A first version may have one too: the license it continues (ledger/delivery-order.ts).
  const preds = new Map(
    (
      await ledger.deliveryPredecessors(
        rows.map((r) => r.versionId),
        target,
      )
    ).map((p) => [p.versionId, p]),
  );
  const landed = (r: (typeof rows)[number]) => {
    const pred = preds.get(r.versionId);
    return !pred || LANDED.has(pred.previousState ?? '');
  };
  const free = rows.filter(landed).map((r) => r.versionId);
  const withFile = job.filesOf && free.length > 0 ? await job.filesOf(free) : undefined;
  const dead = rows.flatMap((r) => {
    // Asked of the free ones only: one still behind its earlier version is said to wait for that.
    const fileMissing = withFile !== undefined && !withFile.has(r.versionId);
    const reason = heldReason(preds.get(r.versionId), fileMissing, job.deferrals);
    return reason === undefined
      ? []
      : [
          {
            key: r.key,
            state: 'dead' as const,
            reasons: [reason],
            from: 'pending' as const,
            revision: r.revision,
            unleased: {},
          },
        ];
  });
  if (dead.length === 0) return none;
  const written = await ledger.recordDeliveryOutcomes(dead);
  // Written, then read again: another job's check may have found a predecessor landed after the
  // read above and before the write, and replayed nothing then (this letter was not dead yet). A
  // conditional write alone is no guard on PostgreSQL's read committed; written first, either that
  // job's replay or this read sees the letter and the landed predecessor, and the revision the
  // replay writes over (ledger/dead-letters.ts) keeps it to one.
  const byKey = new Map(rows.map((r) => [r.key, r.versionId]));
  const behind = written.flatMap((k) => {
    const pred = preds.get(byKey.get(k) ?? -1);
    return pred ? [pred.previousVersionId] : [];
  });
  // Failing, it leaves them dead, as before this look: `licbridge dlq replay` sends them.
  const replayed = await replayHeldBehind(ledger, target, behind, job.replayable).catch(() => []);
  const ours = new Set(written);
  const back = replayed.filter((d) => ours.has(d.key)).length;
  return { held: written.length - back, reopened: replayedJobs(replayed) };
}
