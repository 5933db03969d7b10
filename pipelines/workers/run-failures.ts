/**
 * A run's job that fails for good in a `licbridge worker` process (its `runFailed` event). Under
 * `licbridge run` the run's summary takes the failure and the run is then marked `failed` in the
 * ledger (pipelines/run-settle.ts); a worker process has no summary, so the failure goes to the
 * ledger at once, on the same terms: the run keeps an outcome it already has, and an extract job
 * that failed after its run was extracted does not fail it (its licenses are all in the ledger, and
 * it ends `done` once they are signed and delivered). The reason is the job's failure as Redis
 * keeps it (workers/base.ts, storedReason) or a stall-out's, which names jobs by their ids: no
 * personal data. A `licbridge run` driving the same run reads the failure from the ledger.
 */
import type { EventEmitter } from 'node:events';
import { errorLine } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger, StoredRun } from '../../ledger/ledger.js';
import { EXTRACT_QUEUE } from '../queues.js';

/**
 * Whether `message`, a run's job failing for good, is its extract job's after the run was
 * extracted (queueing its versions, the completion check failed): not the run's failure. Its
 * licenses are all in the ledger, and it ends `done` once they are signed and delivered. One rule
 * for `licbridge run` (pipelines/run-pipelines.ts) and `licbridge worker` (below).
 */
export function extractFailedAfterExtraction(message: string, run: Pick<StoredRun, 'extractedAt'>): boolean {
  return message.startsWith(`${EXTRACT_QUEUE}: `) && Boolean(run.extractedAt);
}

/** What became of one failure: recorded, the run left as it was, or not recorded (the ledger failed). */
export type RunFailureOutcome = 'failed' | 'kept' | 'unrecorded';

/** Records `message` as the failure of run `runId`, unless the run's outcome stands (see above). */
export async function recordRunFailure(
  ledger: Pick<Ledger, 'getRun' | 'finishRun'>,
  runId: string,
  message: string,
  log: Logger,
): Promise<RunFailureOutcome> {
  const run = await ledger.getRun(runId);
  if (run?.state !== 'running') return 'kept';
  if (extractFailedAfterExtraction(message, run)) {
    log.warn(
      { pipeline: run.pipeline, runId, error: message },
      'worker: the extract job failed after the run was extracted; the run ends when its versions are signed and delivered',
    );
    return 'kept';
  }
  const finished = await ledger.finishRun(runId, { state: 'failed', error: message });
  if (!finished.applied) return 'kept';
  log.warn({ pipeline: run.pipeline, runId, error: message }, 'worker: run failed');
  return 'failed';
}

/**
 * Records every `runFailed` of `events` in the ledger; `flush()` waits for those under way, and
 * `stop()` records no more (before the ledger closes: a late one would open it again).
 */
export function recordRunFailures(
  events: EventEmitter,
  ledger: () => Promise<Pick<Ledger, 'getRun' | 'finishRun'>>,
  log: Logger,
): { flush(): Promise<void>; stop(): void } {
  const pending = new Set<Promise<unknown>>();
  const record = (runId: string, message: string): void => {
    const p = ledger()
      .then((l) => recordRunFailure(l, runId, message, log))
      .catch((e: unknown) =>
        log.error(
          { runId, failure: message, error: errorLine(e) },
          'worker: a run failed but its failure could not be recorded in the ledger',
        ),
      )
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  events.on('runFailed', record);
  return {
    async flush() {
      await Promise.all([...pending]);
    },
    stop() {
      events.off('runFailed', record);
    },
  };
}
