import { EventEmitter } from 'node:events';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { isLicbridgeError } from '../core/errors.js';
import {
  batchJobId,
  type DeliverJobData,
  deliverQueueName,
  EXTRACT_QUEUE,
  type ExtractJobData,
  type QueueSet,
  SIGN_QUEUE,
  type SignJobData,
} from './queues.js';
import type { RedisConnectionOptions } from './redis.js';
import type { Runtime } from './runtime.js';
import { deliverVersions } from './stages/deliver.js';
import { extractPipeline } from './stages/extract.js';
import { signVersions } from './stages/sign.js';

export interface WorkerSetOptions {
  connection: RedisConnectionOptions;
  prefix: string;
  queues: QueueSet;
  /** Which stages this process works. @defaultValue all */
  stages?: readonly ('extract' | 'sign' | 'deliver')[];
  /** Jobs of the sign queue worked at once. @defaultValue 2 */
  signConcurrency?: number;
}

export interface WorkerSet {
  /** Emits `runFailed` (runId, message) when a run's job fails for good. */
  readonly events: EventEmitter;
  close(): Promise<void>;
}

/** Re-throws so BullMQ retries only what may pass: a non-retryable error fails the job at once. */
function classify(error: unknown): never {
  if (isLicbridgeError(error) && !error.retryable) throw new UnrecoverableError(error.message);
  throw error;
}

function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

export function startWorkers(rt: Runtime, options: WorkerSetOptions): WorkerSet {
  const events = new EventEmitter();
  const stages = new Set(options.stages ?? ['extract', 'sign', 'deliver']);
  const base = { connection: options.connection, prefix: options.prefix };
  const workers: Worker[] = [];
  const log = rt.logger;

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

  if (stages.has('extract')) {
    const worker = new Worker<ExtractJobData>(
      EXTRACT_QUEUE,
      async (job) => {
        const { pipeline, runId, full } = job.data;
        const jobLog = log.child({ pipeline, runId, jobId: job.id });
        try {
          const [parts, ledger] = await Promise.all([rt.pipeline(pipeline), rt.ledger()]);
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
          await ledger.finishRun(runId, { state: 'done' });
          jobLog.info({ ...totals }, 'extract: done');
          return totals;
        } catch (error) {
          if (isFinalAttempt(job) || (isLicbridgeError(error) && !error.retryable)) {
            const ledger = await rt.ledger();
            await ledger.finishRun(runId, {
              state: 'failed',
              error: error instanceof Error ? error.message : String(error),
            });
          }
          return classify(error);
        }
      },
      { ...base, concurrency: 1 },
    );
    watch(worker, EXTRACT_QUEUE);
  }

  if (stages.has('sign')) {
    const worker = new Worker<SignJobData>(
      SIGN_QUEUE,
      async (job) => {
        const { pipeline, runId, versionIds } = job.data;
        try {
          const [parts, ledger] = await Promise.all([rt.pipeline(pipeline), rt.ledger()]);
          const sealId = rt.config.signers[parts.config.signer]?.sealId ?? parts.config.signer;
          const { signedIds, newlySigned } = await signVersions(parts.signer, sealId, ledger, versionIds);
          for (const target of parts.config.targets) {
            const queue = options.queues.deliver.get(target);
            if (!queue) continue;
            await queue.add(
              'deliver',
              { pipeline, runId, target, versionIds: signedIds },
              {
                jobId: batchJobId(`deliver-${target}`, runId, signedIds),
                attempts: rt.config.targets[target]?.attempts ?? 8,
              },
            );
          }
          return { newlySigned };
        } catch (error) {
          return classify(error);
        }
      },
      { ...base, concurrency: options.signConcurrency ?? 2 },
    );
    watch(worker, SIGN_QUEUE);
  }

  if (stages.has('deliver')) {
    for (const [target, queue] of options.queues.deliver) {
      const concurrency = rt.config.targets[target]?.concurrency ?? 4;
      const worker = new Worker<DeliverJobData>(
        deliverQueueName(target),
        async (job) => {
          const { pipeline, versionIds } = job.data;
          const [parts, ledger, adapter] = await Promise.all([
            rt.pipeline(pipeline),
            rt.ledger(),
            rt.target(target),
          ]);
          const sealId = rt.config.signers[parts.config.signer]?.sealId ?? parts.config.signer;
          try {
            return await deliverVersions(adapter, sealId, ledger, versionIds);
          } catch (error) {
            const permanent = isLicbridgeError(error) && !error.retryable;
            if (permanent || isFinalAttempt(job)) {
              // The ledger is the dead-letter list of record: what could not land is kept with its reason.
              const rows = await ledger.ensureDeliveries(versionIds, target);
              const open = rows.filter((r) => r.state !== 'accepted' && r.state !== 'dead');
              const reason = error instanceof Error ? error.message : String(error);
              await ledger.recordDeliveryOutcomes(
                open.map((r) => ({ key: r.key, state: 'dead', reasons: [reason] })),
              );
              return { accepted: 0, dead: open.length, skipped: 0 };
            }
            return classify(error);
          }
        },
        { ...base, concurrency },
      );
      void queue;
      watch(worker, deliverQueueName(target));
    }
  }

  return {
    events,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
