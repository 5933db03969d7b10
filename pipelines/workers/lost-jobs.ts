/**
 * A sign or deliver job Redis lost while a worker ran it: a FLUSHDB, a restart without
 * persistence, a failover to a replica the job had not reached. The worker goes on with the job in
 * memory, but whatever it then asks of the job's key fails with BullMQ's `Missing key for job <id>.
 * <command>`: put back to wait (a deferral: an earlier version still on its way, another job's
 * lease, a review, a Retry-After), failed for a retry, or failed for good. BullMQ only says so as a
 * worker `error`: no `failed` event follows, and what the job left open stayed owed with no job to
 * do it. In a deployment of workers alone its run stayed `running` until the pipeline's next
 * scheduled run queued the rest from the ledger: the day's tick, queued once the schedules are
 * installed again, passes over what a live job still holds (its leases, sweep.ts), and a job still
 * running then lets go of them only as it ends.
 *
 * Such a job is queued again as it was, under its own id (the key is gone, so the id is free, and
 * a second add of it adds nothing; an id BullMQ numbered becomes `<id>-lost`): a deferral with the
 * data and wait it asked for, a failure after its backoff's first delay. Its attempts start again,
 * Redis having lost their count; a copy that fails for good fails its run as any job does. A job
 * that completes needs nothing: its work is in the ledger and its run checked. Left as before: a
 * key lost between this module's look and BullMQ's own move (the ledger still has the work, for
 * the tick or the next run), and a copy that cannot be added (Redis away again).
 */
import type { Job, JobsOptions, Processor, Queue } from 'bullmq';
import { errorLine } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { bullmq } from '../bullmq.js';

/** Where a lost job of one queue is queued again, and said so. */
export interface LostJobs<D> {
  queue: Queue<D>;
  logger: Logger;
}

/** BullMQ's words when a command finds the job's key gone (classes/finished-errors.js). */
const MISSING_KEY = /^Missing key for job \S+\. \w+$/;

/** Whether `error` is BullMQ's refusal of a command on a job whose key Redis no longer holds. */
export function isJobGone(error: unknown): boolean {
  return error instanceof Error && MISSING_KEY.test(error.message);
}

/**
 * Whether Redis no longer holds `job`'s key, the test BullMQ's own commands make before they move
 * a job (its hash exists). Unknown (Redis away) counts as held: BullMQ's own move is left to fail
 * or succeed as it will.
 */
async function keyGone(queue: Queue, job: Job): Promise<boolean> {
  if (job.id === undefined) return false;
  try {
    return (await queue.getJob(job.id)) === undefined;
  } catch {
    return false;
  }
}

/** The first delay of the job's backoff, ms: what BullMQ waits before its first retry. */
function firstBackoffMs(opts: JobsOptions): number {
  const backoff = opts.backoff;
  if (typeof backoff === 'number') return backoff;
  return backoff?.delay ?? 0;
}

/** `job` added again to `lost.queue` with `data`, run `delayMs` from now (see above for its id). */
export async function requeueLost<D>(
  lost: LostJobs<D>,
  job: Job<D>,
  data: D,
  delayMs: number,
  why: string,
): Promise<void> {
  const opts: JobsOptions = {
    ...(job.opts.attempts === undefined ? {} : { attempts: job.opts.attempts }),
    ...(job.opts.backoff === undefined ? {} : { backoff: job.opts.backoff }),
    delay: Math.max(0, delayMs),
  };
  // BullMQ takes no integer as a custom id: a job it numbered itself is queued as `<id>-lost`.
  const jobId = job.id === undefined ? undefined : /^\d+$/.test(job.id) ? `${job.id}-lost` : job.id;
  await (lost.queue as Queue).add(job.name, data, { ...opts, ...(jobId === undefined ? {} : { jobId }) });
  lost.logger.warn(
    { queue: lost.queue.name, jobId: job.id, requeued: jobId, why },
    'job: Redis lost the job while it ran; queued again',
  );
}

/**
 * `processor` whose job, when it ends in an error (a failure, or a deferral whose move failed)
 * with its key gone from Redis, is queued again (`requeueLost`) instead of being left to a move
 * BullMQ cannot make. The processor's own deferral (`deferJob` with `lost`) does the same for the
 * move it makes. Not for a scheduler's job (an extract or a check): its copy would be no
 * scheduler's, and its run is named after its id.
 */
export function requeuedIfLost<D, R>(lost: LostJobs<D>, processor: Processor<D, R>): Processor<D, R> {
  return async (job, token, signal) => {
    try {
      return await processor(job, token, signal);
    } catch (error) {
      if (error instanceof Error && error.name === 'DelayedError') throw error;
      if (!(await keyGone(lost.queue as Queue, job as Job))) throw error;
      // A Retry-After stopped the queue handing out jobs for its wait already (worker.rateLimit,
      // deliver-worker.ts): the copy, queued without a delay of its own, is taken after it.
      const limited = error instanceof Error && error.message === bullmq.RATE_LIMIT_ERROR;
      const why = limited ? 'the platform asked to wait (Retry-After)' : errorLine(error);
      await requeueLost(lost, job, job.data, limited ? 0 : firstBackoffMs(job.opts), why);
      throw new bullmq.DelayedError();
    }
  };
}
