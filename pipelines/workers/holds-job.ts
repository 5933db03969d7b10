/**
 * Whether this copy of a job still holds it. A worker starved past its lock (a loaded host, long
 * synchronous work) runs on with a job BullMQ's stalled check has put back and handed to another
 * worker: two copies of one job run at once, and only the one whose token is the job's lock is the
 * job's. What both copies share (an extract job's run, and so its pipeline lease) is the holder's to
 * let go: the other copy ending must not end it under the holder.
 */
import type { Job } from 'bullmq';

/**
 * `held`: this copy holds the job. `lost`: another copy holds it, or none does. `unknown`: Redis
 * answered with an error (OOM, BUSY, NOREPLICAS, a dropped connection) or there is no token to ask
 * with, which says nothing of who holds it: after a one-off error reply this copy still holds the
 * job, and BullMQ fails it as this copy says.
 */
export type JobHold = 'held' | 'lost' | 'unknown';

/**
 * Whether `token` still holds `job`'s lock (renewed for `lockDurationMs` as it is asked, as
 * BullMQ's own renewal does).
 */
export async function holdsJob(
  job: Job,
  token: string | undefined,
  lockDurationMs: number,
): Promise<JobHold> {
  if (token === undefined) return 'unknown';
  try {
    return (await job.extendLock(token, lockDurationMs)) === 1 ? 'held' : 'lost';
  } catch {
    return 'unknown';
  }
}
