/**
 * A daily tick given up is recorded in the ledger with its day, so `status` names the day until a
 * tick finishes after it (`lifecycle-tick-lost`, pipelines/observability/tick-attention.ts) instead
 * of it living only in one worker's log at error. A tick is given up when it stalled out past its
 * copy (pipelines/workers/stalled-checks.ts) or failed its last attempt (pipelines/workers.ts).
 * The next day's tick expires what it left; `licbridge lifecycle run` does so at once. A finished
 * tick settles the days lost before it started (tick.ts).
 */
import type { Job } from 'bullmq';
import { errorLine } from '../../core/errors.js';
import type { Runtime } from '../runtime.js';
import type { CheckStallOutcome } from '../workers/stalled-checks.js';
import { tickJobDay } from './tick-job.js';

/** Why a tick's job that failed its last attempt (an error, not a stall-out) is given up: ids only. */
export function tickFailedForGood(queue: string, job: Pick<Job, 'id' | 'attemptsMade'>): string {
  return `${queue}: job ${job.id ?? ''} failed its last attempt (${job.attemptsMade} made; the worker log's \`job: failed for good\` line has the error)`;
}

/** Records a stall-out's `outcome` when it is a tick lost (see {@link recordLostTick}). */
export async function recordStalledTick(
  rt: Runtime,
  job: Pick<Job, 'id' | 'processedOn'>,
  outcome: CheckStallOutcome,
): Promise<CheckStallOutcome> {
  if (outcome.kind !== 'lost') return outcome;
  return { kind: 'lost', message: await recordLostTick(rt, job, outcome.message) };
}

/**
 * Records the tick of `job` as lost for `reason`; returns the reason, with why it could not be
 * recorded when even that fails. Its day is the one the tick ticks (tickJobDay): judged from when
 * its last attempt was taken up (`processedOn`), not when the loss is noticed — a few stalls after
 * a tick shortly before midnight already fall on the next day. A restored tick of an earlier day
 * ticks that day (tick-job.ts), and is lost for it: recorded for the day it was taken up, `status`
 * named a day whose tick had not failed, and not the one lost. A job of a day the ledger had not
 * reached when it was taken up (fired at midnight by a worker ahead of the ledger) waits for that
 * day and ticks it: recorded for the ledger's day then, the day before, a tick of that day settled
 * the loss with the lost day's expiries undone.
 */
export async function recordLostTick(
  rt: Runtime,
  job: Pick<Job, 'id' | 'processedOn'>,
  reason: string,
): Promise<string> {
  try {
    const ledger = await rt.ledger();
    // `processedOn` is the worker's clock: moved onto the ledger's by this host's offset from it, as
    // the tick that settles the loss takes its day from the ledger's clock. A host minutes ahead
    // dated a loss shortly before midnight the next day, which that day's ticks could not settle.
    const ledgerNow = await ledger.lostTicks.now();
    const offsetMs = ledgerNow.getTime() - Date.now();
    const takenUp = job.processedOn ? new Date(job.processedOn + offsetMs) : ledgerNow;
    await ledger.lostTicks.record({
      jobId: job.id ?? 'job',
      day: tickJobDay(rt.config, job.id ?? '', takenUp),
      reason,
    });
    return reason;
  } catch (error) {
    return `${reason}; the lost tick could not be recorded for \`licbridge status\` either: ${errorLine(error)}`;
  }
}
