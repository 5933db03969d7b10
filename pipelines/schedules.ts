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

import { cronExpressionError } from '../config/cron-problems.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { assertTimeZone } from '../core/time-zone.js';
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

/**
 * The next tick of scheduler `id` as Redis holds it. Not the upserted job's time plus delay: BullMQ
 * stamps that job when Redis replied and counts its delay from when the request left, so the sum
 * missed the tick by the round trip (17:59:59.738Z for 18:00Z) and `licbridge schedule` printed it.
 */
async function nextOf(
  queue: { getJobScheduler(id: string): Promise<{ next?: number | null } | undefined> },
  id: string,
): Promise<string | null> {
  const next = (await queue.getJobScheduler(id))?.next;
  return next ? new Date(next).toISOString() : null;
}

/** The zone every schedule's cron expression is read in: `lifecycle.timeZone`, the department's clock. */
export function scheduleTimeZone(config: Pick<Config, 'lifecycle'>): string {
  return lifecycleSettings(config).timeZone;
}

/**
 * Every expression `syncSchedules` would install, checked before any is: one refused half-way
 * left the pipelines before it installed and the stale schedules in place, with a message that
 * named no pipeline.
 */
export function checkPatterns(wanted: readonly WantedSchedule[], tz: string, file: string | undefined): void {
  // A zone Intl does not know would make cron-parser fail every pattern with a message naming none.
  try {
    assertTimeZone(tz, 'lifecycle.timeZone', file);
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `schedule: nothing installed: ${(e as Error).message}`,
      { cause: e },
    );
  }
  // Each expression once: every pipeline's full check shares `reconcile.schedule`.
  const byPath = new Map(wanted.map((w) => [w.path, w.pattern]));
  // Each named after the file that holds it, as the loader names its own refusals.
  const at = file ? `${file}: ` : '';
  const problems = [...byPath].flatMap(([path, pattern]) => {
    // The loader's rule (config/cron-problems.ts): a config loaded from a file has met it already, one
    // built in code meets it here.
    const why = cronExpressionError(pattern, tz);
    return why === undefined
      ? []
      : [`${at}\`${path}\`: \`${pattern}\` names no time a schedule can run at (${why})`];
  });
  if (problems.length > 0) {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `schedule: nothing installed: ${problems.join('; ')}; fix the expression and run \`licbridge schedule\` again`,
    );
  }
}

/** A scheduler the config wants installed: its queue, id, cron expression and where the config holds it. */
export interface WantedSchedule {
  queue: 'extract' | 'reconcile' | 'lifecycle';
  id: string;
  pattern: string;
  /** The expression's config path, e.g. `pipelines.food.schedule`. */
  path: string;
  /** The pipeline it runs or checks; none for the lifecycle tick. */
  pipeline?: string;
}

/**
 * Every scheduler `licbridge schedule` installs, in the order it installs them: each pipeline's
 * own schedule, each pipeline's full check, the lifecycle tick.
 */
export function wantedSchedules(config: Readonly<Config>): WantedSchedule[] {
  const pipelines = Object.entries(config.pipelines);
  // Settings read as `reconcile` reads them, so a config without the section gets the defaults.
  const check = reconcileSettings({ config }).schedule;
  return [
    ...pipelines.flatMap(([pipeline, p]): WantedSchedule[] =>
      p.schedule
        ? [
            {
              queue: 'extract',
              id: `${SCHEDULER_PREFIX}${pipeline}`,
              pattern: p.schedule,
              path: `pipelines.${pipeline}.schedule`,
              pipeline,
            },
          ]
        : [],
    ),
    ...pipelines.map(
      ([pipeline]): WantedSchedule => ({
        queue: 'reconcile',
        id: `${RECONCILE_SCHEDULER_PREFIX}${pipeline}`,
        pattern: check,
        path: 'reconcile.schedule',
        pipeline,
      }),
    ),
    {
      queue: 'lifecycle',
      id: LIFECYCLE_SCHEDULER_ID,
      pattern: lifecycleSettings(config).schedule,
      path: 'lifecycle.schedule',
    },
  ];
}

