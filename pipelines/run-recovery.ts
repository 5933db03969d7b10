/**
 * What `licbridge run` does about earlier runs of its pipelines before and while it works: runs
 * whose process or extract job is gone are closed, and what the ledger shows unfinished is queued
 * again.
 */
import type { Queue } from 'bullmq';
import { sealIdOf } from '../config/seal-id.js';
import type { Logger } from '../core/logger.js';
import type { Ledger, PipelineBacklog } from '../ledger/ledger.js';
import type { QueueSet } from './queues.js';
import {
  closeOrphanedRuns,
  ownExtractJobUnfinished,
  REPAIR_RUN,
  runOwnerAlive,
  runsWithExtractJob,
} from './run-liveness.js';
import type { Runtime } from './runtime.js';
import { recoverExtract, recoverPipeline } from './sweep.js';

/**
 * Runs still `running` whose process is gone are marked `abandoned`; their work is recovered. So
 * are runs whose extraction nobody is left to do (their extract job gone), owned or not, naming the
 * run of this process that resumes it. A run whose process is gone but whose extract job another
 * worker took over stays `running`: that worker finishes it.
 */
export async function markAbandoned(
  rt: Runtime,
  ledger: Ledger,
  queues: QueueSet,
  runs: readonly { pipeline: string; runId: string }[],
  log: Logger,
): Promise<void> {
  const takers = new Map(runs.map((r) => [r.pipeline, r.runId]));
  for (const run of await closeOrphanedRuns(ledger, queues.extract as Queue, {
    takenOverBy: (pipeline) => takers.get(pipeline),
  })) {
    log.warn(
      { pipeline: run.pipeline, runId: run.runId },
      run.runId.startsWith(REPAIR_RUN)
        ? "run: an earlier repair's process is gone; signing and delivering what it wrote"
        : 'run: an earlier run lost its extract job; resuming it',
    );
  }
  const withJob = await runsWithExtractJob(queues.extract as Queue);
  for (const run of await ledger.runningRuns()) {
    const parts = rt.config.pipelines[run.pipeline];
    // A run whose work was finished under other jobs' names (a sweep's) is done, not stuck.
    if (parts && run.extractedAt) {
      if (await ledger.completeRun(run.runId, sealIdOf(rt.config, parts), parts.targets)) continue;
    }
    if (runOwnerAlive(run)) continue;
    if (
      !run.extractedAt &&
      (withJob.has(run.runId) || (await ownExtractJobUnfinished(queues.extract as Queue, run.runId)))
    )
      continue;
    const finished = await ledger.finishRun(run.runId, {
      state: 'abandoned',
      error: 'the process running it stopped before its work was complete; a later run finishes the work',
    });
    // Ended meanwhile (its work completed, its failure recorded): nothing to recover from it.
    if (!finished.applied) continue;
    log.warn(
      { pipeline: run.pipeline, runId: run.runId },
      'run: an earlier run was abandoned; recovering its work',
    );
  }
}

/**
 * Re-enqueues, from the ledger, what each pipeline still owes, and extracts of runs whose job was
 * lost. `backlogs[i]`, when given, is the backlog of `runs[i]`'s pipeline the poll before the
 * sweep read: what it shows owing nothing is not read again (see `recoverPipeline`).
 */
export async function sweep(
  rt: Runtime,
  ledger: Ledger,
  queues: QueueSet,
  runs: readonly { pipeline: string; runId: string }[],
  tag: string,
  backlogs: readonly (PipelineBacklog | undefined)[] = [],
): Promise<number> {
  let added = 0;
  for (const [i, r] of runs.entries()) {
    const run = await ledger.getRun(r.runId);
    const targets = rt.pipelineConfig(r.pipeline).targets;
    if (run?.state === 'running' && !run.extractedAt)
      added += await recoverExtract(queues, { ...r, mode: run.mode }, targets, `${r.runId}-${tag}`);
    const owed = backlogs[i];
    added += await recoverPipeline(rt, queues, r.pipeline, r.runId, `${r.runId}-${tag}`, {
      sweeping: true,
      ...(owed ? { owed } : {}),
    });
  }
  return added;
}
