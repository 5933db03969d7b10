import type { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import type { QueueSet } from '../queues.js';
import { SCHEDULER_PREFIX } from '../schedules.js';
import { PROBE_TIMEOUT_MS } from './status-types.js';
import { withTimeout } from './timeout.js';

/** Job counts of one queue and how many workers are connected to it. */
export interface QueueStats {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  prioritized: number;
  /** Workers connected to this queue now (Redis CLIENT LIST), across every host; 0 when unknown. */
  workers: number;
  /**
   * Why the workers could not be counted (a Redis user not granted CLIENT LIST, say); absent when
   * they were.
   */
  workersUnknown?: string;
  /** Paused (from the dashboard, say): its workers take no job until it is resumed. */
  paused: boolean;
}

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

export { queuesOf } from '../queues.js';

export async function queueStats(queue: Queue): Promise<QueueStats> {
  let workersUnknown: string | undefined;
  const [counts, workers, paused] = await Promise.all([
    queue.getJobCounts(...STATES),
    // Workers name their Redis connection after the queue, so CLIENT LIST sees them on any host.
    // A refused CLIENT LIST says nothing of them: taken for none, every queue holding jobs read
    // as having no live worker.
    queue.getWorkers().then(
      (listed) => {
        // A Redis without the CLIENT command (switched off by `rename-command CLIENT ""`, or a
        // managed one that has none) answers `unknown command`, which BullMQ lists as one entry
        // not named after the queue, as it names each worker: counted, every queue had a live
        // worker, and jobs nobody works read as worked.
        if (listed.some((w) => w.name !== queue.name)) {
          workersUnknown = `CLIENT LIST: unknown command (the CLIENT command is switched off or renamed on this Redis)`;
          return 0;
        }
        return listed.length;
      },
      (e: unknown) => {
        workersUnknown = e instanceof Error ? e.message : String(e);
        return 0;
      },
    ),
    queue.isPaused(),
  ]);
  const n = (s: (typeof STATES)[number]) => counts[s] ?? 0;
  return {
    name: queue.name,
    waiting: n('waiting'),
    active: n('active'),
    delayed: n('delayed'),
    failed: n('failed'),
    completed: n('completed'),
    prioritized: n('prioritized'),
    workers,
    ...(workersUnknown === undefined ? {} : { workersUnknown }),
    paused,
  };
}

/** When a pipeline runs next, and where that was read (./queue-stats.ts, `nextRun`). */
export interface NextRun {
  at: string | null;
  source: 'queue' | 'config' | 'none';
  /** Why the installed schedules could not be read; absent when they were. */
  unread?: string;
}

/**
 * When a pipeline runs next. A schedule installed by `licbridge schedule` (job scheduler
 * `schedule-<pipeline>` on the extract queue) is the truth; otherwise the config's cron expression
 * tells when it would run once installed. The schedulers are read within `timeoutMs`: queue
 * commands wait for Redis to come back, and a Redis that stopped answering after status reached it
 * held status with no end; one that could not be read is said so (`unread`), never "no schedule
 * installed".
 */
export async function nextRun(
  set: QueueSet,
  pipeline: string,
  cron: string | undefined,
  now = new Date(),
  tz?: string,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<NextRun> {
  let unread: string | undefined;
  try {
    const schedulers = await withTimeout(
      set.extract.getJobSchedulers(0, -1, true),
      timeoutMs,
      'queues: installed schedules',
    );
    const mine = schedulers.filter(
      (s) => s.next !== undefined && (s.key === `${SCHEDULER_PREFIX}${pipeline}` || s.key === pipeline),
    );
    const soonest = mine.map((s) => s.next ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b)[0];
    if (soonest !== undefined && Number.isFinite(soonest)) {
      return { at: new Date(soonest).toISOString(), source: 'queue' };
    }
  } catch (e) {
    // Redis failing or not answering: the config's tick below, said to be unconfirmed.
    unread = e instanceof Error ? e.message : String(e);
  }
  const why = unread === undefined ? {} : { unread };
  if (!cron) return { at: null, source: 'none', ...why };
  return { at: nextCronTime(cron, now, tz), source: 'config', ...why };
}

/** Next time a cron expression read in `tz` (default: the host's zone) fires after `now`, or null when it cannot be parsed. */
export function nextCronTime(cron: string, now = new Date(), tz?: string): string | null {
  try {
    return CronExpressionParser.parse(cron, { currentDate: now, ...(tz ? { tz } : {}) })
      .next()
      .toISOString();
  } catch {
    return null;
  }
}
