import type { JobsOptions, Queue, QueueOptions } from 'bullmq';
import { sm3Hex } from '../catalog/sm3.js';
import { type Logger, rootLogger } from '../core/logger.js';
import { bullmq } from './bullmq.js';
import type { RedisConnectionOptions } from './redis.js';

/**
 * Queue names and job payloads. Jobs carry references only — pipeline names, run ids and
 * ledger version ids — never license data: Redis must not hold personal data.
 */
export const EXTRACT_QUEUE = 'extract';
export const SIGN_QUEUE = 'sign';
/** Scheduled full checks (`reconcile.schedule`); worked by `licbridge worker`, never by `run`. */
export const RECONCILE_QUEUE = 'reconcile';
/** The daily lifecycle tick (`lifecycle.schedule`); worked by `licbridge worker`. */
export const LIFECYCLE_QUEUE = 'lifecycle';
/** BullMQ queue names may not contain `:`, so per-target queues are `deliver-<target>`. */
export function deliverQueueName(target: string): string {
  return `deliver-${target}`;
}

export interface ExtractJobData {
  pipeline: string;
  runId: string;
  full: boolean;
}

export interface SignJobData {
  pipeline: string;
  runId: string;
  versionIds: number[];
  /** Time the job has waited out signing servers' Retry-After without spending attempts, ms. */
  deferredMs?: number;
}

export interface DeliverJobData {
  pipeline: string;
  runId: string;
  target: string;
  versionIds: number[];
  /** Times this job was put back to wait for an earlier version or a platform review. */
  deferrals?: number;
  /**
   * The last reason a status request for its submitted deliveries failed, if any, masked as every
   * stored reason is (scrubPlatformReason, then failureMessage): it is kept in Redis.
   */
  lastPollReason?: string;
  /** Time the job has waited out the platform's Retry-After without spending attempts, ms. */
  deferredMs?: number;
}

/** A lifecycle tick: the day is today in `lifecycle.timeZone` when the job runs. */
export interface LifecycleJobData {
  /** Times a worker shutting down stopped this tick and put it back (workers/check-workers.ts). */
  stops?: number;
  /** Recorded lost for those stops (lost-ticks.ts), so it is recorded and logged once. */
  lost?: boolean;
}

/** A full check of one pipeline: its report goes to the ledger. */
export interface ReconcileJobData {
  pipeline: string;
  /** Times a worker shutting down stopped this check and put it back (workers/check-workers.ts). */
  stops?: number;
}

export interface QueueSet {
  extract: Queue<ExtractJobData>;
  sign: Queue<SignJobData>;
  reconcile: Queue<ReconcileJobData>;
  lifecycle: Queue<LifecycleJobData>;
  deliver: Map<string, Queue<DeliverJobData>>;
  close(): Promise<void>;
}

/** Retries with exponential backoff; kept jobs are bounded so Redis does not grow without end. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

/**
 * The queues of one process. Each gets an `error` listener: when Redis goes away, every
 * connection error is one log line (without a listener ioredis prints a multi-line stack dump
 * per reconnect attempt), and BullMQ reconnects on its own.
 */
export function createQueues(
  connection: RedisConnectionOptions,
  prefix: string,
  targets: readonly string[],
  logger: Logger = rootLogger(),
): QueueSet {
  const opts = { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS };
  const watch = <Q extends Queue>(q: Q): Q => {
    q.on('error', (err: Error) =>
      logger.warn({ queue: q.name, err: { message: err.message } }, 'queue: error'),
    );
    return q;
  };
  const extract = watch(new bullmq.Queue<ExtractJobData>(EXTRACT_QUEUE, opts));
  const sign = watch(new bullmq.Queue<SignJobData>(SIGN_QUEUE, opts));
  // A check that fails is not retried eight times: the next tick checks again.
  const reconcile = watch(
    new bullmq.Queue<ReconcileJobData>(RECONCILE_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: 2 },
    }),
  );
  const lifecycle = watch(
    new bullmq.Queue<LifecycleJobData>(LIFECYCLE_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: 3 },
    }),
  );
  const deliver = new Map<string, Queue<DeliverJobData>>();
  for (const t of targets) deliver.set(t, watch(openDeliverQueue(connection, prefix, t)));
  return {
    extract,
    sign,
    reconcile,
    lifecycle,
    deliver,
    async close() {
      await Promise.all(queuesOf({ extract, sign, reconcile, lifecycle, deliver }).map((q) => q.close()));
    },
  };
}

/** Every queue of the set: extract, sign, reconcile (scheduled full checks), lifecycle, then one per target. */
export function queuesOf(set: Omit<QueueSet, 'close'>): Queue[] {
  return [set.extract, set.sign, set.reconcile, set.lifecycle, ...set.deliver.values()] as Queue[];
}

/** The deliver queue of `target`, as every process opens it (a queue set's, or one opened for a call). */
export function openDeliverQueue(
  connection: RedisConnectionOptions | QueueOptions['connection'],
  prefix: string | undefined,
  target: string,
): Queue<DeliverJobData> {
  return new bullmq.Queue<DeliverJobData>(deliverQueueName(target), {
    connection,
    ...(prefix === undefined ? {} : { prefix }),
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}

/**
 * Stable job ids make a re-enqueue after a crash a no-op while the first job exists. The ends and
 * the count are there to be read; the digest of every id is what tells two sets apart: a run's
 * re-delivery of some versions of a range a job of it held (versions left out between its ends)
 * has the same ends and count, and BullMQ ignores an add under an id it still holds, kept
 * completed jobs included. 16 hex digits of SM3 (catalog/sm3.ts, as every hash licbridge keeps):
 * no ':' (BullMQ refuses it in an id), and version ids are ledger numbers, no personal data.
 */
export function batchJobId(kind: string, runId: string, versionIds: readonly number[]): string {
  const first = versionIds[0] ?? 0;
  const last = versionIds[versionIds.length - 1] ?? 0;
  const digest = sm3Hex(versionIds.join(',')).slice(0, 16);
  return `${kind}_${runId}_${first}_${last}_${versionIds.length}_${digest}`;
}
