/**
 * A running `licbridge worker` keeps the config's schedules installed. Schedulers live in Redis
 * only: a Redis restarted without persistence (or flushed) loses them, and nightly runs, full
 * checks and the lifecycle tick stopped until someone ran `licbridge schedule` again.
 *
 * At start, after each reconnect to Redis and every `everyMs`, the worker looks for each scheduler
 * its config wants (`wantedSchedules`) and installs the missing ones from that config. It only
 * adds what is missing: a scheduler Redis holds is left as it is, whatever its expression (a newer
 * config installed by `licbridge schedule` stands), and it removes none. A schedule `licbridge
 * schedule` removed (a pipeline's `schedule` dropped in a newer config) is told from a lost one by
 * the record `licbridge schedule` leaves in Redis of the ids it installed: while the record is
 * there, only ids it names are installed again; the record gone (Redis lost its data with it),
 * every scheduler of the config is.
 *
 * Any number of workers may do so at once: a scheduler's id is its name, so installing it twice
 * leaves one, and each tick's job id is the scheduler's and the tick's time, so one tick yields
 * one job.
 *
 * BullMQ gives a scheduler installed again its next tick only. The lifecycle clock must tick every
 * day, and a day whose tick time passed while the scheduler was gone (a flush shortly before it, a
 * server rebooted across it) got no tick: its expiries and reminders waited a day, and no `status`
 * line said so (`expiry-behind` gives a day's grace). So a lifecycle tick installed again also
 * queues at once the tick of the day its schedule last reached, under an id of the day, so that any
 * number of workers queue one (lifecycle/restored-tick.ts). Today's, once its time has come: a tick
 * of a day already ticked finds it so (tick.ts `done-today`) and only queues what its pipelines
 * owe, which the lost jobs may have held. An earlier day's, before today's time (a tick at 23:50
 * whose schedule was put back at 00:10): it ticks that day if the ledger has it unticked, and does
 * nothing otherwise. Queued for today's only, a tick missed across midnight was made up by none:
 * that day's expiries stayed valid a day more, and a reminder due on it waited for the next tick.
 */
import type { Config } from '../config/types.js';
import { localDate } from '../core/local-date.js';
import type { Logger } from '../core/logger.js';
import { zonedTime } from '../core/zoned-time.js';
import { restoredTickId } from './lifecycle/restored-tick.js';
import { previousCronTime } from './observability/attention.js';
import type { QueueSet } from './queues.js';
import {
  checkPatterns,
  installedIds,
  installSchedule,
  LIFECYCLE_SCHEDULER_ID,
  scheduleTimeZone,
  type WantedSchedule,
  wantedSchedules,
} from './schedules.js';

/** How often a worker looks for lost schedules, ms, unless told otherwise. */
export const SCHEDULE_CHECK_MS = 60_000;

/**
 * Installs each scheduler of `config` that Redis lacks (see above) and returns those it installed,
 * one log line each. Refuses nothing: expressions `licbridge schedule` would refuse install none.
 */
export async function reinstallMissing(
  config: Readonly<Config>,
  queues: QueueSet,
  logger: Logger,
  now: () => Date = () => new Date(),
): Promise<WantedSchedule[]> {
  const tz = scheduleTimeZone(config);
  const wanted = wantedSchedules(config);
  checkPatterns(wanted, tz, config.file);
  const dropped = (recorded: Set<string>, id: string): boolean => recorded.size > 0 && !recorded.has(id);
  const recorded = await installedIds(queues);
  const done: WantedSchedule[] = [];
  for (const w of wanted) {
    if (dropped(recorded, w.id)) continue;
    if (await queues[w.queue].getJobScheduler(w.id)) continue;
    // Gone, or just removed by a `licbridge schedule` that began after the record was read: it
    // records the ids it keeps before removing any (schedules.ts), so the record read now tells.
    if (dropped(await installedIds(queues), w.id)) continue;
    const next = await installSchedule(queues, w, tz);
    logger.warn(
      { schedule: w.id, queue: w.queue, pattern: w.pattern, tz, next, path: w.path },
      `worker: schedule ${w.id} was missing from Redis; installed again from the config (${w.pattern}, next ${zonedTime(next, tz)})`,
    );
    done.push(w);
    if (w.id === LIFECYCLE_SCHEDULER_ID) await tickMissedDay(queues, w.pattern, tz, logger, now());
  }
  return done;
}

/**
 * The day (in `tz`) of the last tick time `pattern` has reached by `now`: today once today's has
 * come, else an earlier day (yesterday's, for a daily tick); null when it names no time before.
 */
export function lastTickDay(pattern: string, tz: string, now = new Date()): string | null {
  const last = previousCronTime(pattern, now, tz);
  return last === null ? null : localDate(tz, last);
}

/** Queues now the lifecycle tick of the day its schedule last reached (see above); one job a day. */
async function tickMissedDay(
  queues: QueueSet,
  pattern: string,
  tz: string,
  logger: Logger,
  now: Date,
): Promise<void> {
  const day = lastTickDay(pattern, tz, now);
  if (day === null) return;
  const jobId = restoredTickId(day);
  await queues.lifecycle.add('lifecycle', {}, { jobId });
  if (day === localDate(tz, now)) {
    logger.warn(
      { schedule: LIFECYCLE_SCHEDULER_ID, day, jobId },
      `worker: the lifecycle tick of ${day} was due while its schedule was missing from Redis; queued now`,
    );
    return;
  }
  // Most schedules are put back after the day's tick ran: the tick tells from the ledger.
  logger.info(
    { schedule: LIFECYCLE_SCHEDULER_ID, day, jobId },
    `worker: the lifecycle tick of ${day} may have been due while its schedule was missing from Redis; queued now, it ticks that day if the ledger has it unticked`,
  );
}

export interface ScheduleKeeper {
  /** The check under way or the last one, settled (a failed check is logged, never thrown). */
  settled(): Promise<void>;
  stop(): void;
}

/**
 * Checks now, then every `everyMs` and whenever the extract queue's Redis connection is ready
 * again after a loss. Checks never overlap; a failed one (Redis away, an expression refused) is
 * one warning, and the next check tries again.
 */
export async function keepSchedules(
  config: Readonly<Config>,
  queues: QueueSet,
  logger: Logger,
  everyMs = SCHEDULE_CHECK_MS,
): Promise<ScheduleKeeper> {
  let current: Promise<void> = Promise.resolve();
  let running = false;
  let stopped = false;
  const check = (): void => {
    if (running || stopped) return;
    running = true;
    current = reinstallMissing(config, queues, logger).then(
      () => {
        running = false;
      },
      (e: unknown) => {
        running = false;
        logger.warn(
          { err: { message: (e as Error).message } },
          'worker: could not check the installed schedules; trying again later',
        );
      },
    );
  };
  const client = await queues.extract.getBackend().client;
  client.on('ready', check);
  const timer = setInterval(check, everyMs);
  timer.unref();
  check();
  return {
    settled: () => current,
    stop() {
      stopped = true;
      clearInterval(timer);
      client.off('ready', check);
    },
  };
}
