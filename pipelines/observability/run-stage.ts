/** Where a run stands, as `licbridge status` shows it. */
import type { Queue } from 'bullmq';
import type { Ledger, StoredRun } from '../../ledger/ledger.js';
import { endedAt } from '../../ledger/run-progress.js';
import type { QueueSet } from '../queues.js';
import {
  extractOrphaned,
  ownExtractJobUnfinished,
  runOwnerAlive,
  runsWithExtractJob,
} from '../run-liveness.js';
import { onlyReviewsLeft } from '../run-review.js';
import type { Attention } from './attention.js';
import type { RunStage } from './status-report.js';
import { withTimeout } from './timeout.js';

/** The extract queue `status` reads, and how long it waits for it. */
export interface ExtractProbe {
  queue: Queue;
  timeoutMs: number;
  /** Told why a run's extract job could not be looked for: the run is shown extracting. */
  unknown?: (why: string) => void;
}

/** The probe `status` makes of a pipeline's last run: a run it cannot tell of gets a note. */
export function extractProbe(
  queues: QueueSet,
  timeoutMs: number,
  pipeline: string,
  runId: string,
  notes: Attention[],
): ExtractProbe {
  return {
    queue: queues.extract as Queue,
    timeoutMs,
    unknown: (why) =>
      notes.push({
        kind: 'redis-unreachable',
        message: `pipeline ${pipeline}: could not tell whether run ${runId}'s extract job is still there (${why}); it is shown extracting`,
      }),
  };
}

/**
 * Where a run stands; a `running` run whose work is complete (extracted, every version signed and
 * ended at every target) is `done`, as the next run will mark it; one whose process is gone counts
 * as abandoned, and so does one whose extraction no unfinished job of the extract queue does
 * (run-liveness.ts, `extractOrphaned`): the queue is read after the run, and the run again after
 * the queue, so a job that just ended is no orphan. The run's own job is asked first; the queue is scanned only when
 * that job is gone, and within `timeoutMs`: a queue that cannot be read in time says nothing of
 * the run but that it could not tell (`unknown`).
 */
export async function runStage(
  ledger: Ledger,
  run: StoredRun,
  sealId: string,
  targets: readonly string[],
  extract?: ExtractProbe,
): Promise<RunStage> {
  if (run.state !== 'running') return run.state;
  if (run.extractedAt) {
    const p = await ledger.runProgress(run.runId, sealId, targets);
    // Complete, though nobody marked it yet (the job that would have failed for good after the
    // extraction; the pipeline's next run finds it complete): neither under way nor abandoned,
    // whether or not its process is still there.
    if (p.signed >= p.created && targets.every((t) => endedAt(p, t) >= p.created)) return 'done';
    if (!runOwnerAlive(run)) return 'abandoned';
    if (p.signed < p.created) return 'signing';
    // Waiting on a platform's verdicts is no delivery under way: said as `licbridge run` ends such a run.
    return onlyReviewsLeft(p, targets) ? 'in-review' : 'delivering';
  }
  // By the ledger's time the run was read at, not this host's (run-liveness.ts).
  if (!runOwnerAlive(run)) return 'abandoned';
  if (extract && extractOrphaned(run, new Set())) {
    const { queue, timeoutMs } = extract;
    let withJob: Set<string> | undefined;
    try {
      withJob = await withTimeout(
        (async () =>
          (await ownExtractJobUnfinished(queue, run.runId)) ? undefined : await runsWithExtractJob(queue))(),
        timeoutMs,
        'queues: extract jobs',
      );
    } catch (e) {
      extract.unknown?.(e instanceof Error ? e.message : String(e));
    }
    // Outside the queue's try: a ledger that fails here is the ledger's failure, not Redis's.
    const again = withJob && extractOrphaned(run, withJob) ? await ledger.getRun(run.runId) : null;
    if (again && withJob && extractOrphaned(again, withJob)) return 'abandoned';
  }
  return 'extracting';
}
