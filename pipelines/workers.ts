/**
 * A process's worker set: one BullMQ worker per queue of the stages it works, each stage's
 * processor in its own file under ./workers/, and the jobs they queue made by ./jobs.ts.
 */
import { EventEmitter } from 'node:events';
import type { Job, Worker } from 'bullmq';
import { errorLine } from '../core/errors.js';
import { limitHeapGrowth } from '../core/heap-growth.js';
import { STOP_PART_MS, within } from '../core/within.js';
import { bullmq } from './bullmq.js';
import { recordLostTick, recordStalledTick, tickFailedForGood } from './lifecycle/lost-ticks.js';
import {
  deliverQueueName,
  EXTRACT_QUEUE,
  type ExtractJobData,
  LIFECYCLE_QUEUE,
  type QueueSet,
  RECONCILE_QUEUE,
  SIGN_QUEUE,
} from './queues.js';
import type { RedisConnectionOptions } from './redis.js';
import { extractJobRunId } from './run-liveness.js';
import type { Runtime } from './runtime.js';
import { RunCompletion } from './stages/run-completion.js';
import type { StageContext } from './workers/base.js';
import { lifecycleWorker, reconcileWorker } from './workers/check-workers.js';
import { warnCompletionFailed } from './workers/complete-runs.js';
import { deliverWorker } from './workers/deliver-worker.js';
import { extractWorker } from './workers/extract-worker.js';
import { jobsRunning } from './workers/jobs-running.js';
import { LostLockLog } from './workers/lost-locks.js';
import { signWorker } from './workers/sign-worker.js';
import {
  type CheckStallOutcome,
  settleStalledLifecycle,
  settleStalledReconcile,
} from './workers/stalled-checks.js';
import { settleStalledExtract } from './workers/stalled-extract.js';
import { isStalledOut, settleStalledOut } from './workers/stalled-out.js';
import { stopHard } from './workers/stop-hard.js';

/**
 * Sign jobs worked at once by one process. Not a config field: each job signs a whole page, and
 * a signer's own `concurrency` (remote) or `workers` (local-sm2) sets how much runs in parallel.
 * Four, not two: a job spends as long again outside the signer as in it (its versions read, its
 * signatures recorded, its deliveries queued, each waiting its turn on the main thread), and with
 * two jobs a local-sm2 pool's threads sat idle about half a run waiting for the next page's batch.
 */
export const SIGN_CONCURRENCY = 4;

/**
 * Times BullMQ recovers a job whose lock ran out before failing it: a job that keeps killing its
 * worker stops. A job failed so is queued again, or found done, before its run fails
 * (workers/stalled-out.ts, stalled-extract.ts; a full check's or a tick's, stalled-checks.ts): a
 * starved worker loses locks too.
 */
export const MAX_STALLED_COUNT = 5;

export interface WorkerSetOptions {
  connection: RedisConnectionOptions;
  prefix: string;
  queues: QueueSet;
  /**
   * Which stages this process works. `reconcile` (scheduled full checks) only when named: `run`
   * works its own stages and leaves checks to `licbridge worker`. @defaultValue extract, sign, deliver
   */
  stages?: readonly ('extract' | 'sign' | 'deliver' | 'reconcile' | 'lifecycle')[];
  /** Jobs of the sign queue worked at once. @defaultValue {@link SIGN_CONCURRENCY} */
  signConcurrency?: number;
  /**
   * Queue names this process works (`extract`, `sign`, `deliver-<target>`; `deliver` for every
   * target). Narrows `stages`. @defaultValue every queue of the chosen stages
   */
  queueNames?: readonly string[];
  /** How long a worker holds a job's lock without renewing it, ms (BullMQ `lockDuration`). @defaultValue `queue.lockDurationMs` */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker died, ms (BullMQ `stalledInterval`). @defaultValue `queue.stalledIntervalMs` */
  stalledIntervalMs?: number;
  /** Times a job may be recovered from a dead worker before it fails. @defaultValue {@link MAX_STALLED_COUNT} */
  maxStalledCount?: number;
}

export interface WorkerSet {
  /** Emits `runFailed` (runId, message) when a run's job fails for good. */
  readonly events: EventEmitter;
  /**
   * Waits for in-flight jobs; with `force`, stops at once (their locks expire and other workers
   * take them over), a worker whose close without `force` is still waiting too. Jobs that stalled
   * out are settled first (queued again, or their run failed), for at most `settleWithinMs` when
   * given.
   */
  close(force?: boolean, settleWithinMs?: number): Promise<void>;
  /**
   * What a close under way waits on: `jobs` while a job runs (`running` of them); `redis` once
   * none does, while a BullMQ worker's own close waits on Redis (its connections' close, a job's
   * outcome being written); `settling` once those closed, while jobs that stalled out are settled
   * and run completions recorded (the ledger and Redis).
   */
  waitingOn(): { on: 'jobs' | 'redis' | 'settling'; running: number };
}

