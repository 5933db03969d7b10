/**
 * `licbridge schedule`: one BullMQ job scheduler per pipeline with a `schedule` (cron), on the
 * extract queue, and none for pipelines that no longer have one. Schedulers live in Redis, so any
 * number of worker processes share them and each tick yields exactly one extract job.
 */
import type { Config } from '../config/types.js';
import type { QueueSet } from './queues.js';

/** Scheduler ids are `schedule-<pipeline>`: BullMQ keys, never holding `:`. */
export const SCHEDULER_PREFIX = 'schedule-';

export interface ScheduleSync {
  upserted: { pipeline: string; pattern: string; next: string | null }[];
  removed: string[];
}

export async function syncSchedules(config: Readonly<Config>, queues: QueueSet): Promise<ScheduleSync> {
  const out: ScheduleSync = { upserted: [], removed: [] };
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
    const at =
      job?.timestamp !== undefined && job.delay !== undefined ? job.timestamp + job.delay : undefined;
    out.upserted.push({ pipeline, pattern: p.schedule, next: at ? new Date(at).toISOString() : null });
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
  const list = await queues.extract.getJobSchedulers(0, -1);
  return list.map((s) => ({
    id: s.key,
    pattern: s.pattern ?? null,
    next: s.next ? new Date(s.next).toISOString() : null,
  }));
}
