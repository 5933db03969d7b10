import { randomUUID } from 'node:crypto';
import { sealIdOf } from '../config/seal-id.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, errorLine, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { STOP_PART_MS, within } from '../core/within.js';
import type { Ledger, PipelineBacklog, RunAbsentElements } from '../ledger/ledger.js';
import { recordConfigChange } from './config-audit.js';
import { HeardFailures } from './heard-failures.js';
import { IDLE_TIMEOUT_MS, IdleSchedule, jobsInFlight } from './idle-rule.js';
import { enqueueExtract } from './jobs.js';
import { everyInTurn, holdPipelines, releasePipelines, renewPipelines } from './pipeline-lease.js';
import { createQueues } from './queues.js';
import { assertRedisReachable, queueConnection } from './redis.js';
import { runDeliveries } from './run-deliveries.js';
import { endGivenUp } from './run-given-up.js';
import { HEARTBEAT_MS, processOwner } from './run-liveness.js';
import { LedgerOutage, ledgerAway, pollRun } from './run-poll.js';
import { markAbandoned, sweep } from './run-recovery.js';
import { backlogOnlyInReview, inReviewOf, onlyReviewsLeft, reviewWaitMs } from './run-review.js';
import { leaveInReview, settle } from './run-settle.js';
import { endStopped, pauseUnlessStopped, RunStopped, throwIfStopped } from './run-stop.js';
import { Runtime } from './runtime.js';
import { recoverPipeline } from './sweep.js';
import { closeWorkersWithin, startWorkers } from './workers.js';

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
  | { reportId: string; sourceKeys: number; ledgerLicenses: number; quarantined: number; differences: number }
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
   * (run-stop.ts).
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
  const owner = processOwner();
  let workers: ReturnType<typeof startWorkers> | undefined;
  let stopHeartbeat: (() => void) | undefined;
  let runs: { pipeline: string; runId: string }[] = [];
  let leased: { ledger: Ledger; runs: readonly { pipeline: string; runId: string }[] } | undefined;
  let settledAll = false;
  try {
    const ledger = await rt.ledger();
    // Open every part first: a bad key, mapping or source fails here, before anything is queued.
    for (const p of options.pipelines) await rt.pipeline(p);
    await recordConfigChange(config, ledger.configChanges, log);
    const planned = options.pipelines.map((pipeline) => ({ pipeline, runId: randomUUID() }));
    // One run of a pipeline at a time (pipeline-lease.ts): one held by another run starts nothing.
    await holdPipelines(ledger, planned, owner);
    leased = { ledger, runs: planned };
    runs = planned;
    throwIfStopped(options.stop, runs);
    await markAbandoned(rt, ledger, queues, runs, log);
    const failures = new HeardFailures();
    if (options.workInProcess !== false) {
      workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues });
      workers.events.on('runFailed', (runId: string, message: string) => failures.add(runId, message));
    }
    const sealOf = (pipeline: string) => sealIdOf(config, rt.pipelineConfig(pipeline));
    const backlogOf = (pipeline: string) =>
      ledger.pipelineBacklog(pipeline, sealOf(pipeline), rt.pipelineConfig(pipeline).targets);

    const recovered = new Map<string, PipelineBacklog>();
    for (const r of runs) {
      throwIfStopped(options.stop, runs);
      recovered.set(r.pipeline, await backlogOf(r.pipeline));
      await ledger.startRun({
        runId: r.runId,
        pipeline: r.pipeline,
        mode: options.full ? 'full' : 'incremental',
        owner,
      });
      await enqueueExtract(queues, { pipeline: r.pipeline, runId: r.runId, full: options.full });
      // What earlier runs left is queued now, beside this run's own work: only what no job holds.
      // Their jobs still queued (a run ended in-review asking the platform, a sign job waiting out
      // Retry-After) do their own work; unlike a sweep, the start waits for no delayed sign job.
      if (owes(recovered.get(r.pipeline)))
        await recoverPipeline(rt, queues, r.pipeline, r.runId, `${r.runId}-recover`, { leaveHeld: true });
    }
    // One at a time, as a scheduled run's lease is kept (pipeline-lease.ts).
    stopHeartbeat = everyInTurn(
      () =>
        ledger
          .heartbeatRuns(
            runs.map((r) => r.runId),
            owner,
          )
          .then(() => renewPipelines(ledger, runs, owner))
          .then((lost) => {
            for (const pipeline of lost)
              log.warn(
                { pipeline },
                'run: another run took the pipeline over (this run renewed it too late)',
              );
          })
          .catch((e: unknown) => log.warn({ error: messageOf(e) }, 'run: heartbeat not recorded')),
      HEARTBEAT_MS,
    );

    const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    const sweepAfterMs = options.sweepAfterMs ?? 3000;
    // Idle time runs on the outage's clock, which stands still while a poll fails.
    const outage = new LedgerOutage();
    const inFlight = jobsInFlight(queues, options.pipelines);
    const schedule = new IdleSchedule({ sweepAfterMs, idleTimeoutMs, now: outage.clock, inFlight });
    let sweeps = 0;
    let lastFingerprint = '';
    // Each run as the last poll that read it saw it: a poll the ledger could not answer keeps it.
    const lastPolls = new Map<string, { summary: RunSummary; backlog: PipelineBacklog | undefined }>();
    // A backlog the ledger, away, could not answer: warned of, and the run not settled this time.
    const unread = (pipeline: string, e: unknown): null => {
      if (!ledgerAway(e)) throw e;
      log.warn({ pipeline, error: messageOf(e) }, 'run: backlog not read; the next poll reads it again');
      return null;
    };
    for (;;) {
      throwIfStopped(options.stop, runs);
      const polled = Date.now();
      const summaries: RunSummary[] = [];
      const backlogs: (PipelineBacklog | undefined)[] = [];
      let settled = true;
      let unreadNow = false;
      // Whether every run not settled waits only for platforms' verdicts, and which targets'.
      let onlyReviews = true;
      const reviewing = new Set<string>();
      for (const r of runs) {
        const parts = rt.pipelineConfig(r.pipeline);
        const polledRun = await pollRun(ledger, r, sealOf(r.pipeline), parts.targets, log);
        const last = lastPolls.get(r.runId);
        if (!polledRun) {
          // Not read this time: the run stands as last seen, and is not settled.
          settled = false;
          unreadNow = true;
          if (last) summaries.push(last.summary);
          backlogs.push(last?.backlog);
          continue;
        }
        const { run, progress } = polledRun;
        // The extract job failed for good after the run's extraction was over (queueing its
        // versions, the completion check): its licenses are all in the ledger, and this loop's
        // sweeps queue what no job holds. Not the run's failure: it ends `done` when its work does.
        const heard = failures.failureOf(r.runId, run, (failed) =>
          log.warn(
            { pipeline: r.pipeline, runId: r.runId, error: failed },
            'run: the extract job failed after the run was extracted; finishing its work',
          ),
        );
        // Ended `abandoned` by another process that judged this one gone (its clock ahead, or this
        // process paused past the heartbeat's age): no page is committed to it any more and it can
        // never be `done`. Said at once, as the ledger says it, not as a run where nothing moved.
        const failure =
          heard ??
          (run.state === 'failed'
            ? (run.error ?? 'failed')
            : run.state === 'abandoned'
              ? `another process ended the run abandoned while this one drove it: ${run.error ?? 'abandoned'}`
              : undefined);
        // The versions the run did create are signed and delivered (or dead-lettered)…
        const { worked, ...deliveries } = runDeliveries(progress, parts.targets);
        // …and, for a run that did not fail, its extraction finished too.
        const complete = Boolean(run.extractedAt) && worked;
        // …or done but for deliveries the platform still reviews.
        const reviewsLeft = Boolean(run.extractedAt) && !worked && onlyReviewsLeft(progress, parts.targets);
        // The pipeline's backlog is read only once the run's own work is done: it is a full count.
        const backlog =
          (complete || reviewsLeft) && !failure
            ? await backlogOf(r.pipeline).catch((e: unknown) => unread(r.pipeline, e))
            : undefined;
        if (backlog === null) unreadNow = true;
        backlogs.push(backlog === null ? last?.backlog : backlog);
        // A failed run still lets what it created go out, so its summary counts what really was
        // delivered; it waits no longer once nothing moves (a broken signer, say).
        if (
          failure
            ? !worked && schedule.quietMs() < sweepAfterMs
            : !complete || backlog === null || owes(backlog)
        ) {
          settled = false;
          if (failure || !backlog || !backlogOnlyInReview(backlog)) onlyReviews = false;
          else for (const t of Object.keys(inReviewOf(backlog) ?? {})) reviewing.add(t);
        }
        const before = recovered.get(r.pipeline);
        const summary: RunSummary = {
          pipeline: r.pipeline,
          runId: r.runId,
          state: failure ? 'failed' : 'done',
          read: run.read,
          created: run.created,
          unchanged: run.unchanged,
          quarantined: run.quarantined,
          signed: progress.signed,
          ...deliveries,
          ...(failure ? { error: failure } : {}),
          ...(owes(before) && before ? { recovered: before } : {}),
          ...(run.absentElements ? { absentElements: run.absentElements } : {}),
        };
        summaries.push(summary);
        lastPolls.set(r.runId, { summary, backlog: backlogs[backlogs.length - 1] });
      }
      options.onProgress?.(summaries);
      if (settled) {
        await settle(rt, ledger, queues, summaries, options);
        settledAll = true;
        return summaries;
      }
      const fingerprint = JSON.stringify([summaries, backlogs]);
      if (unreadNow) {
        // Not seen, so not seen standing still: no sweep (it reads the ledger) and no idle count.
        const unreadMs = outage.unread(polled);
        if (unreadMs > idleTimeoutMs) {
          throw new LicbridgeError(
            ErrorCodes.LEDGER,
            `run: the ledger did not answer for ${Math.round(unreadMs / 1000)} s; see the warnings above and \`licbridge status\``,
            { retryable: true },
          );
        }
      } else {
        outage.read();
        if (fingerprint !== lastFingerprint) {
          // Against the last poll that read the ledger, before any outage between them: a read
          // alone is not progress.
          lastFingerprint = fingerprint;
          schedule.progressed();
        } else {
          // A platform reviewing is not a stall: the idle timeout does not apply, the review wait does.
          const reviews = onlyReviews && reviewing.size > 0;
          let next = reviews ? schedule.next() : await schedule.step();
          if (reviews) {
            const waitMs = options.reviewWaitMs ?? reviewWaitMs(config, reviewing);
            if (schedule.quietMs() > waitMs) {
              await leaveInReview(rt, ledger, queues, summaries, backlogs, options, owner);
              settledAll = true;
              return summaries;
            }
            // Still sweep: a deliver job lost meanwhile would ask the platform no more.
            if (next === 'give-up') next = 'sweep';
          }
          if (next === 'give-up') {
            throw new LicbridgeError(
              ErrorCodes.INTERNAL,
              `run: nothing moved for ${Math.round(idleTimeoutMs / 1000)} s; see \`licbridge status\` and the worker logs`,
              { retryable: true },
            );
          }
          if (next === 'sweep') {
            sweeps += 1;
            // This poll's backlogs: what they show owing nothing is not read again.
            const added = await sweep(rt, ledger, queues, runs, `sweep${sweeps}`, backlogs);
            schedule.swept(added);
            if (added > 0) log.warn({ jobs: added }, 'run: re-enqueued unfinished work from the ledger');
          }
        }
      }
      // The counts above grow with the run: look less often the longer they took, so that on a
      // large run they keep to a small share of the time the stages need — but at most every 5 s:
      // a poll that spent a ledger outage retrying must not put the next one ten outages away.
      const pause = Math.min(pollPauseMaxMs, Math.max(200, 10 * (Date.now() - polled)));
      await pauseUnlessStopped(pause, options.stop);
    }
  } catch (error) {
    // A run that gives up, or is stopped, says so in the ledger instead of staying `running`; a
    // stopped one first, so that its extract jobs read no further page while the workers stop.
    const ledger = runs.length > 0 ? await rt.ledger().catch(() => undefined) : undefined;
    // Bounded as the rest of the stop: a ledger that stopped answering must not hold it for good;
    // the runs left `running` are closed by the next run, which finds this process gone.
    if (error instanceof RunStopped) {
      if (!(await within(endStopped(ledger, error), STOP_PART_MS)))
        log.warn('run: the stopped runs were not ended in time; the next run closes them');
    } else if (runs.length > 0) await endGivenUp(ledger, runs, messageOf(error));
    throw error;
  } finally {
    stopHeartbeat?.();
    // Bounded: after Redis restarted under them, BullMQ's close can wait on jobs Redis no longer
    // knows, and a processor cut off that way may still hold a ledger connection. The ledger
    // already holds every outcome, so stopping hard loses nothing.
    // A close that fails goes on to the next: the leases are let go whatever the workers did.
    await closeWorkersWithin(workers, () => log.warn('run: workers did not stop in time; stopping hard'));
    await within(queues.close(), STOP_PART_MS);
    // Another run of the pipelines may start now; unreached, the leases run out by themselves.
    await within(releasePipelines(leased?.ledger, leased?.runs ?? []), STOP_PART_MS);
    if (!(await within(rt.close(), STOP_PART_MS))) log.warn('run: connections did not close in time');
    if (!settledAll) log.debug('run: ended before its work was complete');
  }
}

function owes(b: PipelineBacklog | undefined): boolean {
  return b !== undefined && (b.unsigned > 0 || Object.values(b.undelivered).some((n) => n > 0));
}

function messageOf(e: unknown): string {
  return errorLine(e);
}
