/**
 * What the dashboard (bull-board) refuses, and why. Two kinds of request are never served:
 *
 * - Writing job data (adding a job, the page's "duplicate", replacing a job's data). Workers trust
 *   job data as ledger references produced by licbridge itself.
 * - Dropping work. A job that has not finished holds work the ledger still owes: a deliver job
 *   removed while waiting or deferred leaves its versions signed but not sent, and nothing a
 *   `licbridge worker` does on its own enqueues them again (a scheduled run queues only what is
 *   unsigned; only `licbridge run` and the daily lifecycle tick take the backlog up). Emptying,
 *   obliterating, cleaning unfinished jobs, removing an unfinished job or a job's unprocessed
 *   children, moving a delayed job's time or a waiting job's priority and removing or rewriting a
 *   schedule all drop work, or every run after them, without a word. Running a schedule now is
 *   refused too: a full check would start outside its source's `readWindow`.
 *
 * Limits set on the board (a queue's global concurrency or rate limit) are refused as well: they
 * stay in Redis, override the config's, and can slow a queue to a crawl while `status` shows it
 * worked. So is releasing a rate limit in force: the deliver stage sets one when a platform
 * answers 429 with `Retry-After`, and releasing it sends the queue's next batches into the wait
 * the platform asked for (more 429s, attempts spent, dead letters).
 *
 * Finished jobs stay removable: a completed job's work is in the ledger, and a failed job's is too
 * (a delivery that failed for good is a dead letter there, an unsigned version is queued again by
 * the next run), which is why BullMQ's own retention drops them as well. Pausing, resuming,
 * retrying and promoting move work along and lose none.
 *
 * The match is on bull-board's route definitions, not on the request's spelling of the path, so no
 * encoding of the URL reaches the handlers.
 *
 * A rule that cannot read what it decides by (Redis failing under `getJob`, say) refuses: when it
 * cannot be told whether the work is done, the action must not go through. bull-board answers a
 * rule that throws with a bare 500 and logs nothing, so the failure is logged here, masked.
 */
import type { HookContext } from '@bull-board/api/typings/app';
import type { Logger } from '../../core/logger.js';

export interface Refusal {
  allow: false;
  status: 403;
  message: string;
}

const refuse = (message: string): Refusal => ({
  allow: false,
  status: 403,
  message: `dashboard: refused: ${message}`,
});

const JOB_DATA = 'jobs are made by licbridge only; the board cannot add a job or change its data';
const DROPS_WORK =
  'removing jobs that have not finished would drop work the ledger still owes, and no worker queues it again on its own; pause the queue to hold work, retry or remove failed jobs, `licbridge dlq list` / `licbridge dlq discard` for deliveries that cannot land, `licbridge run <pipeline>` to take up what is owed';
const MOVES_WORK =
  "moving a job's time would hide the work it holds; promote it to run it now, or pause the queue";
// BullMQ takes a waiting job given a priority after every job without one: the lowest held it
// back for as long as new jobs came, while `status` counted it as on its way.
const REORDERS_WORK =
  "changing a job's priority would hold it behind work queued after it, for as long as new work comes; pause the queue to hold work";
const SCHEDULES =
  'schedules come from the config: change `pipelines.<name>.schedule`, `reconcile.schedule` or `lifecycle.schedule` and run `licbridge schedule`';

// bull-board's "run now" adds the scheduler's job at once: a full check run whenever it is asked,
// outside its source's readWindow too, where the config refuses every schedule (schedule-window.ts).
const RUNS_SCHEDULE =
  "a schedule runs at the times the config gives it; to run the work now use `licbridge run <pipeline>`, `licbridge reconcile <pipeline>` (refused outside the source's `readWindow`) or `licbridge lifecycle run`";

const LIMITS =
  'how fast a queue is worked comes from the config: `targets.<name>.concurrency` and `targets.<name>.rateLimit`, read by `licbridge worker` when it starts';
const UNREAD =
  'Redis could not be read, so whether this would drop work cannot be told; nothing was changed. Try again once Redis answers (the serve log says what failed)';
const PLATFORM_WAIT =
  'a rate limit in force is the wait a platform asked for (429 with Retry-After); it ends by itself, and releasing it early spends attempts on more 429s';

/** Job states whose work is done or recorded in the ledger: such a job may be removed. */
const FINISHED: ReadonlySet<string> = new Set(['completed', 'failed']);

type Rule = (ctx: HookContext) => Refusal | undefined | Promise<Refusal | undefined>;

const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['post /api/queues/:queueName/add', () => refuse(JOB_DATA)],
  ['patch /api/queues/:queueName/:jobId/update-data', () => refuse(JOB_DATA)],
  ['put /api/queues/:queueName/empty', () => refuse(DROPS_WORK)],
  ['put /api/queues/:queueName/obliterate', () => refuse(DROPS_WORK)],
  [
    'put /api/queues/:queueName/clean/:queueStatus',
    ({ request }) => (FINISHED.has(String(request.params.queueStatus)) ? undefined : refuse(DROPS_WORK)),
  ],
  ['put /api/queues/:queueName/:jobId/clean', unfinishedJob],
  // A job's unprocessed children are jobs that have not run: removing them drops their work.
  ['put /api/queues/:queueName/:jobId/remove-unprocessed-children', () => refuse(DROPS_WORK)],
  ['patch /api/queues/:queueName/:jobId/delay', () => refuse(MOVES_WORK)],
  ['patch /api/queues/:queueName/:jobId/priority', () => refuse(REORDERS_WORK)],
  ['put /api/queues/:queueName/job-schedulers/:schedulerId/remove', () => refuse(SCHEDULES)],
  ['patch /api/queues/:queueName/job-schedulers/:schedulerId', () => refuse(SCHEDULES)],
  ['put /api/queues/:queueName/job-schedulers/:schedulerId/run', () => refuse(RUNS_SCHEDULE)],
  ['put /api/queues/:queueName/concurrency', () => refuse(LIMITS)],
  ['put /api/queues/:queueName/rate-limit', () => refuse(LIMITS)],
  ['put /api/queues/:queueName/rate-limit/release', () => refuse(PLATFORM_WAIT)],
]);

/** Removing one job: allowed only once it has finished (an unknown job is left to bull-board's 404). */
async function unfinishedJob({ request }: HookContext): Promise<Refusal | undefined> {
  const queue = request.queues.get(String(request.params.queueName));
  if (!queue) return undefined;
  const job = await queue.getJob(String(request.params.jobId));
  if (!job) return undefined;
  return FINISHED.has(await job.getState()) ? undefined : refuse(DROPS_WORK);
}

/**
 * The refusal of a dashboard API request, or undefined when bull-board may serve it. A rule that
 * fails refuses, and its failure goes to `log` (masked as every logged error is).
 */
export function dashboardRefusal(log: Logger): (ctx: HookContext) => Promise<Refusal | undefined> {
  return async (ctx) => {
    const rule = RULES.get(`${ctx.method} ${ctx.route}`);
    if (!rule) return undefined;
    try {
      return await rule(ctx);
    } catch (e) {
      log.error(
        { err: e instanceof Error ? e : { type: typeof e }, route: ctx.route, method: ctx.method },
        'dashboard: refusal rule failed',
      );
      return refuse(UNREAD);
    }
  };
}
