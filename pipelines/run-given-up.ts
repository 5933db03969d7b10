/** How `licbridge run` leaves the runs it drove when it gives up (idle timeout, a lost ledger or Redis). */

import { failureMessage } from '../core/errors.js';
import type { Ledger } from '../ledger/ledger.js';
import { ledgerAway } from './run-poll.js';

/**
 * Each run still `running` ends `failed` with the error — or, when its extraction was over,
 * `abandoned`: its licenses are all in the ledger, and what stopped is their signing and delivery,
 * which the next run finishes. Failed, it would stay failed after they were delivered. Whether it
 * was over is judged as the run is ended, not from the read before it. A ledger
 * that cannot be reached leaves the runs as they are (status shows them abandoned once their
 * process is gone): the first call that finds it away (after its whole retry budget) ends the
 * attempt, rather than each run waiting out a budget of its own — a run given up for a ledger
 * outage would otherwise stop minutes per run later.
 */
export async function endGivenUp(
  ledger: Ledger | undefined,
  runs: readonly { runId: string }[],
  /** The error as one line told before (errorLine, storedReason). */
  error: string,
  /** The command that gave up, as the runs' errors name it. */
  command = '`licbridge run`',
): Promise<void> {
  if (!ledger) return;
  // The error may quote a value (a checkpoint key, a driver's message): the ledger keeps it and
  // status shows it, so it is made safe as status shows a source's error (failureMessage). Told
  // before, its driver's backticks were hidden there; those left are licbridge's own.
  const masked = failureMessage(error, { toldSafe: true }).message;
  for (const r of runs) {
    try {
      const run = await ledger.getRun(r.runId);
      if (run?.state !== 'running') continue;
      const abandoned = {
        state: 'abandoned',
        error: `its extraction was complete; then ${command} stopped before its versions were signed and delivered: ${masked}; a later run finishes the work`,
      } as const;
      // Still extracting when read, it may be marked extracted before it is ended (an extract job
      // of a `licbridge worker`, a repair's re-read): the ledger judges it as it ends the run.
      await ledger.finishRun(
        r.runId,
        run.extractedAt ? abandoned : { state: 'failed', error: masked, ifExtracted: abandoned },
      );
    } catch (e) {
      // The ledger is what failed: the run stays as it is, and so do the rest if it is away.
      if (ledgerAway(e)) return;
    }
  }
}