/** The settlement of a job that stalled out, by its queue (./workers/stalled-*.ts). */
function settleStall(
  rt: Runtime,
  queues: QueueSet,
  name: string,
  job: Job,
  target: string | undefined,
): Promise<CheckStallOutcome> {
  if (name === EXTRACT_QUEUE) return settleStalledExtract(rt, queues, name, job);
  if (name === RECONCILE_QUEUE) return settleStalledReconcile(rt, name, job);
  if (name === LIFECYCLE_QUEUE)
    return settleStalledLifecycle(queues, name, job).then((o) => recordStalledTick(rt, job, o));
  return settleStalledOut(rt, queues, name, job, target);
}

export function startWorkers(rt: Runtime, options: WorkerSetOptions): WorkerSet {
  // A process running workers holds little but allocates a page after another (core/heap-growth.ts).
  limitHeapGrowth();
  const events = new EventEmitter();
  const stages = new Set<string>(options.stages ?? ['extract', 'sign', 'deliver']);
  const only = options.queueNames ? new Set(options.queueNames) : undefined;
  const wanted = (queue: string): boolean =>
    !only || only.has(queue) || (queue.startsWith('deliver-') && only.has('deliver'));
  // Short locks, checked often: a worker that died (a killed `run`, a lost host) holds its jobs
  // only `lockDurationMs`, and the next stalled check of any live worker puts them back to wait.
  const context: StageContext = {
    base: {
      connection: options.connection,
      prefix: options.prefix,
      lockDuration: options.lockDurationMs ?? rt.config.queue.lockDurationMs,
      stalledInterval: options.stalledIntervalMs ?? rt.config.queue.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount ?? MAX_STALLED_COUNT,
    },
    queues: options.queues,
  };
  const workers: Worker[] = [];
  const log = rt.logger;
  // Deliver jobs end often; the run's completion check counts the whole run (run-completion.ts).
  const completion = new RunCompletion({
    onError: (runId, e) => warnCompletionFailed(log, { runId }, e),
  });

  const lostLocks = new LostLockLog(log);
  // Stalled-out jobs being settled: close() waits for them, before the caller closes the queues.
  const settling = new Set<Promise<unknown>>();
  const stalledOut = (name: string, job: Job, runId: string | undefined, target?: string): void => {
    const p = settleStall(rt, options.queues, name, job, target)
      .then((outcome) => {
        const at = { queue: name, jobId: job.id, runId };
        // A poison deliver job given up: its work is not done, its open deliveries are dead letters
        // (the error line before says why, workers/stalled-out.ts).
        if (outcome.kind === 'done' && outcome.deadLettered !== undefined)
          log.warn(
            { ...at, deadLettered: outcome.deadLettered },
            outcome.deadLettered > 0
              ? 'job: stalled out; given up, its open deliveries dead-lettered'
              : 'job: stalled out; given up, none of its deliveries dead-lettered',
          );
        else if (outcome.kind === 'done') log.info(at, 'job: stalled out, but its work is in the ledger');
        else if (outcome.kind === 'requeued')
          log.warn({ ...at, requeued: outcome.jobId }, 'job: stalled out; queued again under a fresh id');
        else if (outcome.kind === 'lost')
          log.error({ ...at, error: outcome.message }, 'job: stalled out; lost');
        else if (runId) events.emit('runFailed', runId, outcome.message);
        else log.warn({ ...at, error: outcome.message }, 'job: stalled out; recorded as failed');
      })
      .catch((e: unknown) => {
        const message = `${name}: job ${job.id} stalled out: ${errorLine(e)}`;
        if (runId) events.emit('runFailed', runId, message);
        else log.error({ queue: name, jobId: job.id, error: message }, 'job: stalled out; lost');
      })
      .finally(() => settling.delete(p));
    settling.add(p);
  };

  // A tick that failed its last attempt is lost as one given up after stalling out (lifecycle/lost-ticks.ts).
  const tickFailed = (job: Job): void => {
    const p = recordLostTick(rt, job, tickFailedForGood(LIFECYCLE_QUEUE, job))
      .then((error) =>
        log.error({ queue: LIFECYCLE_QUEUE, jobId: job.id, error }, 'job: failed for good; tick lost'),
      )
      // Told here: close() waits for it with within(), which counts a rejection as settled.
      .catch((e: unknown) => {
        const error = `${tickFailedForGood(LIFECYCLE_QUEUE, job)}; ${errorLine(e)}`;
        log.error(
          { queue: LIFECYCLE_QUEUE, jobId: job.id, error },
          'job: failed for good; tick lost; not recorded',
        );
      })
      .finally(() => settling.delete(p));
    settling.add(p);
  };

  const watch = (worker: Worker, name: string, target?: string): void => {
    worker.on('error', (err) => {
      if (!lostLocks.handle(name, err))
        log.error({ queue: name, err: { message: err.message } }, 'worker: error');
    });
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = err instanceof bullmq.UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const data = job.data as { runId?: string };
      // A scheduled extract job carries no run id: its run is named after the job.
      const runId = name === EXTRACT_QUEUE ? extractJobRunId(job as Job<ExtractJobData>) : data.runId;
      log.warn(
        {
          queue: name,
          jobId: job.id,
          runId,
          attempt: job.attemptsMade,
          final,
          error: err.message,
        },
        final ? 'job: failed for good' : 'job: failed, will retry',
      );
      if (!final) return;
      if (isStalledOut(err)) stalledOut(name, job, runId, target);
      else if (runId) events.emit('runFailed', runId, `${name}: ${err.message}`);
      else if (name === LIFECYCLE_QUEUE) tickFailed(job);
    });
    workers.push(worker);
  };

  if (stages.has('extract') && wanted(EXTRACT_QUEUE)) watch(extractWorker(rt, context), EXTRACT_QUEUE);
  if (stages.has('sign') && wanted(SIGN_QUEUE)) {
    watch(signWorker(rt, context, options.signConcurrency ?? SIGN_CONCURRENCY), SIGN_QUEUE);
  }
  if (stages.has('deliver')) {
    for (const target of options.queues.deliver.keys()) {
      const name = deliverQueueName(target);
      if (wanted(name)) watch(deliverWorker(rt, context, target, completion), name, target);
    }
  }
  // Aborted as the set closes: a tick in flight stops sending reminders, a full check stops
  // reading, and each is queued again, instead of holding the close until the shutdown timeout
  // stops it hard mid-send or mid-check.
  const stopScheduled = new AbortController();
  if (stages.has('reconcile') && wanted(RECONCILE_QUEUE))
    watch(reconcileWorker(rt, context, stopScheduled.signal), RECONCILE_QUEUE);
  if (stages.has('lifecycle') && wanted(LIFECYCLE_QUEUE))
    watch(lifecycleWorker(rt, context, stopScheduled.signal), LIFECYCLE_QUEUE);

  // Whether the BullMQ workers' own closes have ended, for waitingOn.
  let workersClosed = false;
  return {
    events,
    async close(force = false, settleWithinMs?: number) {
      stopScheduled.abort('worker shutdown');
      // Forced, a worker whose own close never ends (Redis away) is released anyway (stop-hard.ts).
      await Promise.all(workers.map((w) => (force ? stopHard(w) : w.close())));
      workersClosed = true;
      // A settlement waits on the ledger and Redis: either gone (the reason for a forced close,
      // often) holds it as long as their clients retry. Bounded, the job is left as BullMQ failed
      // it; its run is swept up by a later run.
      if (!(await within(Promise.all([...settling]), settleWithinMs)))
        log.warn({ jobs: settling.size }, 'worker: stalled-out jobs not settled in time; left as failed');
      if (!force) await completion.flush();
    },
    waitingOn() {
      const running = workers.reduce((n, w) => n + jobsRunning(w), 0);
      return { on: running > 0 ? 'jobs' : workersClosed ? 'settling' : 'redis', running };
    },
  };
}

/**
 * Closes `workers` as a command's stop does: within STOP_PART_MS, else — after `late` is told — hard,
 * bounded as long again. After Redis went away, BullMQ's close of a worker waits on a reconnecting
 * connection for good (workers/stop-hard.ts); the ledger holds every outcome, so nothing is lost.
 */
export async function closeWorkersWithin(workers: WorkerSet | undefined, late?: () => void): Promise<void> {
  if (await within(workers?.close(), STOP_PART_MS)) return;
  late?.();
  await within(workers?.close(true), STOP_PART_MS);
}
