/**
 * A daily tick given up (pipelines/workers/stalled-checks.ts: stalled out past its copy) is
 * recorded in the ledger with its day, so `status` names the day until a tick finishes after it
 * (`lifecycle-tick-lost`, pipelines/observability/tick-attention.ts) instead of it living only in
 * one worker's log at error. The next day's tick expires what it left; `licbridge lifecycle run`
 * does so at once. A finished tick settles the days lost before it started (tick.ts).
 */
import type { Job } from 'bullmq';
import { errorLine } from '../../core/errors.js';
import type { Runtime } from '../runtime.js';
import type { CheckStallOutcome } from '../workers/stalled-checks.js';
import { lifecycleToday } from './settings.js';

/** Records `outcome` when it is a tick lost; says so in its message when even that fails. */
export async function recordLostTick(
  rt: Runtime,
  job: Pick<Job, 'id'>,
  outcome: CheckStallOutcome,
): Promise<CheckStallOutcome> {
  if (outcome.kind !== 'lost') return outcome;
  try {
    const ledger = await rt.ledger();
    await ledger.lostTicks.record({
      jobId: job.id ?? 'job',
      day: lifecycleToday(rt.config)(),
      reason: outcome.message,
    });
    return outcome;
  } catch (error) {
    return {
      kind: 'lost',
      message: `${outcome.message}; the lost tick could not be recorded for \`licbridge status\` either: ${errorLine(error)}`,
    };
  }
}
