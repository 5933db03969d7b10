/**
 * The heartbeat of a process that drives runs: `licbridge run` (run-start.ts), a repair
 * (reconcile/apply-repairs.ts) and `licbridge lifecycle run` (lifecycle/run-tick.ts). Each beat
 * records that the runs still have their owner (ledger `heartbeatRuns`), so that a process killed
 * (SIGKILL, a crash) leaves runs judged abandoned once their heartbeat is old (run-liveness.ts),
 * not runs `running` for good; then it renews the runs' pipeline leases, if they hold any
 * (pipeline-lease.ts). A beat that fails is told and the next one comes as usual: a ledger away
 * for a while must not stop the beating for good, or the runs would be judged dead once it is back.
 *
 * Beside run-liveness.ts, not in it: pipeline-lease.ts reads run-liveness.ts's constants as it
 * loads, and importing it there would load the two in a cycle.
 */
import { errorLine } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Ledger } from '../ledger/ledger.js';
import { everyInTurn, renewPipelines } from './pipeline-lease.js';
import { HEARTBEAT_MS } from './run-liveness.js';

export interface RunBeat {
  /** This process, as its runs and leases name it (`processOwner()`). */
  owner: string;
  /**
   * The runs beaten for, read again at each beat: a lifecycle tick records its runs as it goes
   * (lifecycle/tick.ts). None yet: the beat records nothing.
   */
  runs: () => readonly string[];
  /**
   * The runs' pipeline leases, renewed after each heartbeat recorded (not after one that failed).
   * None (a tick's runs hold no lease): nothing is renewed. @defaultValue none
   */
  leases?: readonly { pipeline: string; runId: string }[];
  logger: Logger;
  /** Bound to each warning; keys we control only (a pipeline, a run id), never a row's value. */
  bindings?: Readonly<Record<string, string>>;
  /**
   * The warnings' words: `lost` once for each pipeline a run holds no more (bound as `pipeline`),
   * `failed` for a beat not recorded (its error bound as `error`).
   */
  say: { lost?: string; failed: string };
  /**
   * How a failed beat's error is told in its warning. A driver's words may carry a connection URL
   * with its password or a row's value: either way it is made safe as a stored error is
   * (core/errors.ts). @defaultValue errorLine
   */
  reason?: (error: unknown) => string;
  /** Between beats, ms. @defaultValue {@link HEARTBEAT_MS} */
  everyMs?: number;
}

/**
 * Beats for the runs every `everyMs`, one beat at a time (`everyInTurn`: during a ledger outage a
 * beat waits in its retries, and more piled behind it would all take a connection at once when the
 * database is back). Returns the stop: no beat starts after it, and one under way renews no lease
 * and tells nothing once it has come. Its caller lets the runs and leases go next (run-end.ts): a
 * heartbeat slow on the ledger that renewed after that found the leases let go and warned of a
 * takeover by another run that never was, and one that failed on the ledger closed warned too. Its
 * heartbeat, already sent, takes no run back (ledger `heartbeatRuns` leaves a run let go as it is).
 */
export function beatForRuns(
  ledger: Pick<Ledger, 'heartbeatRuns' | 'pipelineLeases'>,
  beat: RunBeat,
): () => void {
  const { owner, leases, logger, bindings = {}, say } = beat;
  const reason = beat.reason ?? errorLine;
  let stopped = false;
  const once = async (): Promise<void> => {
    await ledger.heartbeatRuns(beat.runs(), owner);
    if (!leases || stopped) return;
    const lost = await renewPipelines(ledger, leases, owner);
    if (stopped || say.lost === undefined) return;
    for (const pipeline of lost) logger.warn({ ...bindings, pipeline }, say.lost);
  };
  const stopTimer = everyInTurn(
    () =>
      once().catch((e: unknown) => {
        if (!stopped) logger.warn({ ...bindings, error: reason(e) }, say.failed);
      }),
    beat.everyMs ?? HEARTBEAT_MS,
  );
  return () => {
    stopped = true;
    stopTimer();
  };
}
