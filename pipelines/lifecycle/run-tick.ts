/**
 * `licbridge lifecycle run`: the day's tick, then its versions signed and delivered in this
 * process like a run's (other `licbridge worker` processes may help). The ledger is the record:
 * once the tick's expiries are recorded, before its reminders, everything the ticked pipelines
 * still owe — this tick's versions, and those of an earlier tick that crashed before they went
 * out — is enqueued from the ledger, and after the reminders the command waits until none is left.
 *
 * Asked to stop (`stop`, SIGTERM or SIGINT), the tick stops as tick.ts says, versions in flight at
 * a worker are let finish, and the summary says it was stopped (`stoppedBy`): what the ticked
 * pipelines still owe is in the ledger, and the next tick of the day enqueues it (`done-today`).
 */

import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, errorLine, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { answeredWithin, STOP_PART_MS, within } from '../../core/within.js';
import type { DeadLetterQuery, Ledger } from '../../ledger/ledger.js';
import { recordConfigChange } from '../config-audit.js';
import { IDLE_TIMEOUT_MS, jobsInFlight } from '../idle-rule.js';
import { createQueues } from '../queues.js';
import { closeQueuesWithin } from '../queues-close.js';
import { assertRedisReachable, queueConnection } from '../redis.js';
import { endGivenUp } from '../run-given-up.js';
import { beatForRuns } from '../run-heartbeat.js';
import { processOwner } from '../run-liveness.js';
import { backlogOnlyInReview, inReviewOf, reviewWaitMs } from '../run-review.js';
import { RunStopped, unlessStuckAfterStop } from '../run-stop.js';
import { Runtime } from '../runtime.js';
import { waitUntilSettled } from '../settle.js';
import { recoverPipeline } from '../sweep.js';
import { completeOpenRuns } from '../workers/complete-runs.js';
import { closeWorkersWithin, startWorkers } from '../workers.js';
import { lifecycleTick, type PipelineTick, type TickOptions, type TickResult } from './tick.js';

export interface LifecycleRunOptions extends TickOptions {
  logger: Logger;
  /**
   * Give up waiting for signatures and deliveries when nothing has moved for this long, ms, not
   * counting the time a live worker works one of the tick's jobs (../idle-rule.ts). @defaultValue 120000
   */
  idleTimeoutMs?: number;
  /**
   * Told at each look while the command waits: of the ticked pipelines' runs, signatures made and
   * deliveries ended (accepted, dead-lettered, discarded), and how many there are to be (each
   * version signed once and delivered once to each target). Counts only, for a progress line.
   */
  onSettling?: (done: number, total: number) => void;
}

export interface LifecycleRunSummary extends TickResult {
  /**
   * Per ticked pipeline: versions of its tick run signed, and per target accepted, dead-lettered
   * and discarded (`dlq discard`) — the last two never reached the platform.
   */
  delivery: Record<
    string,
    {
      signed: number;
      delivered: Record<string, number>;
      dead: Record<string, number>;
      discarded: Record<string, number>;
    }
  >;
  /**
   * Per ticked pipeline, per target: deliveries the platform answered `submitted` and is still
   * reviewing when the command ended. Set when they were all that was left and no verdict came for
   * the targets' `reviewWaitMs`, as `licbridge run` ends `in-review` (../run-review.ts): a
   * `licbridge worker`, or the next run or tick, records the verdicts.
   */
  inReview?: Record<string, Record<string, number>>;
  /**
   * Per `owedUnder` pipeline, per target: its deliveries dead-lettered while the command waited.
   * Its run is another tick's and counted in `delivery` by nobody; these wait for a person all
   * the same. Absent when there are none.
   */
  owedDead?: Record<string, Record<string, number>>;
}

const DEAD_PAGE = 1000;

/**
 * The pipeline's dead letters by key, with their target and revision: one replayed, sent and
 * refused again has a later revision.
 */
async function deadLettersOf(
  ledger: Ledger,
  pipeline: string,
): Promise<Map<string, { target: string; revision: number }>> {
  const out = new Map<string, { target: string; revision: number }>();
  let after: DeadLetterQuery['after'];
  for (;;) {
    const page = await ledger.listDeadLetters({ pipeline, after, limit: DEAD_PAGE });
    for (const d of page) out.set(d.key, { target: d.target, revision: d.revision });
    const last = page.at(-1);
    if (!last || page.length < DEAD_PAGE) return out;
    after = last;
  }
}

