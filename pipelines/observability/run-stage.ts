/** Where a run stands, as `licbridge status` shows it. */
import type { Queue } from 'bullmq';
import type { Ledger, StoredRun } from '../../ledger/ledger.js';
import {
  extractOrphaned,
  ownExtractJobUnfinished,
  runOwnerAlive,
  runsWithExtractJob,
} from '../run-liveness.js';
import type { RunStage } from './status-report.js';

/**
 * Where a run stands; a `running` run whose process is gone counts as abandoned, and so does one
 * whose extraction no unfinished job of `extract` does (run-liveness.ts, `extractOrphaned`): the
 * queue is read after the run, and the run again after the queue, so a job that just ended is no
 * orphan. A queue that cannot be read says nothing.
 */
export async function runStage(
  ledger: Ledger,
  run: StoredRun,
  sealId: string,
  targets: readonly string[],
  now: Date,
  extract?: Queue,
): Promise<RunStage> {
  if (run.state !== 'running') return run.state;
  if (!runOwnerAlive(run, now.getTime())) return 'abandoned';
  if (extract && !run.extractedAt) {
    const withJob = await runsWithExtractJob(extract).catch(() => undefined);
    const lost =
      withJob !== undefined &&
      extractOrphaned(run, withJob) &&
      (await ownExtractJobUnfinished(extract, run.runId).catch(() => true)) === false;
    const again = lost ? await ledger.getRun(run.runId) : null;
    if (again && withJob && extractOrphaned(again, withJob)) return 'abandoned';
  }
  if (!run.extractedAt) return 'extracting';
  const p = await ledger.runProgress(run.runId, sealId, targets);
  return p.signed < p.created ? 'signing' : 'delivering';
}
