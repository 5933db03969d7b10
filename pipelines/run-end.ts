/**
 * How `licbridge run` ends (pipelines/run-pipelines.ts) when its runs did not settle — given up
 * (run-given-up.ts) or stopped (run-stop.ts) — and what it lets go of however it ended: the
 * heartbeat, the workers, the queues, the pipelines' leases and the connections, each within a
 * bound. Runs that settled were ended by the poll loop (run-settle.ts).
 */
import { errorLine } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { STOP_PART_MS, within } from '../core/within.js';
import { releasePipelines } from './pipeline-lease.js';
import type { QueueSet } from './queues.js';
import { closeQueuesWithin } from './queues-close.js';
import { endGivenUp } from './run-given-up.js';
import type { RunHold } from './run-start.js';
import { endStopped, RunStopped } from './run-stop.js';
import type { Runtime } from './runtime.js';
import { closeWorkersWithin } from './workers.js';

/**
 * A run that gives up, or is stopped, says so in the ledger instead of staying `running`; a
 * stopped one first, so that its extract jobs read no further page while the workers stop.
 */
export async function endUnsettled(rt: Runtime, hold: RunHold, error: unknown, log: Logger): Promise<void> {
  const { runs } = hold;
  const ledger = runs.length > 0 ? await rt.ledger().catch(() => undefined) : undefined;
  // Bounded as the rest of the stop: a ledger that stopped answering must not hold it for good;
  // the runs left `running` are closed by the next run, which finds this process gone.
  if (error instanceof RunStopped) {
    if (!(await within(endStopped(ledger, error, log), STOP_PART_MS)))
      log.warn('run: the stopped runs were not ended in time; the next run closes them');
  } else if (runs.length > 0) await endGivenUp(ledger, runs, errorLine(error));
}

/** Lets go of what the run held, whether its work was complete (`settled`) or not. */
export async function letGo(
  rt: Runtime,
  queues: QueueSet,
  hold: RunHold,
  settled: boolean,
  log: Logger,
): Promise<void> {
  hold.stopHeartbeat?.();
  // Bounded: after Redis restarted under them, BullMQ's close can wait on jobs Redis no longer
  // knows, and a processor cut off that way may still hold a ledger connection. The ledger
  // already holds every outcome, so stopping hard loses nothing.
  // A close that fails goes on to the next: the leases are let go whatever the workers did.
  await closeWorkersWithin(hold.workers, () => log.warn('run: workers did not stop in time; stopping hard'));
  await closeQueuesWithin(queues, STOP_PART_MS);
  // Another run of the pipelines may start now; unreached, the leases run out by themselves.
  await within(releasePipelines(hold.leased?.ledger, hold.leased?.runs ?? []), STOP_PART_MS);
  if (!(await within(rt.close(), STOP_PART_MS))) log.warn('run: connections did not close in time');
  if (!settled) log.debug('run: ended before its work was complete');
}
