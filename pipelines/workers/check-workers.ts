/** The workers of the scheduled checks: full reconciliation and the daily lifecycle tick. */
import type { Worker } from 'bullmq';
import { bullmq } from '../bullmq.js';
import { recordLostTick } from '../lifecycle/lost-ticks.js';
import { lifecycleJob } from '../lifecycle/tick-job.js';
import { LIFECYCLE_QUEUE, type LifecycleJobData, RECONCILE_QUEUE, type ReconcileJobData } from '../queues.js';
import { recordFailedCheck } from '../reconcile/failed-check.js';
import { reconcilePipeline } from '../reconcile/reconcile.js';
import type { Runtime } from '../runtime.js';
import { classify, deferJob, type StageContext, storedFailures, storedReason } from './base.js';

export function reconcileWorker(rt: Runtime, { base }: StageContext): Worker<ReconcileJobData> {
  return new bullmq.Worker<ReconcileJobData>(
    RECONCILE_QUEUE,
    storedFailures(async (job) => {
      const { pipeline } = job.data;
      try {
        // reconcilePipeline stores the report in the ledger; the job keeps only its id and totals.
        const report = await reconcilePipeline(rt, { pipeline, mode: 'full' });
        rt.logger.info(
          { pipeline, jobId: job.id, reportId: report.reportId, differences: report.differences },
          'reconcile: done',
        );
        return { reportId: report.reportId, differences: report.differences };
      } catch (error) {
        // Stored before BullMQ hears of it: `status` flags a full check whose last attempt failed
        // (check-failed) instead of showing the previous findings as if they were current.
        await rt
          .ledger()
          .then((ledger) =>
            recordFailedCheck(ledger, {
              pipeline,
              error,
              attempt: job.attemptsMade + 1,
              attempts: job.opts.attempts ?? 1,
              ...(job.id ? { jobId: job.id } : {}),
            }),
          )
          .catch((e: unknown) =>
            // The ledger itself may be what failed; status then says so (ledger-unreachable).
            rt.logger.warn(
              { pipeline, jobId: job.id, error: storedReason(e) },
              'reconcile: failure not recorded',
            ),
          );
        return classify(error);
      }
    }, base.maxStalledCount),
    { ...base, concurrency: 1 },
  );
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
        const stops = (job.data.stops ?? 0) + 1;
        if (stops === base.maxStalledCount) {
          const error = await recordLostTick(
            rt,
            job,
            `${LIFECYCLE_QUEUE}: job ${job.id ?? ''} was stopped by ${stops} worker shutdowns in a row before it finished (each queued it again)`,
          );
          rt.logger.error(
            { queue: LIFECYCLE_QUEUE, jobId: job.id, error },
            'job: stopped by worker shutdowns; tick lost',
          );
        }
        return deferJob(job, token, { ...job.data, stops }, 0);
      }
      return done;
    }, base.maxStalledCount),
    { ...base, concurrency: 1 },
  );
}
