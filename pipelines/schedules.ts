/**
 * `licbridge schedule`: one BullMQ job scheduler per pipeline with a `schedule` (cron), on the
 * extract queue, and none for pipelines that no longer have one. Schedulers live in Redis, so any
 * number of worker processes share them and each tick yields exactly one extract job.
 *
 * Each pipeline also gets a scheduler of its full check (`reconcile.schedule`) on the reconcile
 * queue, whose jobs carry the pipeline name only.
 */

import type { Config } from '../config/types.js';
import { lifecycleSettings } from './lifecycle/settings.js';
import type { QueueSet } from './queues.js';
import { reconcileSettings } from './reconcile/reconcile.js';

/** Scheduler ids are `schedule-<pipeline>`: BullMQ keys, never holding `:`. */
export const SCHEDULER_PREFIX = 'schedule-';
/** Full-check scheduler ids are `reconcile-<pipeline>`. */
export const RECONCILE_SCHEDULER_PREFIX = 'reconcile-';
/** The one daily lifecycle tick (`lifecycle.schedule`), for every pipeline. */
export const LIFECYCLE_SCHEDULER_ID = 'lifecycle-tick';

export interface ScheduleSync {
  upserted: { pipeline: string; pattern: string; next: string | null }[];
  /** Full checks scheduled, one per pipeline. */
  checks: { pipeline: string; pattern: string; next: string | null }[];
  removed: string[];
  /** The daily lifecycle tick. */
  lifecycle?: { pattern: string; next: string | null };
}

const nextOf = (job: { timestamp?: number; delay?: number } | undefined): string | null => {
  const at = job?.timestamp !== undefined && job.delay !== undefined ? job.timestamp + job.delay : undefined;
  return at ? new Date(at).toISOString() : null;
};

export async function syncSchedules(config: Readonly<Config>, queues: QueueSet): Promise<ScheduleSync> {
  const out: ScheduleSync = { upserted: [], checks: [], removed: [] };
  const wanted = new Set<string>();
  for (const [pipeline, p] of Object.entries(config.pipelines)) {
    if (!p.schedule) continue;
    const id = `${SCHEDULER_PREFIX}${pipeline}`;
    wanted.add(id);
    // An empty run id: the extract worker opens a run per tick (`scheduled-<job id>`).
    const job = await queues.extract.upsertJobScheduler(
      id,
      { pattern: p.schedule },
      { name: 'extract', data: { pipeline, runId: '', full: false } },
    );
    out.upserted.push({ pipeline, pattern: p.schedule, next: nextOf(job) });
  }
  // Settings read as `reconcile` reads them, so a config without the section gets the defaults.
  const pattern = reconcileSettings({ config }).schedule;
  const checks = new Set<string>();
  for (const pipeline of Object.keys(config.pipelines)) {
    const id = `${RECONCILE_SCHEDULER_PREFIX}${pipeline}`;
    checks.add(id);
    const job = await queues.reconcile.upsertJobScheduler(
      id,
      { pattern },
      { name: 'reconcile', data: { pipeline } },
    );
    out.checks.push({ pipeline, pattern, next: nextOf(job) });
  }
  const tick = lifecycleSettings(config).schedule;
  const tickJob = await queues.lifecycle.upsertJobScheduler(
    LIFECYCLE_SCHEDULER_ID,
    { pattern: tick },
    { name: 'lifecycle', data: {} },
  );
  out.lifecycle = { pattern: tick, next: nextOf(tickJob) };
  for (const s of await queues.reconcile.getJobSchedulers(0, -1)) {
    if (s.key.startsWith(RECONCILE_SCHEDULER_PREFIX) && !checks.has(s.key)) {
      await queues.reconcile.removeJobScheduler(s.key);
      out.removed.push(s.key);
    }
  }
  for (const s of await queues.extract.getJobSchedulers(0, -1)) {
    const id = s.key;
    if (id.startsWith(SCHEDULER_PREFIX) && !wanted.has(id)) {
      await queues.extract.removeJobScheduler(id);
      out.removed.push(id);
    }
  }
  return out;
}

export async function listSchedules(
  queues: QueueSet,
): Promise<{ id: string; pattern: string | null; next: string | null }[]> {
  const list = [
    ...(await queues.extract.getJobSchedulers(0, -1)),
    ...(await queues.reconcile.getJobSchedulers(0, -1)),
    ...(await queues.lifecycle.getJobSchedulers(0, -1)),
  ];
  return list.map((s) => ({
    id: s.key,
    pattern: s.pattern ?? null,
    next: s.next ? new Date(s.next).toISOString() : null,
  }));
}
