/**
 * One look of `licbridge run` at a run: its row and its progress (pipelines/run-pipelines.ts).
 * A look the ledger cannot answer is a warning, not the run's failure: the work goes on in the
 * workers and the ledger keeps every outcome, so the next look, a poll later, counts it. The
 * ledger call has already retried what may pass (ledger/db.ts): such a failure is a ledger away
 * for its whole retry budget, or a pool that handed no connection over in time. A run the
 * ledger keeps failing to show still ends by its idle timeout, as nothing is seen to move.
 */
import { ErrorCodes, errorLine, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Ledger, RunProgress, StoredRun } from '../ledger/ledger.js';

export interface PolledRun {
  run: StoredRun;
  progress: RunProgress;
}

/** The run's row and progress; `undefined`, with a warning, when the ledger could not be read. */
export async function pollRun(
  ledger: Ledger,
  { pipeline, runId }: { pipeline: string; runId: string },
  sealId: string,
  targets: readonly string[],
  log: Logger,
): Promise<PolledRun | undefined> {
  let read: [StoredRun | null, RunProgress];
  try {
    read = await Promise.all([ledger.getRun(runId), ledger.runProgress(runId, sealId, targets)]);
  } catch (e) {
    log.warn(
      { pipeline, runId, error: errorLine(e) },
      'run: progress not read; the next poll reads it again',
    );
    return undefined;
  }
  const [run, progress] = read;
  if (!run) throw new LicbridgeError(ErrorCodes.LEDGER, `run: run ${runId} vanished from the ledger`);
  return { run, progress };
}
