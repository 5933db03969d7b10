/**
 * The stall limit for jobs a job scheduler made (scheduled extract jobs, full checks, lifecycle
 * ticks: pipelines/schedules.ts). BullMQ never fails such a job for stalling while its scheduler
 * exists: `moveStalledJobsToWait` counts the stall (the job's `stc`) but skips `maxStalledCount`
 * for a job whose `rjk` names a live scheduler, so it does not kill the schedule (bullmq #4220
 * narrowed that to live schedulers, and kept it). A job that kills its worker every time (a poison
 * job: a page that runs it out of memory) went back to wait after every stall and killed workers
 * for ever.
 *
 * The limit is kept here at the point BullMQ keeps it for other jobs: a stall past the limit marks
 * them to fail when next taken (a deferred failure, failed before the processor runs). A scheduler's
 * job taken with more stalls than `maxStalledCount` fails the same way, with BullMQ's own reason, so
 * it is settled as any job that stalled out (./stalled-extract.ts, ./stalled-checks.ts): queued
 * again once under a fresh id, a plain job that BullMQ does fail. The failed job is the scheduler's
 * past occurrence only: the next was queued, a fresh job, when this one was first taken.
 *
 * BullMQ's mark is used once: failing the job clears it, so a job retried by hand (the dashboard's
 * retry) runs once more and fails again only if it stalls again. The stall count (`stc`) is never
 * reset, so the count a scheduler's job was failed at is kept in its data (`failedAtStalls`) and
 * only a stall past it fails the job again; without it a retried job failed at once, every time,
 * and was settled again (a full check recorded failed once more, unrun).
 */
import type { Job, Processor } from 'bullmq';
import { bullmq } from '../bullmq.js';
import { STALLED_OUT } from './stalled-out.js';

/** Where a scheduler's job failed as stalled out keeps its stall count then. */
export type StalledOutMark = { failedAtStalls?: number };

/**
 * Whether `job` is a scheduler's that stalled more than `maxStalledCount` times, and once more since
 * it was last failed so.
 */
export function scheduledStalledOut(
  job: Pick<Job, 'repeatJobKey' | 'stalledCounter' | 'data'>,
  maxStalledCount: number,
): boolean {
  const failedAt = (job.data as StalledOutMark | undefined)?.failedAtStalls ?? 0;
  return job.repeatJobKey !== undefined && job.stalledCounter > Math.max(maxStalledCount, failedAt);
}

/**
 * `processor` that fails a scheduler's job stalled out (see above) instead of running it. The
 * stage's whole processor, as `storedFailures(…, stallLimit)` (./base.ts) wraps it: the failure
 * must reach the worker's `failed` listener as BullMQ words it (an UnrecoverableError with its
 * reason, which isStalledOut knows), not remade as a stage's error.
 */
export function stallLimited<D, R>(maxStalledCount: number, processor: Processor<D, R>): Processor<D, R> {
  return async (job, token, signal) => {
    if (scheduledStalledOut(job, maxStalledCount)) {
      // Not kept (Redis failing): the job still fails; a retry by hand then fails it at once.
      await job
        .updateData({ ...(job.data as object), failedAtStalls: job.stalledCounter } as D)
        .catch(() => undefined);
      throw new bullmq.UnrecoverableError(STALLED_OUT);
    }
    return processor(job, token, signal);
  };
}
