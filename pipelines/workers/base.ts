/**
 * What every stage's worker shares: how a job's error becomes a retry or a failure for good, and
 * the BullMQ options of one worker set.
 */
import type { Job } from 'bullmq';
import { errorLine, isLicbridgeError } from '../../core/errors.js';
import { scrubbedError } from '../../core/scrub.js';
import { bullmq } from '../bullmq.js';
import type { QueueSet } from '../queues.js';
import type { RedisConnectionOptions } from '../redis.js';

/** Re-throws so BullMQ retries only what may pass: a non-retryable error fails the job at once. */
export function classify(error: unknown): never {
  // The code travels with the message, so the run summary names what to look up.
  if (isLicbridgeError(error) && !error.retryable) throw new bullmq.UnrecoverableError(errorLine(error));
  throw scrubbedError(error);
}

export function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** The BullMQ options every worker of a set is made with. */
export interface WorkerBase {
  connection: RedisConnectionOptions;
  prefix: string;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
}

/** What a stage's worker needs beside the runtime. */
export interface StageContext {
  base: WorkerBase;
  queues: QueueSet;
}
