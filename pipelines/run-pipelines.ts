/**
 * `licbridge run`: what it is asked (RunOptions), what it answers (RunSummary) and the order of
 * its parts — the start (run-start.ts), the poll loop (run-watch.ts) and the end (run-end.ts).
 */
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { STOP_PART_MS } from '../core/within.js';
import type { PipelineBacklog, RunAbsentElements } from '../ledger/ledger.js';
import { createQueues } from './queues.js';
import { assertRedisReachable, queueConnection } from './redis.js';
import { endUnsettled, letGo } from './run-end.js';
import { processOwner } from './run-liveness.js';
import { cutShort } from './run-settle.js';
import { type RunHold, startRuns } from './run-start.js';
import { RunStopped, unlessStuckAfterStop } from './run-stop.js';
import { watchRuns } from './run-watch.js';
import { Runtime } from './runtime.js';

export { runDeliveries } from './run-deliveries.js';

export interface RunSummary {
  pipeline: string;
  runId: string;
  /**
   * `in-review`: the run's work is done but for deliveries a platform still reviews, and no
   * verdict came for the target's `reviewWaitMs` (pipelines/run-review.ts); `inReview` counts them.
   */
  state: 'done' | 'failed' | 'in-review';
  read: number;
  created: number;
  unchanged: number;
  quarantined: number;
  signed: number;
  delivered: Record<string, number>;
  deadLettered: Record<string, number>;
  /**
   * Per target: deliveries of the pipeline (this run's and earlier runs') the platform answered
   * `submitted` and had not decided when the run ended `in-review`; absent otherwise.
   */
  inReview?: Record<string, number>;
  /**
   * Per target: the run's dead letters an operator discarded (`dlq discard`) before it ended,
   * counted neither delivered nor dead-lettered; absent when there are none.
   */
  discarded?: Record<string, number>;
  error?: string;
  /** The light check after the run (`reconcile.afterRun: light`), stored in the ledger as `reportId`. */
  check?: RunCheck;
  /**
   * Work earlier runs had left (a killed `run`, a lost queue) that this run finished: versions
   * then unsigned, and per target signed versions then without a final delivery.
   */
  recovered?: PipelineBacklog;
  /** Quarantined rows per reason code, most frequent first (set once the run settled). */
  quarantineByReason?: Record<string, number>;
  /**
   * Export files the run read whose records all leave out elements the config names (read as
   * null, not quarantined), each counted once, and the element names; absent when none did.
   */
  absentElements?: RunAbsentElements;
}

/**
 * Source keys against ledger licenses after a run, as the light check counts them. `differences`
 * is the light check's own count of differences (missed and deleted keys, each named in its
 * stored report); deletions the policy already answered, and ended licenses whose rows are gone,
 * are not among them. `error` when the check itself failed (the run stands); `notMade` when the
 * source's `readWindow` was closed as the run ended: the source may not be read then, and a run
 * scheduled outside the window on purpose (it finishes earlier runs' signing and delivery) is no
 * run to flag.
 */
export type RunCheck =
  | {
      reportId: string;
      sourceKeys: number;
      ledgerLicenses: number;
      quarantined: number;
      differences: number;
      /** Stand-in keys no row gives any more (the report names them); absent when none. */
      standInsNotSeen?: number;
    }
  | { error: string }
  | { notMade: string };

