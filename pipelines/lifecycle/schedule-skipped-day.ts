/**
 * A schedule that skips a day: `lifecycle.schedule`, a pipeline's own `schedule`, `reconcile.schedule`,
 * all read in `lifecycle.timeZone`. Where summer time starts at midnight (America/Havana,
 * America/Santiago, Asia/Beirut), a time before 01:00 — the default `5 0 * * *` too — does not
 * exist on the day the clocks jump, and cron-parser, which BullMQ's job schedulers read patterns
 * with, does not move the tick to the first time after the jump: it skips the day (`5 0 * * *` in
 * America/Havana fires on 2026-03-07 and then on 2026-03-09). That day's expiries wait a day and a
 * reminder due on its last day (a `0` threshold) is never sent. The schedule is valid and runs
 * every other day, so this is a warning (as a full check scheduled outside its source's read
 * window is, schedule-window.ts), not a refusal: `config check` and `licbridge schedule` say so,
 * at the setting's line. A pipeline's schedule skipped so extracts nothing that day, a full check
 * skipped so does not run. The default zone, Asia/Shanghai, has no summer time.
 */
import { CronExpressionParser } from 'cron-parser';
import { parseYamlSource, positionOf } from '../../catalog/yaml-source.js';
import type { Config } from '../../config/types.js';
import { isTimeZone, localDate, wallClockFields } from '../../core/local-date.js';
import { reconcileSettings } from '../reconcile/settings.js';
import { lifecycleSettings } from './settings.js';

const DAY_MS = 86_400_000;
/** How far ahead a jump is looked for: a year and a little, so every yearly change shows. */
const AHEAD_DAYS = 400;
/** Ticks followed to the day of a jump at most. */
const MOST_TICKS = 5000;