/** Installs (or moves) one scheduler as the config wants it, and returns its next tick as Redis holds it. */
export async function installSchedule(
  queues: QueueSet,
  w: WantedSchedule,
  tz: string,
): Promise<string | null> {
  if (w.queue === 'extract' && w.pipeline !== undefined) {
    // An empty run id: the extract worker opens a run per tick (`scheduled-<job id>`).
    await queues.extract.upsertJobScheduler(
      w.id,
      { pattern: w.pattern, tz },
      { name: 'extract', data: { pipeline: w.pipeline, runId: '', full: false } },
    );
    return nextOf(queues.extract, w.id);
  }
  if (w.queue === 'reconcile' && w.pipeline !== undefined) {
    await queues.reconcile.upsertJobScheduler(
      w.id,
      { pattern: w.pattern, tz },
      { name: 'reconcile', data: { pipeline: w.pipeline } },
    );
    return nextOf(queues.reconcile, w.id);
  }
  await queues.lifecycle.upsertJobScheduler(
    w.id,
    { pattern: w.pattern, tz },
    { name: 'lifecycle', data: {} },
  );
  return nextOf(queues.lifecycle, w.id);
}

/**
 * The Redis hash of the scheduler ids the last `licbridge schedule` installed, beside the extract
 * queue's keys (obliterating the queue drops it too). Lost with the schedulers when Redis loses its
 * data; workers read it to tell a schedule lost from one `licbridge schedule` removed.
 */
export function installedSetKey(queues: QueueSet): string {
  return queues.extract.toKey('licbridge-schedules');
}

/** The ids the last `licbridge schedule` installed; empty when Redis holds no record of one. */
export async function installedIds(queues: QueueSet): Promise<Set<string>> {
  const client = await queues.extract.getBackend().client;
  return new Set(Object.keys(await client.hgetall(installedSetKey(queues))));
}

export async function syncSchedules(config: Readonly<Config>, queues: QueueSet): Promise<ScheduleSync> {
  const tz = scheduleTimeZone(config);
  const wanted = wantedSchedules(config);
  checkPatterns(wanted, tz, config.file);
  const out: ScheduleSync = { upserted: [], checks: [], removed: [] };
  for (const w of wanted) {
    const next = await installSchedule(queues, w, tz);
    if (w.queue === 'extract' && w.pipeline !== undefined)
      out.upserted.push({ pipeline: w.pipeline, pattern: w.pattern, next });
    else if (w.queue === 'reconcile' && w.pipeline !== undefined)
      out.checks.push({ pipeline: w.pipeline, pattern: w.pattern, next });
    else out.lifecycle = { pattern: w.pattern, next };
  }
  const ids = new Set(wanted.map((w) => w.id));
  // Recorded before any is removed: a worker's check that finds one gone reads the record again
  // (schedule-keeper.ts), and must then find it no longer named. Names only (pipeline names in
  // scheduler ids): never license data.
  const client = await queues.extract.getBackend().client;
  const record = Object.fromEntries([...ids].map((id) => [id, 1]));
  await client.multi().del(installedSetKey(queues)).hset(installedSetKey(queues), record).exec();
  for (const s of await queues.reconcile.getJobSchedulers(0, -1)) {
    if (s.key.startsWith(RECONCILE_SCHEDULER_PREFIX) && !ids.has(s.key)) {
      await queues.reconcile.removeJobScheduler(s.key);
      out.removed.push(s.key);
    }
  }
  for (const s of await queues.extract.getJobSchedulers(0, -1)) {
    if (s.key.startsWith(SCHEDULER_PREFIX) && !ids.has(s.key)) {
      await queues.extract.removeJobScheduler(s.key);
      out.removed.push(s.key);
    }
  }
  return out;
}
