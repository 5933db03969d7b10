/**
 * Bounded waits for a process that stops: a close that waits on a server that stopped answering
 * (a ledger query or a Redis command in flight, BullMQ's close after a Redis outage) must not hold
 * the stop, nor the process, for good.
 */
import { ErrorCodes, LicbridgeError } from './errors.js';

/**
 * How long each part of a command's stop may take, ms: ending its runs, its workers (and as long
 * again to stop them hard), its queues, its leases, its connections — `licbridge run`'s, a
 * repair's and `dlq replay`'s alike (docs/operations.md, "Stopping a run").
 */
export const STOP_PART_MS = 5000;

/**
 * Whether `p` settles within `ms`: resolved or rejected alike, since a stop goes on either way and
 * the failure was logged where it arose; `undefined` has nothing to wait for. With `ms` undefined,
 * `p` is awaited whole. The timer is cleared either way, so it keeps no process alive.
 */
export async function within(p: Promise<unknown> | undefined, ms: number | undefined): Promise<boolean> {
  if (p === undefined) return true;
  const settled = p.then(
    () => true as const,
    () => true as const,
  );
  if (ms === undefined) return settled;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The least a step waiting on Redis is given before it counts as unanswered, whatever the idle
 * timeout, ms: a healthy sweep of a large backlog on a loaded host takes seconds, and an idle
 * timeout of a second (a test's, a short `--wait-seconds`) failed it as unanswered.
 */
export const ANSWER_MIN_MS = 10_000;

/**
 * `work`, unless it has not ended within `ms` (`ANSWER_MIN_MS` at least): then
 * `LB_QUEUE_UNREACHABLE`, `what` (the step, as the command names it) having got no answer from
 * `from` (a sweep reads the ledger too, whose retries may last as long), as after the idle
 * timeout. A step's Redis commands wait for an answer without a bound (BullMQ's connections retry
 * for good), so a Redis that accepted them and stopped answering held an unattended command, and
 * its pipelines' leases, for good. The step itself goes on unheard, and fails once the command's
 * end drops its connections.
 */
export async function answeredWithin<T>(
  work: Promise<T>,
  ms: number,
  what = 'run: a sweep',
  from = 'Redis',
): Promise<T> {
  const bound = Math.max(ms, ANSWER_MIN_MS);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LicbridgeError(
            ErrorCodes.QUEUE_UNREACHABLE,
            `${what} got no answer from ${from} for ${Math.round(bound / 1000)} s; see \`licbridge status\``,
            { retryable: true },
          ),
        ),
      bound,
    );
  });
  // Its late failure (once its connections are dropped) is not an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