/** The zone's offset from UTC at `ms`, in minutes. */
function offsetMinutes(ms: number, tz: string): number {
  const f = wallClockFields(new Date(ms), tz);
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The first instant in (`from`, `to`] at which `test` holds, to the minute; it holds at `to`. */
function firstWhere(from: number, to: number, test: (ms: number) => boolean): number {
  let lo = from;
  let hi = to;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (test(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The local date of `pattern`'s first tick after `after` (ms), read in `tz`. */
function firstTickDay(pattern: string, tz: string, after: number): string {
  const at = CronExpressionParser.parse(pattern, { tz, currentDate: new Date(after) })
    .next()
    .toDate();
  return localDate(tz, at);
}

/** A day the clocks jump forward on and `pattern`, read in `tz`, skips, with the ticks around it. */
export interface SkippedDay {
  day: string;
  before: string;
  after: string;
  /** The wall clock's hour the jump leaves off at (01 for a jump from 00:00 to 01:00). */
  jumpTo: number;
}

/** An instant the clocks of a zone jump forward at, and the local day it falls on. */
export interface ForwardJump {
  jump: number;
  day: string;
}

/**
 * The instants within about a year from `now` at which the clocks of `tz` jump forward. The same
 * for every schedule read in the zone: found once, not once a schedule (some 30 ms each in
 * America/Havana, and a config may hold a schedule per pipeline).
 */
export function forwardJumps(tz: string, now: Date): ForwardJump[] {
  const out: ForwardJump[] = [];
  const start = now.getTime();
  for (let d = 0; d < AHEAD_DAYS; d += 1) {
    const from = start + d * DAY_MS;
    const to = from + DAY_MS;
    const later = offsetMinutes(to, tz);
    if (later <= offsetMinutes(from, tz)) continue;
    // The clocks jump forward within this day: the jump's instant, and the day it falls on.
    const jump = firstWhere(from, to, (ms) => offsetMinutes(ms, tz) === later);
    out.push({ jump, day: localDate(tz, new Date(jump)) });
  }
  return out;
}

/**
 * The first day from `now` within about a year on which the clocks of `tz` jump forward and
 * `pattern` names a time (read on a clock that never jumps) but cron-parser, reading it in `tz`,
 * fires no tick. Undefined when there is none, or the pattern names no time. `jumps`: the zone's
 * (forwardJumps), when the caller has them.
 */
export function firstSkippedDay(
  pattern: string,
  tz: string,
  now: Date,
  jumps: readonly ForwardJump[] = forwardJumps(tz, now),
): SkippedDay | undefined {
  try {
    CronExpressionParser.parse(pattern, { tz }).next();
  } catch {
    // Naming no time is the loader's and `licbridge schedule`'s to refuse (config/cron-problems.ts).
    return undefined;
  }
  for (const { jump, day } of jumps) {
    // Whether the pattern names a time on that day, read on a clock without summer time.
    const midnightUtc = Date.parse(`${day}T00:00:00Z`);
    if (firstTickDay(pattern, 'UTC', midnightUtc - 1) !== day) continue;
    // The ticks as the schedule fires them, one after another from the last one a day before the
    // jump: cron-parser asked from just before the jump would name 01:05 that day, but from the
    // tick before it (as a job scheduler asks) it names the next day. At most MOST_TICKS
    // (`* * * * *` has 1,440 a day, and times after the jump besides, so it skips no day).
    const last = CronExpressionParser.parse(pattern, { tz, currentDate: new Date(jump - DAY_MS) })
      .prev()
      .toDate();
    const cron = CronExpressionParser.parse(pattern, { tz, currentDate: last });
    let before = localDate(tz, last);
    let next: string | undefined;
    for (let n = 0; n < MOST_TICKS; n += 1) {
      const tick = localDate(tz, cron.next().toDate());
      if (tick < day) before = tick;
      else {
        next = tick;
        break;
      }
    }
    if (next === undefined || next === day) continue;
    return { day, before, after: next, jumpTo: wallClockFields(new Date(jump), tz).hour };
  }
  return undefined;
}

/** `pattern` moved to the hour the jump leaves off at, when its hour is one plain number; else `5 1 * * *`. */
function suggestion(pattern: string, jumpTo: number): string {
  const fields = pattern.trim().split(/\s+/);
  // Five fields, minute first; six with seconds first.
  const hourAt = fields.length === 6 ? 2 : 1;
  if (fields.length >= 5 && /^\d+$/.test(fields[hourAt] ?? '') && Number(fields[hourAt]) < jumpTo) {
    fields[hourAt] = String(jumpTo);
    return fields.join(' ');
  }
  return '5 1 * * *';
}

/** A schedule the config holds: its path, its expression, what a skipped tick loses. */
interface HeldSchedule {
  path: (string | number)[];
  pattern: string;
  /** What a day without the tick costs, after "so". */
  loses: string;
}

/**
 * Every schedule `licbridge schedule` installs, each once: each pipeline's own, the full check all
 * pipelines share (`reconcile.schedule`), the lifecycle tick. All are read in `lifecycle.timeZone`
 * (pipelines/schedules.ts), so any can name a time the day of the jump does not have.
 */
function heldSchedules(config: Readonly<Config>): HeldSchedule[] {
  const names = Object.keys(config.pipelines);
  const out: HeldSchedule[] = [];
  for (const [name, p] of Object.entries(config.pipelines)) {
    if (p.schedule === undefined) continue;
    out.push({
      path: ['pipelines', name, 'schedule'],
      pattern: p.schedule,
      loses: `pipeline ${name} does not extract that day and its changes wait for the next tick`,
    });
  }
  if (names.length > 0)
    out.push({
      path: ['reconcile', 'schedule'],
      pattern: reconcileSettings({ config }).schedule,
      loses: `the full check of ${names.map((n) => `pipeline ${n}`).join(', ')} does not run that day`,
    });
  out.push({
    path: ['lifecycle', 'schedule'],
    pattern: lifecycleSettings(config).schedule,
    loses: `that day's expiries wait a day and a reminder due on its last day (a 0 threshold) is never sent`,
  });
  return out;
}

/**
 * One warning per schedule the config holds (a pipeline's, `reconcile.schedule`,
 * `lifecycle.schedule`) whose tick skips a day in the next year, located `file:line:col` at the
 * schedule (at `lifecycle.timeZone` when the schedule is a default, which the file does not write)
 * and naming it; none otherwise. `text` is the config file's text, for the line.
 */
export function skippedTickWarnings(config: Readonly<Config>, text: string, now = new Date()): string[] {
  const { timeZone: tz } = lifecycleSettings(config);
  // A zone Intl does not know is the loader's to refuse.
  if (!isTimeZone(tz)) return [];
  let src: ReturnType<typeof parseYamlSource> | undefined;
  const out: string[] = [];
  const jumps = forwardJumps(tz, now);
  if (jumps.length === 0) return [];
  for (const { path, pattern, loses } of heldSchedules(config)) {
    const skipped = firstSkippedDay(pattern, tz, now, jumps);
    if (!skipped) continue;
    src ??= parseYamlSource(text, config.file);
    // The loaded config holds the defaults too: the file tells whether it was written.
    const written = src.doc.hasIn(path);
    const { line, column } = positionOf(src, written ? path : ['lifecycle', 'timeZone']);
    const defaulted = written ? '' : ' (the default)';
    const jump = String(skipped.jumpTo).padStart(2, '0');
    out.push(
      `${config.file}:${line}:${column}: ${path.join('.')}: \`${pattern}\`${defaulted}, read in lifecycle.timeZone ${tz}, names a time that does not exist on ${skipped.day}, when the clocks jump forward to ${jump}:00: the schedule skips that day's tick (it ticks on ${skipped.before}, then on ${skipped.after}), so ${loses}; schedule it after the jump, such as \`${suggestion(pattern, skipped.jumpTo)}\``,
    );
  }
  return out;
}
