/** The workers of the scheduled checks: full reconciliation and the daily lifecycle tick. */
import type { Job, Worker } from 'bullmq';
import { bullmq } from '../bullmq.js';
import { recordLostTick } from '../lifecycle/lost-ticks.js';
import { lifecycleJob } from '../lifecycle/tick-job.js';
import { LIFECYCLE_QUEUE, type LifecycleJobData, RECONCILE_QUEUE, type ReconcileJobData } from '../queues.js';
import { recordFailedCheck } from '../reconcile/failed-check.js';
import { reconcilePipeline } from '../reconcile/reconcile.js';
import type { Runtime } from '../runtime.js';
import { classify, deferJob, type StageContext, storedFailures, storedReason } from './base.js';

/**
 * `stop` is aborted when the worker set closes (a worker's SIGTERM), as the lifecycle worker's is:
 * the check in flight stops at its next page of the source or the listing (reconcilePipeline's
 * signal), stores no report, and its job goes back to the queue without spending an attempt, for
 * another worker (or this one, started again) to run from the start. Without it the close waited
 * for the whole check (hours on a large source), or the shutdown timeout killed the worker and
 * the job stalled.
 */
export function reconcileWorker(
  rt: Runtime,
  { base }: StageContext,
  stop?: AbortSignal,
): Worker<ReconcileJobData> {
  return new bullmq.Worker<ReconcileJobData>(
    RECONCILE_QUEUE,
    storedFailures(async (job, token) => {
      const { pipeline } = job.data;
      try {
        // reconcilePipeline stores the report in the ledger; the job keeps only its id and totals.
        const report = await reconcilePipeline(rt, {
          pipeline,
          mode: 'full',
          ...(stop ? { signal: stop } : {}),
        });
        rt.logger.info(
          { pipeline, jobId: job.id, reportId: report.reportId, differences: report.differences },
          'reconcile: done',
        );
        return { reportId: report.reportId, differences: report.differences };
      } catch (error) {
        // Stopped by the worker's shutdown (or failing as the shutdown closed what it used): no
        // failed check for `status`, no attempt spent; the check runs again, whole, from the queue.
        if (stop?.aborted) return checkStopped(rt, job, token, error, base.maxStalledCount);
        // Stored before BullMQ hears of it: `status` flags a full check whose last attempt failed
        // (check-failed) instead of showing the previous findings as if they were current.
        await recordCheckFailure(rt, job, error, job.attemptsMade + 1);
        return classify(error);
      }
    }, base.maxStalledCount),
    { ...base, concurrency: 1 },
  );
}

/** Records a full check's failure for `status` (check-failed), as attempt `attempt` of the job's. */
async function recordCheckFailure(
  rt: Runtime,
  job: Job<ReconcileJobData>,
  error: unknown,
  attempt: number,
): Promise<void> {
  const { pipeline } = job.data;
  await rt
    .ledger()
    .then((ledger) =>
      recordFailedCheck(ledger, {
        pipeline,
        error,
        attempt,
        attempts: job.opts.attempts ?? 1,
        ...(job.id ? { jobId: job.id } : {}),
      }),
    )
    .catch((e: unknown) =>
      // The ledger itself may be what failed; status then says so (ledger-unreachable).
      rt.logger.warn({ pipeline, jobId: job.id, error: storedReason(e) }, 'reconcile: failure not recorded'),
    );
}

/**
 * Puts a full check stopped by its worker's shutdown back on the queue, unspent, and says so. Put
 * back unspent, a check stopped by one shutdown after another (a worker restarted over and over)
 * would never finish and never be given up, and `status` would show the last findings as current:
 * stopped as often as a job may stall, it is given up as a check that stalled out is
 * (stalled-checks.ts): recorded as a failed check for `status` (check-failed) and failed for good.
 * The next tick of `reconcile.schedule` checks again.
 */
async function checkStopped(
  rt: Runtime,
  job: Job<ReconcileJobData>,
  token: string | undefined,
  error: unknown,
  maxStalledCount: number,
): Promise<never> {
  const { pipeline } = job.data;
  const stops = (job.data.stops ?? 0) + 1;
  // At or past the limit: one lowered below a job's count since its last stop gives it up too.
  if (stops >= maxStalledCount) {
    const message = `${RECONCILE_QUEUE}: job ${job.id ?? ''} was stopped by ${stops} worker shutdowns in a row before it finished (each queued it again); the next scheduled check runs it again`;
    // No attempt follows this one.
    await recordCheckFailure(rt, job, new Error(message), job.opts.attempts ?? 1);
    throw new bullmq.UnrecoverableError(message);
  }
  rt.logger.warn(
    { pipeline, jobId: job.id, error: storedReason(error) },
    'reconcile: stopped by worker shutdown; queued again',
  );
  return deferJob(job, token, { ...job.data, stops }, 0);
}

/**
 * `stop` is aborted when the worker set closes (a worker's SIGTERM): the tick in flight stops
 * (tick.ts) and its job goes back to the queue without spending an attempt, for another worker
 * (or this one, started again) to tick the day on — its watermark and its reminders' rows make
 * that tick carry on where this one stopped.
 */
export function lifecycleWorker(
  rt: Runtime,
  { base, queues }: StageContext,
  stop?: AbortSignal,
): Worker<LifecycleJobData> {
  return new bullmq.Worker<LifecycleJobData>(
    LIFECYCLE_QUEUE,
    storedFailures(async (job, token) => {
      let done: Awaited<ReturnType<typeof lifecycleJob>>;
      try {
        done = await lifecycleJob(rt, queues, job.id ?? 'job', stop);
      } catch (error) {
        return classify(error);
      }
      if (done.stoppedBy !== undefined) {
        // Put back unspent, a tick stopped by one shutdown after another (a worker restarted over
        // and over) would never finish and never be given up: stopped as often as a job may
        // stall, it is recorded lost for `status` (lost-ticks.ts), once, and a tick that finishes
        // settles it. It is still put back: the next worker to take it ticks the day on. Logged
        // at error as a tick lost otherwise is (workers.ts), with why when it was not recorded.
        // At or past the limit, not only at it: a limit lowered below the job's count since its last
        // stop (a worker started again with a smaller one) never matched it, and the tick was never
        // recorded. `lost` keeps the record and its error line to one; unset while the ledger
        // could not take it, so the next stop tries again.
        const stops = (job.data.stops ?? 0) + 1;
        let lost = job.data.lost;
        if (stops >= base.maxStalledCount && !lost) {
          const reason = `${LIFECYCLE_QUEUE}: job ${job.id ?? ''} was stopped by ${stops} worker shutdowns in a row before it finished (each queued it again)`;
          const error = await recordLostTick(rt, job, reason);
          rt.logger.error(
            { queue: LIFECYCLE_QUEUE, jobId: job.id, error },
            'job: stopped by worker shutdowns; tick lost',
          );
          if (error === reason) lost = true;
        }
        return deferJob(job, token, { ...job.data, stops, ...(lost ? { lost } : {}) }, 0);
      }
      return done;
    }, base.maxStalledCount),
    { ...base, concurrency: 1 },
  );
}
