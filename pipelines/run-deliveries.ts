import { endedAt } from '../ledger/run-progress.js';
import type { RunProgress } from '../ledger/types-runs.js';
import type { RunSummary } from './run-pipelines.js';

/**
 * Per target, what a run's summary says of its deliveries (delivered, dead-lettered and, when
 * any, discarded), and whether every version it created is signed and ended at every target.
 */
export function runDeliveries(
  progress: RunProgress,
  targets: readonly string[],
): Pick<RunSummary, 'delivered' | 'deadLettered' | 'discarded'> & { worked: boolean } {
  const delivered: Record<string, number> = {};
  const deadLettered: Record<string, number> = {};
  const discarded: Record<string, number> = {};
  let worked = progress.signed >= progress.created;
  for (const t of targets) {
    delivered[t] = progress.delivered[t] ?? 0;
    deadLettered[t] = progress.dead[t] ?? 0;
    discarded[t] = progress.discarded[t] ?? 0;
    // A dead letter discarded by an operator ends its version too (ledger/runs.ts, endedAt).
    if (endedAt(progress, t) < progress.created) worked = false;
  }
  const anyDiscarded = Object.values(discarded).some((n) => n > 0);
  return { delivered, deadLettered, ...(anyDiscarded ? { discarded } : {}), worked };
}
