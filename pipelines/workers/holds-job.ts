/**
 * Whether this copy of a job still holds it. A worker starved past its lock (a loaded host, long
 * synchronous work) runs on with a job BullMQ's stalled check has put back and handed to another
 * worker: two copies of one job run at once, and only the one whose token is the job's lock is the
 * job's. What both copies share (an extract job's run, and so its pipeline lease) is the holder's to
 * let go: the other copy ending must not end it under the holder.
 */
import type { Job } from 'bullmq';

/**
 * True when `token` still holds `job`'s lock (renewed for `lockDurationMs` as it is asked, as
 * BullMQ's own renewal does). False when another copy holds it or none does; false too when Redis
 * cannot say: letting go of what another copy may hold is the worse mistake.
 */
export async function holdsJob(
  job: Job,
  token: string | undefined,
  lockDurationMs: number,
): Promise<boolean> {
  if (token === undefined) return false;
  try {
    return (await job.extendLock(token, lockDurationMs)) === 1;
  } catch {
    return false;
  }
}
