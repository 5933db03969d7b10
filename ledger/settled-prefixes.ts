/**
 * The settled prefixes `runProgress` (ledger/run-progress.ts) starts from, one per run, seal and
 * targets: a run's polls count only what is still under way. A ledger keeps them for its life; a
 * run's entry is a few numbers.
 */
import { emptyPrefix, type SettledPrefix } from './run-progress.js';

export class SettledPrefixes {
  readonly #byRun = new Map<string, SettledPrefix>();

  /** The prefix of this run under this seal and these targets (in any order); empty the first time. */
  of(runId: string, sealId: string, targets: readonly string[]): SettledPrefix {
    const key = JSON.stringify([runId, sealId, [...targets].sort()]);
    let settled = this.#byRun.get(key);
    if (!settled) {
      settled = emptyPrefix();
      this.#byRun.set(key, settled);
    }
    return settled;
  }
}
