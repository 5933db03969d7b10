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
 */
import type { Job, Processor } from 'bullmq';
import { bullmq } from '../bullmq.js';
import { STALLED_OUT } from './stalled-out.js';

/** Whether `job` is a scheduler's and stalled more than `maxStalledCount` times. */
export function scheduledStalledOut(
  job: Pick<Job, 'repeatJobKey' | 'stalledCounter'>,
  maxStalledCount: number,
): boolean {
  return job.repeatJobKey !== undefined && job.stalledCounter > maxStalledCount;
}

/**
 * `processor` that fails a scheduler's job stalled out (see above) instead of running it. The
 * stage's whole processor, as `storedFailures(…, stallLimit)` (./base.ts) wraps it: the failure
 * must reach the worker's `failed` listener as BullMQ words it (an UnrecoverableError with its
 * reason, which isStalledOut knows), not remade as a stage's error.
 */
export function stallLimited<D, R>(maxStalledCount: number, processor: Processor<D, R>): Processor<D, R> {
  return async (job, token, signal) => {
    if (scheduledStalledOut(job, maxStalledCount)) throw new bullmq.UnrecoverableError(STALLED_OUT);
    return processor(job, token, signal);
  };
}
