/**
 * Deliver jobs queued by a sign job (./sign-worker.ts, and ./stalled-out.ts for one that stalled
 * out with its work done), to every target of the job's pipeline. The sign queue is shared by
 * every pipeline, but `licbridge run` opens deliver queues for its own pipelines' targets only:
 * its sign worker, taking another pipeline's job (a `licbridge worker`'s scheduled run, another
 * `run`), found no queue for that pipeline's target and queued nothing (enqueueDeliver's "none
 * when the queue set has no queue for it"). The versions stayed signed and undelivered, and their
 * run `running`, until a sweep or the pipeline's next scheduled run queued them.
 */
import type { Config } from '../../config/types.js';
import { callDeliverQueue } from '../call-deliver-queue.js';
import { enqueueDeliver, type VersionJobs } from '../jobs.js';
import type { QueueSet } from '../queues.js';

/**
 * Queues deliver jobs for `jobs` to `target`: on the process's queue for it, or on one opened
 * for the call (call-deliver-queue.ts), closed after.
 */
export async function enqueueSignedDeliveries(
  config: Readonly<Pick<Config, 'targets'>>,
  queues: QueueSet,
  target: string,
  jobs: VersionJobs,
): Promise<number> {
  if (queues.deliver.has(target) || jobs.versionIds.length === 0)
    return enqueueDeliver(config, queues, target, jobs);
  const call = callDeliverQueue(queues, target);
  try {
    return await enqueueDeliver(config, call.set, target, jobs);
  } finally {
    await call.close();
  }
}
