/**
 * `licbridge run` asked to stop before its work was complete: SIGTERM from systemd or an operator,
 * SIGINT from a terminal. Ended by the signal itself, its process left its runs `running` and its
 * pipelines leased until the leases ran out (30 s): a scheduled firing on another host in that
 * window was skipped, and the runs stayed `running` until a later run judged their process gone.
 * Asked to stop, it ends its runs `abandoned` first, so that every extract job working them (here
 * or in a `licbridge worker`) reads no further page; the pipelines are then let go as the run's
 * process ends (run-end.ts). The checkpoint stands at the last committed page, and the next
 * run reads on from it and finishes what was left unsigned or undelivered (run-recovery.ts).
 */
import { failureMessage } from '../core/errors.js';
import { type Logger, rootLogger } from '../core/logger.js';
import type { Ledger } from '../ledger/ledger.js';
import { ledgerAway } from './run-poll.js';

/** `licbridge run` stopped on `signal` before its runs' work was complete; they are `abandoned`. */
export class RunStopped extends Error {
  constructor(
    /** The signal that asked the run to stop (`SIGTERM`, `SIGINT`). */
    readonly signal: string,
    /** The runs it was driving (some perhaps not started yet). */
    readonly runs: readonly { pipeline: string; runId: string }[],
    /** The command stopped, as its messages name it: `run`, `reconcile --repair`. */
    readonly command = 'run',
  ) {
    super(`${command}: stopped by ${signal} before its work was complete`);
    this.name = 'RunStopped';
  }

  /** The runs `endStopped` ended `abandoned`. */
  readonly abandoned: { pipeline: string; runId: string }[] = [];
}

/** Throws `RunStopped` once `stop` is aborted; its reason names the signal. */
export function throwIfStopped(
  stop: AbortSignal | undefined,
  runs: readonly { pipeline: string; runId: string }[],
  command = 'run',
): void {
  if (stop?.aborted) throw new RunStopped(String(stop.reason ?? 'a signal'), runs, command);
}

/**
 * `work`'s outcome, unless `stop` is aborted and `work` has not ended `graceMs` later: then
 * `RunStopped` for the runs `runs()` names by then. The work hears a stop at its next pause and
 * ends by itself; one waiting on a service that stopped answering (a Redis command sent, its
 * answer never coming, which ioredis waits for without a bound) never got there, and the stop
 * with it. Left behind, such work fails once the stop drops the connections it waits on.
 */
export async function unlessStuckAfterStop<T>(
  work: Promise<T>,
  stop: AbortSignal | undefined,
  runs: () => readonly { pipeline: string; runId: string }[],
  graceMs: number,
  command = 'run',
): Promise<T> {
  if (!stop) return work;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stuck = new Promise<never>((_, reject) => {
    onAbort = () => {
      timer = setTimeout(
        () => reject(new RunStopped(String(stop.reason ?? 'a signal'), runs(), command)),
        graceMs,
      );
    };
    if (stop.aborted) onAbort();
    else stop.addEventListener('abort', onAbort, { once: true });
  });
  // Its late failure (once its connections are dropped) is not an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, stuck]);
  } finally {
    clearTimeout(timer);
    if (onAbort) stop.removeEventListener('abort', onAbort);
  }
}

/** Waits `ms`, or less when `stop` is aborted meanwhile. */
export function pauseUnlessStopped(ms: number, stop: AbortSignal | undefined): Promise<void> {
  if (stop?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Ends each run still `running` as `abandoned`, saying the next run resumes it. A ledger that
 * cannot be reached leaves them as they are: a later run closes them once it finds this process
 * gone (run-recovery.ts). Any other refusal leaves that run so too, and is logged: else the run
 * stays `running` until a later run closes it, with no trace of why.
 */
export async function endStopped(
  ledger: Pick<Ledger, 'getRun' | 'finishRun'> | undefined,
  stopped: RunStopped,
  logger: Logger = rootLogger(),
): Promise<void> {
  if (!ledger) return;
  for (const r of stopped.runs) {
    try {
      const run = await ledger.getRun(r.runId);
      if (run?.state !== 'running') continue;
      const finished = await ledger.finishRun(r.runId, {
        state: 'abandoned',
        error: `\`licbridge ${stopped.command}\` was stopped (${stopped.signal}) before its work was complete; the pipeline's next run resumes it from the checkpoint`,
      });
      if (finished.applied) stopped.abandoned.push(r);
    } catch (e) {
      if (ledgerAway(e)) return;
      // Masked as a stored error is (failureMessage): a driver's words may quote a row's value.
      const { code, message } = failureMessage(e, { bounded: false });
      logger.warn(
        { pipeline: r.pipeline, runId: r.runId, code },
        `${stopped.command}: run ${r.runId} was not ended abandoned: ${message}; the next run closes it`,
      );
    }
  }
}
