/**
 * What `licbridge schedule --list` says is wrong with the installed schedules, read against the
 * config. Schedulers live in Redis and change only when `licbridge schedule` runs, so a deploy
 * that skipped it keeps firing the old cron expression (or a removed pipeline's), in the old
 * zone, with nothing saying so; and a scheduler whose next tick is long past has stopped firing:
 * no worker takes its queue, the queue is paused, its workers are busy with an earlier tick, or
 * BullMQ could not add the next job when it took the last one (a Redis error at that moment,
 * after which the scheduler never fires again until it is installed anew).
 */
import type { Config } from '../config/types.js';
import { zonedTime } from '../core/zoned-time.js';
import { PROBE_TIMEOUT_MS } from './observability/status-types.js';
import { withTimeout } from './observability/timeout.js';
import type { QueueSet } from './queues.js';
import {
  LIFECYCLE_SCHEDULER_ID,
  RECONCILE_SCHEDULER_PREFIX,
  SCHEDULER_PREFIX,
  scheduleTimeZone,
  type WantedSchedule,
  wantedSchedules,
} from './schedules.js';

/** A scheduler as Redis holds it. */
export interface InstalledSchedule {
  id: string;
  queue: WantedSchedule['queue'];
  pattern: string | null;
  tz: string | null;
  next: string | null;
}

/** A listed schedule; `problem` when it needs `licbridge schedule` or a worker. */
export interface ListedSchedule extends InstalledSchedule {
  problem?: string;
}

/** How long past its time a tick may wait for a worker to take it before it counts as missed, ms. */
export const TICK_GRACE_MS = 60_000;

/**
 * Each installed scheduler with what is wrong with it, then each scheduler the config wants and
 * Redis does not hold. Schedulers of other names (not licbridge's) are listed without a problem.
 */
export function scheduleProblems(
  installed: readonly InstalledSchedule[],
  wanted: readonly WantedSchedule[],
  tz: string,
  now: number,
): ListedSchedule[] {
  const byId = new Map(wanted.map((w) => [`${w.queue}\u0000${w.id}`, w]));
  const seen = new Set<string>();
  const out: ListedSchedule[] = installed.map((s) => {
    const key = `${s.queue}\u0000${s.id}`;
    seen.add(key);
    const w = byId.get(key);
    if (!w) {
      if (!ours(s)) return s;
      return {
        ...s,
        problem: `not in the config (${s.id}): it still fires until \`licbridge schedule\` removes it`,
      };
    }
    if (s.pattern !== w.pattern || (s.tz ?? null) !== tz) {
      return {
        ...s,
        problem: `installed as \`${s.pattern ?? '-'}\` in ${s.tz ?? "the zone of each worker's host"}; the config says \`${w.pattern}\` in ${tz} (\`${w.path}\`): run \`licbridge schedule\``,
      };
    }
    const next = s.next === null ? Number.NaN : Date.parse(s.next);
    if (s.next === null || next < now - TICK_GRACE_MS) {
      return {
        ...s,
        problem: `${s.next === null ? 'no next tick' : `its tick of ${zonedTime(s.next, tz)} has not started`}: no worker takes the \`${s.queue}\` queue, the queue is paused, its workers are busy with an earlier tick, or the scheduler stopped adding ticks; start \`licbridge worker\`, and run \`licbridge schedule\` if it stays`,
      };
    }
    return s;
  });
  for (const w of wanted) {
    if (seen.has(`${w.queue}\u0000${w.id}`)) continue;
    out.push({
      id: w.id,
      queue: w.queue,
      pattern: w.pattern,
      tz,
      next: null,
      problem: `\`${w.path}\` is not installed: run \`licbridge schedule\``,
    });
  }
  return out;
}

/** A scheduler `licbridge schedule` installs and removes: its names, on its queue. */
function ours(s: InstalledSchedule): boolean {
  if (s.queue === 'extract') return s.id.startsWith(SCHEDULER_PREFIX);
  if (s.queue === 'reconcile') return s.id.startsWith(RECONCILE_SCHEDULER_PREFIX);
  return s.id === LIFECYCLE_SCHEDULER_ID;
}

/** What is read of a scheduler, whichever queue's. */
interface SchedulerRead {
  key: string;
  pattern?: string;
  tz?: string;
  next?: number;
}

/** The installed schedulers of one queue, or why they could not be read. */
type QueueRead = { queue: WantedSchedule['queue'] } & (
  | { installed: InstalledSchedule[] }
  | { unread: string }
);

/**
 * The installed schedulers of the three queues, each with its zone and next tick; with `config`,
 * read against it (`scheduleProblems`). Each queue is read within `timeoutMs`, as `status` reads
 * them (./observability/queue-stats.ts): queue commands wait for Redis to come back, and a Redis
 * that stopped answering after the command reached it held `schedule --list` with no end. A queue
 * not read in time, or whose read failed, lists each schedule the config wants on it (or, wanting
 * none, the queue) as unknown with why, never as not installed.
 */
export async function listSchedules(
  queues: QueueSet,
  config?: Readonly<Config>,
  now = Date.now(),
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ListedSchedule[]> {
  const reads = await Promise.all(
    (['extract', 'reconcile', 'lifecycle'] as const).map(async (queue): Promise<QueueRead> => {
      try {
        const schedulers = await withTimeout<readonly SchedulerRead[]>(
          queues[queue].getJobSchedulers(0, -1),
          timeoutMs,
          `queues: installed schedules of \`${queue}\``,
        );
        return {
          queue,
          installed: schedulers.map((s) => ({
            id: s.key,
            queue,
            pattern: s.pattern ?? null,
            tz: s.tz ?? null,
            next: s.next ? new Date(s.next).toISOString() : null,
          })),
        };
      } catch (e) {
        return { queue, unread: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
  const installed = reads.flatMap((r) => ('installed' in r ? r.installed : []));
  const wanted = config ? wantedSchedules(config) : [];
  const tz = config ? scheduleTimeZone(config) : null;
  const listed = config
    ? scheduleProblems(
        installed,
        wanted.filter((w) => read(reads, w.queue)),
        tz ?? '',
        now,
      )
    : installed;
  return [...listed, ...reads.flatMap((r) => ('unread' in r ? unknown(r.queue, r.unread, wanted, tz) : []))];
}

function read(reads: readonly QueueRead[], queue: WantedSchedule['queue']): boolean {
  return reads.some((r) => r.queue === queue && 'installed' in r);
}

/** The schedules of a queue whose schedulers could not be read: whether they are installed is unknown. */
function unknown(
  queue: WantedSchedule['queue'],
  why: string,
  wanted: readonly WantedSchedule[],
  tz: string | null,
): ListedSchedule[] {
  const mine = wanted.filter((w) => w.queue === queue);
  const problem = (what: string) =>
    `whether ${what} is installed is unknown: the installed schedules could not be read (${why}); run \`licbridge schedule --list\` again once Redis answers`;
  if (mine.length === 0)
    return [
      {
        id: '*',
        queue,
        pattern: null,
        tz: null,
        next: null,
        problem: problem(`any schedule of the \`${queue}\` queue`),
      },
    ];
  return mine.map((w) => ({
    id: w.id,
    queue,
    pattern: w.pattern,
    tz,
    next: null,
    problem: problem(`\`${w.path}\``),
  }));
}
