import { EventEmitter } from 'node:events';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { deliveryTarget } from '../config/delivery-targets.js';
import type { LoadedDeliveryTargetConfig } from '../config/types.js';
import { ErrorCodes, errorLine, isLicbridgeError, LicbridgeError } from '../core/errors.js';
import { scrubbedError } from '../core/scrub.js';
import {
  cappedBackoff,
  DELIVER_BACKOFF,
  deadLetterOpen,
  deferDelay,
  MAX_DEFERRALS,
  retryAfterOf,
} from './delivery-policy.js';
import { lifecycleJob } from './lifecycle/tick-job.js';
import {
  batchJobId,
  type DeliverJobData,
  deliverQueueName,
  EXTRACT_QUEUE,
  type ExtractJobData,
  LIFECYCLE_QUEUE,
  type LifecycleJobData,
  type QueueSet,
  RECONCILE_QUEUE,
  type ReconcileJobData,
  SIGN_QUEUE,
  type SignJobData,
} from './queues.js';
import { reconcilePipeline } from './reconcile/reconcile.js';
import type { RedisConnectionOptions } from './redis.js';
import type { Runtime } from './runtime.js';
import { deliverVersions } from './stages/deliver.js';
import { extractPipeline } from './stages/extract.js';
import { RunCompletion } from './stages/run-completion.js';
import { signVersions } from './stages/sign.js';

/**
 * Sign jobs worked at once by one process. Not a config field: each job signs a whole page, and
 * a signer's own `concurrency` (remote) or `workers` (local-sm2) sets how much runs in parallel.
 */
export const SIGN_CONCURRENCY = 2;

/** Times BullMQ recovers a job from a dead worker before failing it: a job that keeps killing its worker stops. */
export const MAX_STALLED_COUNT = 5;

/** A deliver job's lease outlasts its requests by this much: the ledger writes after the last answer. */
const LEASE_MARGIN_MS = 5000;

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
  /** Waits for in-flight jobs; with `force`, stops at once (their locks expire and other workers take them over). */
  close(force?: boolean): Promise<void>;
}

/** Re-throws so BullMQ retries only what may pass: a non-retryable error fails the job at once. */
function classify(error: unknown): never {
  // The code travels with the message, so the run summary names what to look up.
  if (isLicbridgeError(error) && !error.retryable) throw new UnrecoverableError(errorLine(error));
  throw scrubbedError(error);
}

function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** Attempts and jittered exponential backoff of a target's deliver jobs, from its config. */
export function deliverJobOptions(rt: Runtime, target: string) {
  const cfg = configuredTarget(rt, target);
  return {
    attempts: cfg.attempts,
    // Capped, jittered exponential backoff (delivery-policy.ts); the deliver workers define it.
    backoff: { type: DELIVER_BACKOFF, delay: cfg.backoffMs },
  };
}

/** A delivery target of the loaded config: its knobs are set (the loader applied the schema's defaults). */
function configuredTarget(rt: Runtime, target: string): LoadedDeliveryTargetConfig {
  const cfg = deliveryTarget(rt.config, target);
  if (cfg) return cfg;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `deliver: \`${target}\` is not a delivery target in the config`,
    {
      context: { target },
    },
  );
}

