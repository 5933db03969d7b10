/**
 * The failures `licbridge run` hears from its workers (their `runFailed` events), per run. A run's
 * failure is the first one heard: the cause, which a worker process records in the ledger the same
 * way (pipelines/workers/run-failures.ts keeps a run's outcome once it has one). Later failures of
 * the same run — each stalled-out copy of a poison job, say — do not replace it: a summary whose
 * error text changed at every poll counted as progress, and a failed run that waits for its work
 * to go out until nothing moves (run-watch.ts) waited on, `sweepAfterMs` after each of them.
 *
 * An extract job failing for good after its run was extracted is not the run's failure (its
 * licenses are all in the ledger; extractFailedAfterExtraction): while the run is running or done,
 * such a failure is passed over, told once, and the next one heard, if any, is the run's.
 */
import type { StoredRun } from '../ledger/ledger.js';
import { extractFailedAfterExtraction } from './workers/run-failures.js';

export class HeardFailures {
  readonly #byRun = new Map<string, string[]>();

  /** A run's job failed for good with `message`. */
  add(runId: string, message: string): void {
    const heard = this.#byRun.get(runId);
    if (heard) heard.push(message);
    else this.#byRun.set(runId, [message]);
  }

  /**
   * The failure of run `runId` as heard so far, `run` its row as just read; `passedOver` is told
   * each extract failure after extraction once, as it is dropped.
   */
  failureOf(
    runId: string,
    run: Pick<StoredRun, 'extractedAt' | 'state'>,
    passedOver: (message: string) => void,
  ): string | undefined {
    const heard = this.#byRun.get(runId);
    const finishing = run.state === 'running' || run.state === 'done';
    while (finishing && heard?.[0] !== undefined && extractFailedAfterExtraction(heard[0], run)) {
      passedOver(heard.shift() as string);
    }
    return heard?.[0];
  }
}
