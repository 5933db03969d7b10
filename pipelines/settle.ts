/**
 * Waiting until queued work has settled, for the use cases that work their own jobs in process
 * (the lifecycle tick, repairs, dead-letter replay). Every `intervalMs` the caller looks (at the
 * ledger, the queues): done ends the wait; a changed `progress` text restarts the idle clock.
 * With `sweep`, a wait without progress for `sweepAfterMs` re-enqueues from the ledger what a
 * lost job held — which is not progress (./sweep.ts, SweepSchedule) — and a wait without progress
 * for `idleTimeoutMs`, with no job of its pipelines in a live worker's hands (`inFlight`), gives up
 * (./idle-rule.ts). `licbridge run` drives the same schedule with its own loop, as it also
 * heartbeats its runs and reports per run.
 *
 * A look the ledger did not answer (away for its whole retry budget, `ledger.retryBudgetMs`) is
 * looked again, as `licbridge run`'s polls are (./run-poll.ts): the workers go on and the ledger
 * keeps what they do. The budget is as long as the idle time by default, so a look that waited it
 * out would end the wait as idle, or with the ledger's error, the moment it failed; the time looks
 * spend failing is left out of the idle time, and a ledger unreadable for the idle time after a
 * look first found it so ends the wait with its error.
 */
import { errorLine } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { IdleSchedule } from './idle-rule.js';
import { LedgerOutage, ledgerAway } from './run-poll.js';

export interface SettleLook {
  done: boolean;
  /** Text that changes whenever the work moves (counts, states). */
  progress: string;
}

export interface SettleOptions {
  /** Give up when nothing has moved for this long, ms, and nothing is `inFlight`. */
  idleTimeoutMs: number;
  /**
   * Whether a live worker works a job of the wait's pipelines (`jobsInFlight`, ./idle-rule.ts):
   * the time it does counts as not idle. @defaultValue nothing counts so
   */
  inFlight?: () => Promise<boolean>;
  /** Re-enqueue from the ledger what lost jobs held; returns the jobs added. */
  sweep?: () => Promise<number>;
  /** Sweep after this long without progress, ms. @defaultValue {@link SWEEP_AFTER_MS} */
  sweepAfterMs?: number;
  /** Between looks, ms. @defaultValue {@link LOOK_INTERVAL_MS} */
  intervalMs?: number;
  /** Told of a look the ledger did not answer. */
  log?: Logger;
}

/** A use case's own jobs are few and short: a lost one is looked for after 3 s without progress. */
export const SWEEP_AFTER_MS = 3000;
export const LOOK_INTERVAL_MS = 200;

/** `settled` when a look said done; `idle` when nothing moved for `idleTimeoutMs`. */
export async function waitUntilSettled(
  look: () => Promise<SettleLook>,
  options: SettleOptions,
): Promise<'settled' | 'idle'> {
  const outage = new LedgerOutage();
  const schedule = new IdleSchedule({
    sweepAfterMs: options.sweep ? (options.sweepAfterMs ?? SWEEP_AFTER_MS) : options.idleTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    now: outage.clock,
    ...(options.inFlight ? { inFlight: options.inFlight } : {}),
  });
  const pause = () => new Promise((r) => setTimeout(r, options.intervalMs ?? LOOK_INTERVAL_MS));
  let last: string | undefined;
  for (;;) {
    const began = Date.now();
    let seen: SettleLook;
    try {
      seen = await look();
    } catch (e) {
      if (!ledgerAway(e) || outage.unread(began) > options.idleTimeoutMs) throw e;
      options.log?.warn({ error: errorLine(e) }, 'wait: the ledger did not answer; looking again');
      await pause();
      continue;
    }
    outage.read();
    if (seen.done) return 'settled';
    if (seen.progress !== last) {
      if (last !== undefined) schedule.progressed();
      last = seen.progress;
    }
    const next = await schedule.step();
    if (next === 'give-up') return 'idle';
    if (next === 'sweep' && options.sweep) {
      // A sweep reads the ledger too: one it did not answer is as a look it did not answer.
      const sweepBegan = Date.now();
      try {
        schedule.swept(await options.sweep());
      } catch (e) {
        if (!ledgerAway(e) || outage.unread(sweepBegan) > options.idleTimeoutMs) throw e;
        options.log?.warn({ error: errorLine(e) }, 'wait: the ledger did not answer a sweep; looking again');
      }
    }
    await pause();
  }
}
