/**
 * Before `licbridge run` stops its workers, the queues it worked are emptied: a retry left delayed
 * after another job did its work, or a deferred deliver job, would otherwise sit there with no
 * worker — and `licbridge status` rightly calls a job nobody will take a state that needs a person.
 * Their work is done (the run only drains once the ledger says so), so promoting them lets the
 * workers finish them as no-ops. Jobs of an installed schedule are left to their time.
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../core/logger.js';

/** Waits until the queues hold no job to work; `false` when `timeoutMs` passed first. */
export async function drainQueues(
  queues: readonly Queue[],
  timeoutMs: number,
  log: Logger,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let left = 0;
    for (const q of queues) {
      const counts = await q.getJobCounts('waiting', 'prioritized', 'active');
      left += (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0);
      for (const job of await q.getDelayed(0, 999)) {
        if (job.repeatJobKey) continue;
        left += 1;
        await job.promote().catch(() => undefined);
      }
    }
    if (left === 0) return true;
    if (Date.now() > end) {
      log.warn({ jobs: left }, 'run: jobs still queued when the run ended; `licbridge status` shows them');
      return false;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