export function startWorkers(rt: Runtime, options: WorkerSetOptions): WorkerSet {
  const events = new EventEmitter();
  const stages = new Set<string>(options.stages ?? ['extract', 'sign', 'deliver']);
  const only = options.queueNames ? new Set(options.queueNames) : undefined;
  const wanted = (queue: string): boolean =>
    !only || only.has(queue) || (queue.startsWith('deliver-') && only.has('deliver'));
  // Short locks, checked often: a worker that died (a killed `run`, a lost host) holds its jobs
  // only `lockDurationMs`, and the next stalled check of any live worker puts them back to wait.
  const base = {
    connection: options.connection,
    prefix: options.prefix,
    lockDuration: options.lockDurationMs ?? rt.config.queue.lockDurationMs,
    stalledInterval: options.stalledIntervalMs ?? rt.config.queue.stalledIntervalMs,
    maxStalledCount: options.maxStalledCount ?? MAX_STALLED_COUNT,
  };
  const workers: Worker[] = [];
  const log = rt.logger;
  // Deliver jobs end often; the run's completion check counts the whole run (run-completion.ts).
  const completion = new RunCompletion({
    onError: (runId, e) =>
      log.warn({ runId, error: errorLine(e) }, 'run: completion check failed; a later job checks again'),
  });

  const watch = (worker: Worker, name: string): void => {
    worker.on('error', (err) => log.error({ queue: name, err: { message: err.message } }, 'worker: error'));
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const data = job.data as { runId?: string };
      log.warn(
        {
          queue: name,
          jobId: job.id,
          runId: data.runId,
          attempt: job.attemptsMade,
          final,
          error: err.message,
        },
        final ? 'job: failed for good' : 'job: failed, will retry',
      );
      if (final && data.runId) events.emit('runFailed', data.runId, `${name}: ${err.message}`);
    });
    workers.push(worker);
  };

  if (stages.has('extract') && wanted(EXTRACT_QUEUE)) {
    const worker = new Worker<ExtractJobData>(
      EXTRACT_QUEUE,
      async (job) => {
        const { pipeline, full } = job.data;
        // Scheduled jobs (pipelines/schedules.ts) carry no run id: each tick opens its own run.
        const runId = job.data.runId || `scheduled-${job.id ?? 'job'}`;
        const jobLog = log.child({ pipeline, runId, jobId: job.id });
        try {
          const [parts, ledger] = await Promise.all([rt.pipeline(pipeline), rt.ledger()]);
          await ledger.startRun({ runId, pipeline, mode: full ? 'full' : 'incremental' });
          const sealId = rt.config.signers[parts.config.signer]?.sealId ?? parts.config.signer;
          const totals = await extractPipeline(parts, ledger, {
            runId,
            full,
            logger: jobLog,
            onPage: async (created) => {
              const ids = created.map((c) => c.versionId);
              await options.queues.sign.add(
                'sign',
                { pipeline, runId, versionIds: ids },
                {
                  jobId: batchJobId('sign', runId, ids),
                },
              );
            },
            onProgress: (p) => job.updateProgress(p),
          });
          // A crash between a page's commit and its enqueue leaves versions unsigned; sweep them up.
          const unsigned = await ledger.unsignedVersionIds({ sealId, pipeline, limit: 1_000_000 });
          for (let i = 0; i < unsigned.length; i += 500) {
            const ids = unsigned.slice(i, i + 500);
            await options.queues.sign.add(
              'sign',
              { pipeline, runId, versionIds: ids },
              {
                jobId: batchJobId('sign', runId, ids),
              },
            );
          }
          // Extraction is one stage: the run is `done` once its versions are signed and delivered.
          await ledger.markExtracted(runId);
          await ledger.completeRun(runId, sealId, parts.config.targets);
          jobLog.info({ ...totals }, 'extract: done');
          return totals;
        } catch (error) {
          if (isFinalAttempt(job) || (isLicbridgeError(error) && !error.retryable)) {
            const ledger = await rt.ledger();
            await ledger.finishRun(runId, { state: 'failed', error: errorLine(error) });
          }
          return classify(error);
        }
      },
      { ...base, concurrency: 1 },
    );
    watch(worker, EXTRACT_QUEUE);
  }

  if (stages.has('sign') && wanted(SIGN_QUEUE)) {
    const worker = new Worker<SignJobData>(
      SIGN_QUEUE,
      async (job) => {
        const { pipeline, runId, versionIds } = job.data;
        try {
          const [parts, ledger] = await Promise.all([rt.pipeline(pipeline), rt.ledger()]);
          const sealId = rt.config.signers[parts.config.signer]?.sealId ?? parts.config.signer;
          const { signedIds, newlySigned } = await signVersions(parts.signer, sealId, ledger, versionIds);
          if (parts.config.targets.length === 0) await ledger.completeRun(runId, sealId, []);
          for (const target of parts.config.targets) {
            const queue = options.queues.deliver.get(target);
            if (!queue) continue;
            await queue.add(
              'deliver',
              { pipeline, runId, target, versionIds: signedIds },
              {
                jobId: batchJobId(`deliver-${target}`, runId, signedIds),
                ...deliverJobOptions(rt, target),
              },
            );
          }
          return { newlySigned };
        } catch (error) {
          return classify(error);
        }
      },
      { ...base, concurrency: options.signConcurrency ?? SIGN_CONCURRENCY },
    );
    watch(worker, SIGN_QUEUE);
  }

  if (stages.has('deliver')) {
    for (const target of options.queues.deliver.keys()) {
      const name = deliverQueueName(target);
      if (!wanted(name)) continue;
      const cfg = configuredTarget(rt, target);
      const worker: Worker<DeliverJobData> = new Worker<DeliverJobData>(
        name,
        async (job, token) => {
          const { pipeline, versionIds } = job.data;
          const [parts, ledger, adapter] = await Promise.all([
            rt.pipeline(pipeline),
            rt.ledger(),
            rt.target(target),
          ]);
          const sealId = rt.config.signers[parts.config.signer]?.sealId ?? parts.config.signer;
          let result: Awaited<ReturnType<typeof deliverVersions>>;
          try {
            // The lease outlasts every request this job may make, so a live sender never loses it.
            const requests = Math.ceil(versionIds.length / cfg.batchSize) + 1;
            const leaseMs = cfg.timeoutMs * requests + LEASE_MARGIN_MS;
            result = await deliverVersions(adapter, sealId, ledger, versionIds, { leaseMs });
          } catch (error) {
            // 429 or 503 with Retry-After: the platform asks every caller to wait, so the whole
            // target queue pauses for that long; the job goes back without spending an attempt.
            const retryAfterMs = retryAfterOf(error);
            if (retryAfterMs !== undefined && !isFinalAttempt(job)) {
              await worker.rateLimit(retryAfterMs);
              throw Worker.RateLimitError();
            }
            const permanent = isLicbridgeError(error) && !error.retryable;
            if (permanent || isFinalAttempt(job)) {
              // The ledger is the dead-letter list of record: what could not land is kept with its reason.
              const dead = await deadLetterOpen(ledger, versionIds, target, error);
              await ledger.completeRun(job.data.runId, sealId, parts.config.targets);
              return { accepted: 0, dead, skipped: 0, waiting: 0, submitted: 0 };
            }
            return classify(error);
          }
          if (result.waiting > 0 || result.submitted > 0) {
            // An earlier version still on its way, or a platform review pending: look again later
            // without spending an attempt. The count bounds the wait for a predecessor that never comes.
            const deferrals = job.data.deferrals ?? 0;
            if (deferrals >= MAX_DEFERRALS) {
              return classify(
                new LicbridgeError(
                  ErrorCodes.TARGET_UNREACHABLE,
                  `deliver: ${result.waiting + result.submitted} deliveries to ${target} still wait after ${deferrals} checks`,
                  { retryable: true, context: { target } },
                ),
              );
            }
            await job.updateData({ ...job.data, deferrals: deferrals + 1 });
            await job.moveToDelayed(Date.now() + deferDelay(deferrals), token);
            throw new DelayedError();
          }
          await completion.check(job.data.runId, () =>
            ledger.completeRun(job.data.runId, sealId, parts.config.targets),
          );
          return result;
        },
        {
          ...base,
          concurrency: cfg.concurrency,
          settings: {
            backoffStrategy: (attemptsMade: number, type?: string) => {
              if (type !== DELIVER_BACKOFF) throw new Error(`deliver: unknown backoff type ${String(type)}`);
              return cappedBackoff(attemptsMade, cfg.backoffMs, cfg.maxBackoffMs);
            },
          },
          ...(cfg.rateLimit
            ? { limiter: { max: cfg.rateLimit.max, duration: cfg.rateLimit.durationMs } }
            : {}),
        },
      );
      watch(worker, name);
    }
  }

  if (stages.has('reconcile') && wanted(RECONCILE_QUEUE)) {
    const worker = new Worker<ReconcileJobData>(
      RECONCILE_QUEUE,
      async (job) => {
        const { pipeline } = job.data;
        try {
          // reconcilePipeline stores the report in the ledger; the job keeps only its id and totals.
          const report = await reconcilePipeline(rt, { pipeline, mode: 'full' });
          log.info(
            { pipeline, jobId: job.id, reportId: report.reportId, differences: report.differences },
            'reconcile: done',
          );
          return { reportId: report.reportId, differences: report.differences };
        } catch (error) {
          return classify(error);
        }
      },
      { ...base, concurrency: 1 },
    );
    watch(worker, RECONCILE_QUEUE);
  }

  if (stages.has('lifecycle') && wanted(LIFECYCLE_QUEUE)) {
    const worker = new Worker<LifecycleJobData>(
      LIFECYCLE_QUEUE,
      async (job) => {
        try {
          return await lifecycleJob(rt, options.queues, job.id ?? 'job');
        } catch (error) {
          return classify(error);
        }
      },
      { ...base, concurrency: 1 },
    );
    watch(worker, LIFECYCLE_QUEUE);
  }

  return {
    events,
    async close(force = false) {
      await Promise.all(workers.map((w) => w.close(force)));
      if (!force) await completion.flush();
    },
  };
}
