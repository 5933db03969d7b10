/**
 * Before `licbridge run` stops its workers, the queues it worked are emptied: a retry left delayed
 * after another job did its work, or a deferred deliver job, would otherwise sit there with no
 * worker — and `licbridge status` rightly calls a job nobody will take a state that needs a person.
 * Their work is done (the run only drains once the ledger says so), so promoting them lets the
 * workers finish them as no-ops. Jobs of an installed schedule are left to their time, and so are
 * jobs of a run still `running` (`heldByRunningRun`): theirs is work not done.
 *
 * A job of a run that has ended is promoted, its work being nobody's but the next worker's: a run
 * stopped by a signal ends `abandoned` and leaves its work to be finished, not cancelled
 * (docs/operations.md, stopping a run). It is promoted once per drain: one that fails back to the
 * delayed list (a platform still down, a Retry-After, a wait for an earlier version) is left to
 * its time, as were it promoted at each 200 ms pass it spent its attempts (deferrals) in seconds
 * and dead-lettered its deliveries on a passing outage.
 */
import type { Job, Queue } from 'bullmq';
import { errorLine, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { answeredWithin } from '../core/within.js';
import type { Ledger } from '../ledger/ledger.js';
import { runOwnerAlive } from './run-liveness.js';
import { pauseUnlessStopped } from './run-stop.js';

/** Whether a delayed job is owed to its time rather than promoted. */
export type KeepDelayed = (job: Job) => Promise<boolean>;

/**
 * A job of a run still `running` — another pipeline's, a scheduled run's — is work not done: a
 * retry backing off from a failing platform (or its Retry-After), a delivery waiting for an
 * earlier version. Promoted, it ran at once, and again each time it failed back to the delayed
 * list, every 200 ms for the whole drain: a passing outage of one platform spent its attempts
 * (deferrals) in half a minute and dead-lettered it, and a rate-limited platform was hammered.
 * A run whose owning `licbridge run` process is gone (killed; run-liveness.ts) is no such run:
 * nobody else waits to do its work, so its job is promoted and done here, as another worker would
 * take it over. Each run is read once per drain. A run the ledger could not read (a database restarting, a
 * connection cut) keeps its job to its time this pass and is read again on the next: the run's own
 * work is complete by now, and the drain must not fail it.
 */
export function heldByRunningRun(ledger: Pick<Ledger, 'getRun'>, log?: Logger): KeepDelayed {
  const running = new Map<string, Promise<boolean>>();
  return (job) => {
    const runId = (job.data as { runId?: unknown } | undefined)?.runId;
    if (typeof runId !== 'string' || runId === '') return Promise.resolve(false);
    let seen = running.get(runId);
    if (!seen) {
      seen = ledger.getRun(runId).then(
        (r) => r?.state === 'running' && runOwnerAlive(r),
        (e: unknown) => {
          running.delete(runId);
          // A driver's words may quote a connection URL with its password: masked as every log line's.
          log?.warn(
            { runId, error: errorLine(e) },
            "run: the ledger did not say whether a delayed job's run still runs; left to its time",
          );
          return true;
        },
      );
      running.set(runId, seen);
    }
    return seen;
  };
}

/**
 * Waits until the queues hold no job to work; `false` when `timeoutMs` passed first, or when `stop`
 * is aborted (a signal asked `licbridge run` to stop: what is left is worked by the next run).
 */
export async function drainQueues(
  queues: readonly Queue[],
  timeoutMs: number,
  log: Logger,
  keep: KeepDelayed = async () => false,
  stop?: AbortSignal,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  const promoted = new Set<string>();
  for (;;) {
    if (stop?.aborted) {
      log.warn('run: stopped while emptying the queues; the jobs left are worked by the next run');
      return false;
    }
    const look = async (): Promise<number> => {
      let left = 0;
      for (const q of queues) {
        const counts = await q.getJobCounts('waiting', 'prioritized', 'active');
        left += (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0);
        // Every delayed job: jobs kept to their time ahead of the rest filled a single read of
        // 1,000, and one past them was neither promoted nor counted — the drain called the queues
        // empty with it left delayed, no worker to take it. The ids are read at once (~40 bytes a
        // job), the jobs a page at a time (queue-scan.ts): paged by position, a job leaving the
        // list between two reads (its time come, removed) moved the one after the page's end
        // into it, where no read met it.
        const ids = await q.getRanges(['delayed'], 0, -1, true);
        for (let start = 0; start < ids.length; start += DELAYED_PAGE) {
          const page = await Promise.all(ids.slice(start, start + DELAYED_PAGE).map((id) => q.getJob(id)));
          for (const job of page) {
            // Gone since its id was read: nothing left to promote.
            if (!job) continue;
            const id = job.id === undefined ? undefined : `${q.name}\u0000${job.id}`;
            if (job.repeatJobKey || (id !== undefined && promoted.has(id)) || (await keep(job))) continue;
            left += 1;
            if (id !== undefined) promoted.add(id);
            await job.promote().catch(() => undefined);
          }
        }
      }
      return left;
    };
    // Bounded by the drain's time left (ANSWER_MIN_MS at least): BullMQ's commands wait for an
    // answer without a bound, and a Redis that stopped answering held a run whose work was done,
    // unattended, for good. Its runs are done in the ledger by then; the jobs left are the next run's.
    const answered = answeredWithin(look(), end - Date.now(), 'run: emptying the queues').catch(
      (e: unknown) => {
        if (!(e instanceof LicbridgeError)) throw e;
        log.warn(
          { error: e.message },
          'run: Redis did not answer while the queues were emptied; the jobs left are worked by the next run',
        );
        return undefined;
      },
    );
    // And heard a stop meanwhile: waited for, a look on a Redis that stopped answering outlasted
    // the stop's bound (run-stop.ts), and the run was left there as one stopped before its work
    // was complete, though its runs were done.
    const left = await unlessAborted(answered, stop);
    if (left === STOPPED) {
      log.warn('run: stopped while emptying the queues; the jobs left are worked by the next run');
      return false;
    }
    if (left === undefined) return false;
    if (left === 0) return true;
    if (Date.now() > end) {
      log.warn({ jobs: left }, 'run: jobs still queued when the run ended; `licbridge status` shows them');
      return false;
    }
    await pauseUnlessStopped(200, stop);
  }
}

const STOPPED = Symbol('stopped');

/** Delayed jobs whose data is read at once. */
const DELAYED_PAGE = 1000;

/** `work`'s outcome, or `STOPPED` as soon as `stop` is aborted (the work goes on unheard). */
function unlessAborted<T>(work: Promise<T>, stop: AbortSignal | undefined): Promise<T | typeof STOPPED> {
  if (!stop) return work;
  if (stop.aborted) return Promise.resolve(STOPPED);
  return new Promise((resolve, reject) => {
    const onStop = (): void => resolve(STOPPED);
    stop.addEventListener('abort', onStop, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener('abort', onStop));
  });
}