export interface RunOptions {
  pipelines: readonly string[];
  full: boolean;
  logger: Logger;
  /** Called about once a second while the run works. */
  onProgress?(summaries: readonly RunSummary[]): void;
  /**
   * Give up when nothing has moved for this long, ms, and no job of the run is worked (idle-rule.ts);
   * not while all that is left is deliveries a platform reviews (`reviewWaitMs`). @defaultValue 120000
   */
  idleTimeoutMs?: number;
  /**
   * With nothing left but deliveries a platform reviews, end the run `in-review` once no verdict
   * has come for this long, ms. @defaultValue the longest `reviewWaitMs` of the targets reviewing
   */
  reviewWaitMs?: number;
  /**
   * Work the stages with workers in this process. `false`: only enqueue and wait, while
   * `licbridge worker` processes do the work. @defaultValue true
   */
  workInProcess?: boolean;
  /**
   * When nothing has moved for this long, enqueue again what the ledger shows unfinished (work
   * lost with a restarted Redis, left by a killed run or held by a dead worker), ms. @defaultValue 3000
   */
  sweepAfterMs?: number;
  /** Longest wait for the queues to empty once the work is done, ms. @defaultValue 30000 */
  drainTimeoutMs?: number;
  /** Longest pause between two polls of the runs, however long the last one took, ms; above 0. @defaultValue 5000 */
  pollPauseMaxMs?: number;
  /**
   * Aborted (its reason the signal's name), the run stops before its work is complete: its runs
   * end `abandoned` and the call rejects with `RunStopped` once the pipelines are let go
   * (run-stop.ts). Aborted once the work was complete, the call resolves with the summaries, what
   * the settling had left undone (the queues emptied, the light check) left to the next run.
   */
  stop?: AbortSignal;
}

/**
 * `licbridge run`: enqueues one extract job per pipeline, works every stage with in-process
 * workers (other worker processes may help), and returns what each run did. A run ends `done`
 * only when every version it created is signed and every delivery it owes is accepted or
 * dead-lettered — and only once what earlier runs left of the same pipelines (a killed `run`,
 * jobs of a dead worker, deliveries whose lease ran out) is finished too.
 */
export async function runPipelines(config: Readonly<Config>, options: RunOptions): Promise<RunSummary[]> {
  const pollPauseMaxMs = options.pollPauseMaxMs ?? 5_000;
  // Not above 0 (NaN neither), it would poll the ledger again and again without a pause.
  if (!(pollPauseMaxMs > 0)) {
    const got = `got \`${pollPauseMaxMs}\` (${typeof pollPauseMaxMs})`;
    throw new LicbridgeError(ErrorCodes.USAGE, `run: Expected \`pollPauseMaxMs\` above 0 ms, ${got}`);
  }
  await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
  const log = options.logger;
  const rt = new Runtime(config, log);
  const connection = queueConnection(config.queue.redis);
  const targets = [...new Set(options.pipelines.flatMap((p) => rt.pipelineConfig(p).targets))];
  const queues = createQueues(connection, config.queue.prefix, targets, log);
  const hold: RunHold = { owner: processOwner(), runs: [] };
  let settledAll = false;
  // The runs' summaries once their work was found complete, before they were settled.
  let complete: RunSummary[] | undefined;
  try {
    // Bounded once stopped: a start or a poll waiting on a Redis that stopped answering would
    // otherwise hold the stop for good (run-stop.ts).
    const work = (async () => {
      const started = await startRuns(config, rt, queues, connection, options, hold);
      return watchRuns(config, rt, queues, started, options, {
        owner: hold.owner,
        pollPauseMaxMs,
        onComplete: (s) => {
          complete = s;
        },
      });
    })();
    const summaries = await unlessStuckAfterStop(work, options.stop, () => hold.runs, STOP_PART_MS);
    settledAll = true;
    return summaries;
  } catch (error) {
    // Stopped once the work was complete, a step of the settling (emptying the queues on a Redis
    // that stopped answering, a ledger write) outlasting the stop's bound: the work stands, and
    // the run is no run stopped before its work was complete. Taken for one, it ended runs done
    // `abandoned` and said it stopped before its work was complete, printing no summary. What the
    // settling left is the next run's, as for a stop it heard (docs/operations.md, "Stopping a run").
    if (error instanceof RunStopped && complete && options.stop) {
      settledAll = true;
      return cutShort(rt, complete, options.stop);
    }
    await endUnsettled(rt, hold, error, log);
    throw error;
  } finally {
    await letGo(rt, queues, hold, settledAll, log);
  }
}
