/**
 * BullMQ's words for a job whose lock ran out under a live worker, told once per job. A worker
 * whose event loop is starved (a loaded host, long synchronous work) misses its lock renewals:
 * BullMQ then emits `could not renew lock for job …` at every renewal tick for as long as the job
 * runs, and `Missing lock for job … moveToFinished` (or `Lock mismatch …` once another worker
 * holds it) when it ends — hundreds of lines on a long run, each looking like a fault. One line
 * per job says what happened; the rest go to debug.
 */
import type { Logger } from '../../core/logger.js';

const LOST_LOCK = [
  /^could not renew lock for job (\S+)$/,
  /^Missing lock for job (\S+)\. \w+$/,
  /^Lock mismatch for job (\S+)\. /,
] as const;

/** The job id a lost-lock error names, or undefined for any other error. */
export function lostLockJobId(message: string): string | undefined {
  for (const shape of LOST_LOCK) {
    const id = shape.exec(message)?.[1];
    if (id !== undefined) return id;
  }
  return undefined;
}

/** Job ids remembered per worker set: enough for any run's jobs in flight, bounded for a worker that runs for months. */
const REMEMBERED = 10_000;

/** One worker set's lost-lock lines: the first for a job at warn, the rest at debug. */
export class LostLockLog {
  readonly #seen = new Set<string>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Logs `err` if it is a lost lock; false when it is another error, left to the caller. */
  handle(queue: string, err: Error): boolean {
    const jobId = lostLockJobId(err.message);
    if (jobId === undefined) return false;
    const key = `${queue}\u0000${jobId}`;
    if (this.#seen.has(key)) {
      this.#log.debug({ queue, jobId, err: { message: err.message } }, 'job: lock still lost');
      return true;
    }
    if (this.#seen.size >= REMEMBERED) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    this.#seen.add(key);
    this.#log.warn(
      { queue, jobId, err: { message: err.message } },
      'job: lost its lock: its worker did not renew it within queue.lockDurationMs (a starved event loop); the stalled check may give it to another worker, and the ledger keeps the copies from doing the work twice',
    );
    return true;
  }
}
