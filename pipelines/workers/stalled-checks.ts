/**
 * A scheduled full check or lifecycle tick failed as "stalled more than allowable limit" (see
 * ./stalled-out.ts; a job its scheduler made fails so in our worker, ./stalled-scheduled.ts).
 * Neither job carries a run whose failure it could be; each is settled so that nothing is lost
 * without a word:
 * - a full check: its failure is recorded in the ledger as a failed attempt would be
 *   (reconcile/failed-check.ts), so `status` flags the check instead of showing the last findings
 *   as current; it is not queued again, the next tick of `reconcile.schedule` checks again;
 * - a lifecycle tick: queued again under a fresh id, at most STALL_REQUEUES times — a tick is
 *   idempotent per day (its watermark and its pages, pipelines/lifecycle/tick.ts); past that it is
 *   reported lost, and the next day's tick expires what this one left and closes its run.
 */
import type { Job } from 'bullmq';
import { errorLine } from '../../core/errors.js';
import type { LifecycleJobData, QueueSet, ReconcileJobData } from '../queues.js';
import { recordFailedCheck } from '../reconcile/failed-check.js';
import type { Runtime } from '../runtime.js';
import { requeueStalled, type StallOutcome, stallFailure } from './stalled-out.js';

/** A stalled-out check: a run's outcome as for other jobs, or `lost`: nothing to fail, said at error. */
export type CheckStallOutcome = StallOutcome | { kind: 'lost'; message: string };

/** A full check that stalled out: recorded as a failed check (the next tick checks again). */
export async function settleStalledReconcile(
  rt: Runtime,
  queue: string,
  job: Job<ReconcileJobData>,
): Promise<CheckStallOutcome> {
  const jobId = job.id ?? '';
  const message = `${stallFailure(queue, jobId, 1)}; the next scheduled check runs it again`;
  try {
    await recordFailedCheck(await rt.ledger(), {
      pipeline: job.data.pipeline,
      error: new Error(message),
      // No attempt follows this one.
      attempt: job.opts.attempts ?? 1,
      attempts: job.opts.attempts ?? 1,
      jobId,
    });
  } catch (error) {
    return { kind: 'lost', message: `${message}; its failure could not be recorded: ${errorLine(error)}` };
  }
  return { kind: 'failed', message };
}

/** A lifecycle tick that stalled out: queued again once, then reported lost. */
export async function settleStalledLifecycle(
  queues: QueueSet,
  queue: string,
  job: Job<LifecycleJobData>,
): Promise<CheckStallOutcome> {
  const after = 'the next tick expires what this one left';
  return requeueStalled({
    queue,
    job,
    add: (data, jobId) => queues.lifecycle.add('lifecycle', data as LifecycleJobData, { jobId }),
    taken: async (jobId) => (await queues.lifecycle.getJobState(jobId)) !== 'unknown',
    giveUp: 'lost',
    exhausted: after,
    addFailed: after,
  });
}
