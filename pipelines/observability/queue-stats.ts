import type { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import type { QueueSet } from '../queues.js';
import { SCHEDULER_PREFIX } from '../schedules.js';

/** Job counts of one queue and how many workers are connected to it. */
export interface QueueStats {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  prioritized: number;
  /** Workers connected to this queue now (Redis CLIENT LIST), across every host. */
  workers: number;
  /** Paused (from the dashboard, say): its workers take no job until it is resumed. */
  paused: boolean;
}

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/** Every queue of the set: extract, sign, reconcile (scheduled full checks), then one per target. */
export function queuesOf(set: QueueSet): Queue[] {
  return [set.extract, set.sign, set.reconcile, set.lifecycle, ...set.deliver.values()] as Queue[];
}

export async function queueStats(queue: Queue): Promise<QueueStats> {
  const [counts, workers, paused] = await Promise.all([
    queue.getJobCounts(...STATES),
    // Workers name their Redis connection after the queue, so CLIENT LIST sees them on any host.
    queue.getWorkersCount().catch(() => 0),
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
    paused,
  };
}

/**
 * When a pipeline runs next. A schedule installed by `licbridge schedule` (job scheduler
 * `schedule-<pipeline>` on the extract queue) is the truth; otherwise the config's cron expression
 * tells when it would run once installed.
 */
export async function nextRun(
  set: QueueSet,
  pipeline: string,
  cron: string | undefined,
  now = new Date(),
  tz?: string,
): Promise<{ at: string | null; source: 'queue' | 'config' | 'none' }> {
  try {
    const schedulers = await set.extract.getJobSchedulers(0, -1, true);
    const mine = schedulers.filter(
      (s) => s.next !== undefined && (s.key === `${SCHEDULER_PREFIX}${pipeline}` || s.key === pipeline),
    );
    const soonest = mine.map((s) => s.next ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b)[0];
    if (soonest !== undefined && Number.isFinite(soonest)) {
      return { at: new Date(soonest).toISOString(), source: 'queue' };
    }
  } catch {
    // Redis unreachable: fall back to the config below.
  }
  if (!cron) return { at: null, source: 'none' };
  return { at: nextCronTime(cron, now, tz), source: 'config' };
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