export async function runLifecycle(
  config: Readonly<Config>,
  options: LifecycleRunOptions,
): Promise<LifecycleRunSummary> {
  await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
  const rt = new Runtime(config, options.logger);
  const names = options.pipelines ?? Object.keys(config.pipelines);
  const targets = [...new Set(names.flatMap((p) => rt.pipelineConfig(p).targets))];
  const connection = queueConnection(config.queue.redis);
  const queues = createQueues(connection, config.queue.prefix, targets, options.logger);
  let workers: ReturnType<typeof startWorkers> | undefined;
  // The tick's runs name this process and it beats for them while it works, as `licbridge run`
  // does for its own: killed (SIGKILL, a crash) after recording its day, it left them `running`
  // and ownerless, shown under way by `status` with nobody driving them. Let go when it ends
  // without a failure (stopped, or reviews left for the deliver jobs), as `licbridge run` lets
  // go of a run ending `in-review`; after a failure they stay its own, shown `abandoned` once it
  // is gone, and a later tick completes those whose work is done (below).
  const hold = { owner: processOwner(), runs: [] as string[] };
  let stopBeating: (() => void) | undefined;
  let failed = false;
  try {
    const ledger = await rt.ledger();
    // The tick's runs hold no pipeline lease: only their heartbeat, once they are recorded.
    stopBeating = beatForRuns(ledger, {
      owner: hold.owner,
      runs: () => hold.runs,
      logger: options.logger,
      say: { failed: 'lifecycle: heartbeat not recorded' },
    });
    await recordConfigChange(config, ledger.configChanges, options.logger);
    const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    // `done-today` pipelines too: a `lifecycle run` that died after the day's watermark left that
    // day's versions in the ledger only, and running it again on the same day sends them — under
    // the run of a tick of another day when one is under way or died (tick.ts `owedUnder`), a run
    // this command neither holds nor reports deliveries of.
    let ticked: PipelineTick[] = [];
    /**
     * Per `owedUnder` pipeline, its dead letters as it was queued: those after it are the ones
     * dead-lettered while the command waited (`owedDead`). Without them a refusal for good left
     * the exit code 0, the dead letters said nowhere.
     */
    const deadBefore = new Map<string, Awaited<ReturnType<typeof deadLettersOf>>>();
    const readDeadBefore = async () => {
      for (const p of ticked)
        if (p.runId === null) deadBefore.set(p.pipeline, await deadLettersOf(ledger, p.pipeline));
    };
    /** Queues again what the ticked runs owe, under job ids tagged `tag`; the jobs added. */
    const recoverTicked = async (tag: string, how: Parameters<typeof recoverPipeline>[5]) => {
      let added = 0;
      for (const p of ticked) {
        const runId = (p.runId ?? p.owedUnder) as string;
        added += await recoverPipeline(rt, queues, p.pipeline, runId, `${runId}-${tag}`, how);
      }
      return added;
    };
    // The tick's versions are queued once its expiries are recorded, before the reminders, as the
    // scheduled tick queues them (tick-job.ts): a reminder step that threw (a ledger read of the
    // pending reminders failing) ended the command ahead of the queuing, and the licenses the
    // tick had just expired stayed in the ledger only.
    /** A part that did not open: the command fails with it once the reminders went out. */
    let unopened: { error: unknown } | undefined;
    const queueTicked = async (): Promise<void> => {
      // Open the pipelines' parts first: a bad key or target fails the command, with nothing
      // queued — after the reminders, which need none of them.
      // Heard before each and once they are open: opening them may outlast the stop's bound,
      // which then let go of the command, and nothing may open or start after it (a part or
      // workers nobody closes, jobs queued). A stop heard here sends no reminder (tick.ts).
      for (const p of ticked) {
        if (options.stop?.aborted) return;
        try {
          await rt.pipeline(p.pipeline);
        } catch (error) {
          unopened = { error };
          return;
        }
      }
      if (options.stop?.aborted) return;
      // Only what no unfinished job holds (deliver jobs not taken yet, a sign job waiting out
      // Retry-After): a copy beside each asked a signing server in maintenance or the platform again
      // (and signed twice when both ran at once). The tick's new versions are queued beside a
      // delayed sign job all the same; the sweeps below leave the unsigned to it.
      // Each step that waits on Redis is bounded by the idle timeout, as `licbridge run`'s sweep
      // is (../run-watch.ts): BullMQ's commands wait for an answer without a bound, and a Redis
      // that took them and stopped answering held an unattended command (no stop comes) for good,
      // the idle timeout never reached. The step left waiting fails once the end below drops its
      // connections.
      await answeredWithin(
        readDeadBefore().then(() => recoverTicked('tick', { leaveHeld: true })),
        idleTimeoutMs,
        "lifecycle run: queuing the tick's versions",
      );
    };
    /**
     * Given up after the tick recorded its day (a reminder step that threw, the idle timeout, a
     * Redis or ledger that did not answer): the runs this tick recorded end as `licbridge run`
     * ends its own, those whose work is complete (a day that expired nothing) `done`. Left
     * `running`, with no process owning them, nothing closed them, and `status` showed runs under
     * way that nobody drove. A `done-today` pipeline's run is an earlier tick's (perhaps still
     * reviewed): left as it is.
     */
    const giveUp = async (e: unknown): Promise<void> => {
      const recorded = ticked.filter((p) => p.outcome === 'ticked' || p.outcome === 'taken-over');
      for (const p of recorded) {
        const parts = rt.pipelineConfig(p.pipeline);
        await ledger
          .completeRun(p.runId as string, sealIdOf(config, parts), parts.targets)
          .catch(() => false);
      }
      await endGivenUp(
        ledger,
        recorded.map((p) => ({ runId: p.runId as string })),
        errorLine(e),
        '`licbridge lifecycle run`',
      );
    };
    let result: TickResult;
    try {
      result = await lifecycleTick(rt, {
        ...options,
        hold,
        onRecorded: async (pipelines) => {
          ticked = pipelines.filter((p) => p.runId !== null || p.owedUnder !== undefined);
          if (ticked.length === 0) return;
          // As the wait below: a step stuck on a silent Redis is left STOP_PART_MS after a stop,
          // and the tick, stopped, sends no reminder and says so.
          await unlessStuckAfterStop(
            queueTicked(),
            options.stop,
            () => [],
            STOP_PART_MS,
            'lifecycle run',
          ).catch((e: unknown) => {
            if (!(e instanceof RunStopped)) throw e;
          });
        },
      });
    } catch (e) {
      await giveUp(e);
      throw e;
    }
    const summary: LifecycleRunSummary = { ...result, delivery: {} };
    if (ticked.length === 0 || summary.stoppedBy !== undefined) return summary;
    if (unopened) {
      await giveUp(unopened.error);
      throw unopened.error;
    }
    // Their versions go out, heard a stop at each look; one that came while a step waited on a
    // Redis that accepted a command and never answers it (a queue's look) was never heard, and the
    // command never ended: such a step is left STOP_PART_MS after the stop, as `licbridge run`
    // leaves it (../run-stop.ts), and fails once its connection is dropped below.
    const goOut = async (): Promise<LifecycleRunSummary> => {
      // Heard before the workers start: nothing may start after the stop's bound let go of the
      // command (workers nobody closes).
      const stopped = (): LifecycleRunSummary | undefined =>
        options.stop?.aborted ? { ...summary, stoppedBy: String(options.stop.reason) } : undefined;
      const heard = stopped();
      if (heard) return heard;
      workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues });
      const sealOf = (pipeline: string) => sealIdOf(config, rt.pipelineConfig(pipeline));

      let sweeps = 0;
      const stop = options.stop;
      // A platform that accepts first and judges later answers `submitted`, and its verdict comes
      // from later status requests, minutes or days on: while such reviews are all that is owed,
      // nothing moving is no fault, so the idle timeout does not end the wait; the targets'
      // `reviewWaitMs` without a verdict does, as it ends `licbridge run` (../run-review.ts).
      let inReview: Record<string, Record<string, number>> | undefined;
      let lastProgress: string | undefined;
      let movedAt = Date.now();
      const workersBusy = jobsInFlight(
        queues,
        ticked.map((p) => p.pipeline),
      );
      const settled = await waitUntilSettled(
        async () => {
          // Asked to stop: no longer waited for; the jobs left queued are the next tick's (above).
          if (stop?.aborted) return { done: true, progress: '' };
          let owed = false;
          let onlyReviews = true;
          const reviewing: Record<string, Record<string, number>> = {};
          // An `owedUnder` pipeline has no run of its own to count: what it still owes is its
          // progress. Read from `delivery` alone, its progress never changed, and the first look
          // for idleness in a retry's back-off ended the command, deliveries still going out.
          const backlogs: Record<string, unknown> = {};
          let steps = 0;
          let stepsDone = 0;
          for (const p of ticked) {
            const parts = rt.pipelineConfig(p.pipeline);
            const backlog = await ledger.pipelineBacklog(p.pipeline, sealOf(p.pipeline), parts.targets);
            // Only such a pipeline's: another process's traffic moving an ordinary one's backlog
            // would keep a run stuck on a version that never ends from giving up.
            if (p.runId === null) backlogs[p.pipeline] = [backlog.unsigned, backlog.undelivered];
            if (backlog.unsigned > 0 || Object.values(backlog.undelivered).some((n) => n > 0)) {
              owed = true;
              const r = inReviewOf(backlog);
              if (backlogOnlyInReview(backlog) && r) reviewing[p.pipeline] = r;
              else onlyReviews = false;
            }
            // Another tick's run (`owedUnder`): its versions are not this tick's to count.
            if (p.runId === null) continue;
            const progress = await ledger.runProgress(p.runId, sealOf(p.pipeline), parts.targets);
            summary.delivery[p.pipeline] = {
              signed: progress.signed,
              delivered: progress.delivered,
              dead: progress.dead,
              discarded: progress.discarded,
            };
            steps += progress.created * (1 + parts.targets.length);
            stepsDone += Math.min(progress.signed, progress.created);
            for (const t of parts.targets) {
              const ended =
                (progress.delivered[t] ?? 0) + (progress.dead[t] ?? 0) + (progress.discarded[t] ?? 0);
              stepsDone += Math.min(ended, progress.created);
            }
          }
          options.onSettling?.(stepsDone, steps);
          const progress = JSON.stringify([summary.delivery, reviewing, backlogs]);
          if (progress !== lastProgress) {
            lastProgress = progress;
            movedAt = Date.now();
          }
          inReview = owed && onlyReviews ? reviewing : undefined;
          if (inReview) {
            const targets = Object.values(inReview).flatMap((r) => Object.keys(r));
            if (Date.now() - movedAt >= reviewWaitMs(config, targets)) return { done: true, progress };
          }
          return { done: !owed, progress };
        },
        {
          idleTimeoutMs,
          // Waiting out a review counts as work under way: only `reviewWaitMs` ends it.
          inFlight: async () => inReview !== undefined || (await workersBusy()),
          log: options.logger,
          // Nothing moved for a while: enqueue again from the ledger what a lost job held.
          sweep: () => {
            sweeps += 1;
            return answeredWithin(
              recoverTicked(`sweep${sweeps}`, { sweeping: true }),
              idleTimeoutMs,
              'lifecycle run: a sweep',
              'Redis or the ledger',
            );
          },
        },
      );
      const stoppedWaiting = stopped();
      if (stoppedWaiting) return stoppedWaiting;
      if (settled === 'idle') {
        throw new LicbridgeError(
          ErrorCodes.INTERNAL,
          `lifecycle: nothing moved for ${Math.round(idleTimeoutMs / 1000)} s; see \`licbridge status\` and the worker logs`,
          { retryable: true },
        );
      }
      // A run whose versions are still reviewed stays `running`: its deliver jobs complete it.
      // So do the pipeline's earlier runs whose work is done by now: a tick that died after
      // recording its day, whose versions this one sent (their deliver jobs complete it too), or
      // that expired nothing and has no deliver job to complete it.
      for (const p of ticked) {
        const parts = rt.pipelineConfig(p.pipeline);
        if (p.runId !== null) await ledger.completeRun(p.runId, sealOf(p.pipeline), parts.targets);
        await completeOpenRuns(ledger, { pipeline: p.pipeline }, sealOf(p.pipeline), parts.targets);
      }
      if (inReview) summary.inReview = inReview;
      for (const [pipeline, before] of deadBefore) {
        const dead: Record<string, number> = {};
        for (const [key, { target, revision }] of await deadLettersOf(ledger, pipeline))
          if (before.get(key)?.revision !== revision) dead[target] = (dead[target] ?? 0) + 1;
        if (Object.keys(dead).length > 0) summary.owedDead = { ...summary.owedDead, [pipeline]: dead };
      }
      return summary;
    };
    try {
      return await unlessStuckAfterStop(goOut(), options.stop, () => [], STOP_PART_MS, 'lifecycle run');
    } catch (e) {
      if (e instanceof RunStopped) {
        // What the ticked pipelines still owe is in the ledger: the next tick of the day enqueues
        // it, and completes the run it left `running`.
        return { ...summary, stoppedBy: e.signal };
      }
      await giveUp(e);
      throw e;
    }
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    stopBeating?.();
    if (!failed && hold.runs.length > 0)
      await within(
        rt.ledger().then((l) => l.disownRuns(hold.runs, hold.owner)),
        STOP_PART_MS,
      );
    // Each part bounded, stopped or not, as `licbridge run`'s end is (core/within.ts): a job in
    // flight finishes, or is stopped hard and its lock runs out for another worker to take it over.
    // A Redis gone silent as the tick ends never answers BullMQ's QUIT: unbounded, the command
    // never printed its summary nor ended. The queues' connections are dropped when late; the
    // ledger holds every outcome, so nothing is lost.
    await closeWorkersWithin(workers, () =>
      options.logger.warn('lifecycle: workers did not stop in time; stopping hard'),
    );
    await closeQueuesWithin(queues, STOP_PART_MS);
    if (!(await within(rt.close(), STOP_PART_MS)))
      options.logger.warn('lifecycle: connections did not close in time');
  }
}
