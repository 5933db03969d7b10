/**
 * One look of `licbridge run` at a run: its row and its progress (pipelines/run-pipelines.ts).
 * A look the ledger cannot answer is a warning, not the run's failure: the work goes on in the
 * workers and the ledger keeps every outcome, so the next look, a poll later, counts it. The
 * ledger call has already retried what may pass (ledger/db.ts): such a failure (`retryable`) is
 * a ledger away for its whole retry budget, or a pool that handed no connection over in time.
 * Any other failure (a statement the database refuses, a closed ledger) would fail every poll
 * alike, and fails the run at once, as before. A ledger that stays away ends the run (see
 * {@link LedgerOutage}).
 */
import { ErrorCodes, errorLine, isLicbridgeError, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Ledger, RunProgress, StoredRun } from '../ledger/ledger.js';

export interface PolledRun {
  run: StoredRun;
  progress: RunProgress;
}

/** Whether a ledger call failed only because the ledger was away for its whole retry budget. */
export function ledgerAway(e: unknown): boolean {
  return isLicbridgeError(e) && e.code === ErrorCodes.LEDGER && e.retryable;
}

/** The run's row and progress; `undefined`, with a warning, when the ledger was away. */
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
    if (!ledgerAway(e)) throw e;
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

/**
 * The ledger as `licbridge run`'s polls found it, and the clock its idle timeout runs on. A poll
 * that failed waited out the ledger's retry budget (two minutes by default, as long as the run's
 * idle timeout): that time is not time the run saw nothing move, so the idle clock ({@link clock})
 * stands still while a poll fails, and goes on from where it stood once polls read the ledger
 * again. It does not start again: a read is not progress, and a ledger that failed every other
 * poll kept a run where nothing moved from ever ending. A ledger that stays unreadable for the
 * idle timeout after a poll first found it so ends the run.
 */
export class LedgerOutage {
  readonly #now: () => number;
  #since: number | undefined;
  /** Time polls spent failing, ms: left out of {@link clock}. */
  #failingMs = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The idle clock: the time less what polls spent failing, ms (for SweepSchedule's `now`). */
  readonly clock = (): number => this.#now() - this.#failingMs;

  /**
   * A poll begun at `polled` (by the clock given to the constructor) could not read the ledger:
   * how long it has not been read since a poll first found so, ms.
   */
  unread(polled: number): number {
    const now = this.#now();
    this.#failingMs += Math.max(0, now - polled);
    this.#since ??= now;
    return now - this.#since;
  }

  /** A poll read the ledger: the outage, if any, is over. */
  read(): void {
    this.#since = undefined;
  }
}
