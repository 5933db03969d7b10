/**
 * Every job licbridge puts on a queue is made here: the extract job of a run, sign jobs for
 * versions, deliver jobs for signed versions. One place decides how versions are cut into jobs,
 * the job ids that make a re-enqueue after a crash a no-op while the first job exists
 * (`batchJobId`), and a deliver job's attempts and backoff from its target's config.
 */
import { deliveryTarget } from '../config/delivery-targets.js';
import type { LoadedDeliveryTargetConfig } from '../config/target-types.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { DELIVER_BACKOFF } from './delivery-policy.js';
import { batchJobId, type ExtractJobData, type QueueSet } from './queues.js';

/** Versions per job when the ledger's backlog is re-enqueued (a page's own versions go as one job). */
export const JOB_BATCH = 500;

/** A delivery target of the loaded config: its knobs are set (the loader applied the schema's defaults). */
export function configuredTarget(
  config: Readonly<Pick<Config, 'targets'>>,
  target: string,
): LoadedDeliveryTargetConfig {
  const cfg = deliveryTarget(config, target);
  if (cfg) return cfg;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `deliver: \`${target}\` is not a delivery target in the config`,
    {
      context: { target },
    },
  );
}

/** Attempts and jittered exponential backoff of a target's deliver jobs, from its config. */
export function deliverJobOptions(config: Readonly<Pick<Config, 'targets'>>, target: string) {
  const cfg = configuredTarget(config, target);
  return {
    attempts: cfg.attempts,
    // Capped, jittered exponential backoff (delivery-policy.ts); the deliver workers define it.
    backoff: { type: DELIVER_BACKOFF, delay: cfg.backoffMs },
  };
}

export interface VersionJobs {
  pipeline: string;
  /** The run the jobs work for: a failure for good fails it. */
  runId: string;
  versionIds: readonly number[];
}

export interface CutOptions {
  /** Names the jobs instead of the run id (a recovery's own tag, so it does not collide with the run's jobs). */
  tag?: string;
  /** Versions per job. @defaultValue all in one job */
  chunk?: number;
}

function cut(ids: readonly number[], chunk: number | undefined): number[][] {
  const size = chunk ?? Math.max(1, ids.length);
  const parts: number[][] = [];
  for (let i = 0; i < ids.length; i += size) parts.push(ids.slice(i, i + size));
  return parts;
}

/** Sign jobs for the versions; returns the jobs added. */
export async function enqueueSign(
  queues: QueueSet,
  jobs: VersionJobs,
  options: CutOptions = {},
): Promise<number> {
  const parts = cut(jobs.versionIds, options.chunk);
  for (const part of parts) {
    await queues.sign.add(
      'sign',
      { pipeline: jobs.pipeline, runId: jobs.runId, versionIds: part },
      { jobId: batchJobId('sign', options.tag ?? jobs.runId, part) },
    );
  }
  return parts.length;
}

/** Deliver jobs for signed versions to one target; none when the queue set has no queue for it. Returns the jobs added. */
export async function enqueueDeliver(
  config: Readonly<Pick<Config, 'targets'>>,
  queues: QueueSet,
  target: string,
  jobs: VersionJobs,
  options: CutOptions = {},
): Promise<number> {
  const queue = queues.deliver.get(target);
  if (!queue) return 0;
  const parts = cut(jobs.versionIds, options.chunk);
  for (const part of parts) {
    await queue.add(
      'deliver',
      { pipeline: jobs.pipeline, runId: jobs.runId, target, versionIds: part },
      {
        jobId: batchJobId(`deliver-${target}`, options.tag ?? jobs.runId, part),
        ...deliverJobOptions(config, target),
      },
    );
  }
  return parts.length;
}

/** The extract job of a run (`extract_<tag>`, the run id unless a recovery names its own). */
export async function enqueueExtract(
  queues: QueueSet,
  job: ExtractJobData,
  tag: string = job.runId,
): Promise<void> {
  await queues.extract.add('extract', job, { jobId: `extract_${tag}` });
}
