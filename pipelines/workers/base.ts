/**
 * What every stage's worker shares: how a job's error becomes a retry or a failure for good, what
 * of it Redis may keep, and the BullMQ options of one worker set.
 */
import type { Job, Processor } from 'bullmq';
import { stackFrames } from '../../core/error-text.js';
import { failureMessage, isLicbridgeError } from '../../core/errors.js';
import { bullmq } from '../bullmq.js';
import type { QueueSet } from '../queues.js';
import type { RedisConnectionOptions } from '../redis.js';
import { isJobGone, type LostJobs, requeuedIfLost, requeueLost } from './lost-jobs.js';
import { stallLimited } from './stalled-scheduled.js';

/** Re-throws so BullMQ retries only what may pass: a non-retryable error fails the job at once. */
export function classify(error: unknown): never {
  // The code travels with the message, so the run summary names what to look up.
  if (isLicbridgeError(error) && !error.retryable)
    throw storedError(error, (m) => new bullmq.UnrecoverableError(m));
  throw storedError(error);
}

/**
 * An error's text as a job's failedReason and stacktrace may hold it (Redis keeps failed jobs;
 * no personal data or secret may sit there), and as a run failed by it keeps it in the ledger:
 * its message as failureMessage makes any error's safe to store and show (core/errors.ts),
 * so Redis, `status` and a failed check hide the same. A licbridge error keeps its code after it; a
 * foreign one its name and its driver's code (`ER_DUP_ENTRY`, `23505`) before it.
 */
export function storedReason(error: unknown): string {
  const { code, message } = failureMessage(error);
  if (code !== null) return `${message} [${code}]`;
  const driverCode = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  const shownCode =
    typeof driverCode === 'string' || typeof driverCode === 'number' ? ` (${String(driverCode)})` : '';
  // A name and a code are a driver's words too.
  const named = failureMessage(`${error instanceof Error ? error.name : typeof error}${shownCode}`).message;
  return `${named}: ${message}`;
}

/**
 * A plain Error BullMQ may store for `error`: its message is storedReason's, its stack that
 * message and the original frames (a stack opens with the raw message, driver's words and all).
 * No `cause`: BullMQ keeps only message and stack, and nothing else should travel with it.
 */
function storedError(error: unknown, make: (message: string) => Error = (m) => new Error(m)): Error {
  const clean = make(storedReason(error));
  clean.stack = `${clean.name}: ${clean.message}${stackFrames(error)}`;
  made.add(clean);
  return clean;
}

/** Errors storedError made: passed on by storedFailures as they are, not made over. */
const made = new WeakSet<Error>();

/** BullMQ's own signals (a delay, a rate limit, waiting children): not failures, passed on as they are. */
function isControlSignal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.message === bullmq.RATE_LIMIT_ERROR ||
    error.name === 'DelayedError' ||
    error.name === 'WaitingError' ||
    error.name === 'WaitingChildrenError'
  );
}

/**
 * `processor` whose every throw reaches BullMQ as storedError makes it — also what a stage throws
 * outside its own try (opening the ledger, a target, a dead-letter write), which no classify()
 * saw: it is classified here. An UnrecoverableError stays one; its message is made safe all the same.
 * With `stallLimit` (a number: a queue of scheduled jobs), a scheduler's job that stalled more times than
 * that fails before it runs, in BullMQ's own words (./stalled-scheduled.ts). With `lost`, a job
 * whose key Redis lost while it ran is queued again instead of failed (./lost-jobs.ts).
 */
export function storedFailures<D, R>(
  processor: Processor<D, R>,
  options?: number | { stallLimit?: number; lost?: LostJobs<D> | undefined },
): Processor<D, R> {
  const { stallLimit, lost } =
    typeof options === 'number' ? { stallLimit: options, lost: undefined } : (options ?? {});
  const stored: Processor<D, R> = async (job, token) => {
    try {
      return await processor(job, token);
    } catch (error) {
      if (isControlSignal(error) || (error instanceof Error && made.has(error))) throw error;
      if (error instanceof Error && error.name === 'UnrecoverableError')
        throw storedError(error, (m) => new bullmq.UnrecoverableError(m));
      // As a stage's own catch would: a non-retryable licbridge error fails the job at once.
      return classify(error);
    }
  };
  const limited = stallLimit === undefined ? stored : stallLimited(stallLimit, stored);
  return lost === undefined ? limited : requeuedIfLost(lost, limited);
}

/**
 * Puts the job back on its queue until `delayMs` from now without spending an attempt: a wait the
 * work asked for (an earlier version still on its way, a server's Retry-After), not a failure. Its
 * data is written first, so the next run of the job sees what this one counted; BullMQ expects the
 * DelayedError of a processor that moved its own job. With `lost`, a job whose key Redis lost
 * while it ran is queued again with `data` as it asked (./lost-jobs.ts): its move failed, and
 * the wait it owed was nobody's.
 */
export async function deferJob<D>(
  job: Job<D>,
  token: string | undefined,
  data: D,
  delayMs: number,
  lost?: LostJobs<D>,
): Promise<never> {
  try {
    await job.updateData(data);
    await job.moveToDelayed(Date.now() + delayMs, token);
  } catch (error) {
    if (!lost || !isJobGone(error)) throw error;
    await requeueLost(lost, job, data, delayMs, 'deferred');
  }
  throw new bullmq.DelayedError();
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
