/**
 * Which runs a finished job may have completed. A run is `done` once every version it created is
 * signed and finally delivered (ledger/runs.ts, `completeRun`), and its counts are always its own
 * versions', whichever job did the work. But recovery queues what an earlier run left under the
 * recovering run's id — a scheduled run's `recoverUnqueuedDeliveries`, the extract stage's sweep of
 * unsigned versions, `licbridge run`'s sweep — so the job that finishes an earlier run's last
 * delivery does not carry that run's id. Checking only the job's own run left the earlier one
 * `running` for good wherever no `licbridge run` settles it (a deployment of workers alone): the
 * status, the run list and every "run still running" check said so. The pipeline's other runs
 * whose extraction is over are checked too.
 */
import { errorLine } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { RunCompletion } from '../stages/run-completion.js';

/**
 * A completion check that failed (a locked ledger, a failover): a warning, not the job's failure;
 * the work is in the ledger, and the next job's check, or `licbridge run`'s, marks the run done.
 */
export function warnCompletionFailed(
  log: Logger,
  at: { pipeline?: string; runId: string },
  error: unknown,
): void {
  log.warn({ ...at, error: errorLine(error) }, 'run: completion check failed; a later job checks again');
}

/** The pipeline's runs still `running` with their extraction over, other than `except`, marked done if complete. */
export async function completeOpenRuns(
  ledger: Ledger,
  run: { pipeline: string; except?: string },
  sealId: string,
  targets: readonly string[],
): Promise<void> {
  for (const r of await ledger.runningRuns()) {
    if (r.pipeline !== run.pipeline || !r.extractedAt || r.runId === run.except) continue;
    await ledger.completeRun(r.runId, sealId, targets);
  }
}

/**
 * After a job of `runId`: its run checked now or soon (RunCompletion), and the pipeline's other
 * open runs on the same terms, one check per pipeline for all its jobs meanwhile.
 */
export async function completeRunsAfterJob(
  completion: RunCompletion,
  ledger: Ledger,
  job: { pipeline: string; runId: string },
  sealId: string,
  targets: readonly string[],
): Promise<void> {
  await completion.check(job.runId, () => ledger.completeRun(job.runId, sealId, targets));
  // A key no run id takes (run ids are UUIDs or `scheduled-<job id>`).
  await completion.check(`pipeline ${job.pipeline}`, () =>
    completeOpenRuns(ledger, { pipeline: job.pipeline, except: job.runId }, sealId, targets),
  );
}
