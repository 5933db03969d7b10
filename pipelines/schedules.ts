/**
 * `licbridge schedule`: one BullMQ job scheduler per pipeline with a `schedule` (cron), on the
 * extract queue, and none for pipelines that no longer have one. Schedulers live in Redis, so any
 * number of worker processes share them and each tick yields exactly one extract job.
 *
 * Each pipeline also gets a scheduler of its full check (`reconcile.schedule`) on the reconcile
 * queue, whose jobs carry the pipeline name only.
 *
 * Every cron expression is read on the department's clock, `lifecycle.timeZone` (China Standard
 * Time unless configured), and handed to BullMQ as the scheduler's `tz`: without it cron-parser
 * reads the pattern in the zone of whichever host computes the next time (the one that ran
 * `licbridge schedule`, then each worker), and a UTC host ran `0 2 * * *` at 10:00 in Beijing.
 */

import { CronExpressionParser } from 'cron-parser';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { localDate } from '../core/local-date.js';
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

/** The zone every schedule's cron expression is read in: `lifecycle.timeZone`, the department's clock. */
export function scheduleTimeZone(config: Pick<Config, 'lifecycle'>): string {
  return lifecycleSettings(config).timeZone;
}

/**
 * Why BullMQ would refuse a cron expression, or null. The config check sees only its shape (five or
 * six fields); `0 0 31 4 *` (April 31st) or `0 25 * * *` have it and name no time at all.
 */
function cronProblem(pattern: string, tz: string): string | null {
  try {
    CronExpressionParser.parse(pattern, { tz }).next();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Every expression `syncSchedules` would install, checked before any is: one refused half-way
 * left the pipelines before it installed and the stale schedules in place, with a message that
 * named no pipeline.
 */
function checkPatterns(config: Readonly<Config>, tz: string): void {
  // A zone Intl does not know would make cron-parser fail every pattern with a message naming none.
  try {
    localDate(tz);
  } catch {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `schedule: nothing installed: \`lifecycle.timeZone\`: \`${tz}\` is not a time zone this system knows (an IANA name such as Asia/Shanghai)`,
    );
  }
  const wanted: [string, string][] = [
    ...Object.entries(config.pipelines).flatMap(([name, p]): [string, string][] =>
      p.schedule ? [[`pipelines.${name}.schedule`, p.schedule]] : [],
    ),
    ['reconcile.schedule', reconcileSettings({ config }).schedule],
    ['lifecycle.schedule', lifecycleSettings(config).schedule],
  ];
  const problems = wanted.flatMap(([path, pattern]) => {
    const why = cronProblem(pattern, tz);
    return why === null ? [] : [`\`${path}\`: \`${pattern}\` names no time a schedule can run at (${why})`];
  });
  if (problems.length > 0) {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `schedule: nothing installed: ${problems.join('; ')}; fix the expression and run \`licbridge schedule\` again`,
    );
  }
}

export async function syncSchedules(config: Readonly<Config>, queues: QueueSet): Promise<ScheduleSync> {
  const tz = scheduleTimeZone(config);
  checkPatterns(config, tz);
  const out: ScheduleSync = { upserted: [], checks: [], removed: [] };
  const wanted = new Set<string>();
  for (const [pipeline, p] of Object.entries(config.pipelines)) {
    if (!p.schedule) continue;
    const id = `${SCHEDULER_PREFIX}${pipeline}`;
    wanted.add(id);
    // An empty run id: the extract worker opens a run per tick (`scheduled-<job id>`).
    const job = await queues.extract.upsertJobScheduler(
      id,
      { pattern: p.schedule, tz },
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
      { pattern, tz },
      { name: 'reconcile', data: { pipeline } },
    );
    out.checks.push({ pipeline, pattern, next: nextOf(job) });
  }
  const tick = lifecycleSettings(config).schedule;
  const tickJob = await queues.lifecycle.upsertJobScheduler(
    LIFECYCLE_SCHEDULER_ID,
    { pattern: tick, tz },
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
