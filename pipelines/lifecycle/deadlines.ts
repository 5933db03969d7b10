/**
 * The rules' deadlines as `licbridge status` and `/metrics` watch them:
 * - backlog (art. 10): a new version not accepted by a target within `deadlines.backlogWorkingDays`
 *   working days of licbridge reading the change;
 * - objections (art. 16): an objection not resolved within `deadlines.objectionWorkingDays`;
 * - the expiry clock: licenses past their `validTo` that the daily tick has not expired.
 * "Today" is the calendar day in `lifecycle.timeZone`; the working days come from the calendar
 * (calendar-config.ts). Each deadline is one ledger count below a cutoff instant: the start of the
 * day after the latest start that is already overdue today.
 */
import type { Config } from '../../config/types.js';
import { addDays, localDate } from '../../core/local-date.js';
import { zonedTime } from '../../core/zoned-time.js';
import type { Ledger } from '../../ledger/ledger.js';
import {
  addWorkingDays,
  earliestStartReaching,
  latestOverdueStart,
  overdueWorkingDays,
  startOfLocalDay,
  yearsWithoutArrangement,
} from './calendar.js';
import { calendarOf, type DeploymentCalendar } from './calendar-config.js';
import { judgedToday } from './settings.js';

export interface OverdueBacklog {
  pipeline: string;
  target: string;
  count: number;
  /** When the oldest overdue change was read. */
  oldest: string;
  /** Working days the oldest is past its deadline. */
  overdueBy: number;
}

export interface DeadlineStatus {
  /** The day judged, `YYYY-MM-DD` in `timeZone`. */
  today: string;
  timeZone: string;
  backlog: { workingDays: number; overdue: OverdueBacklog[] };
  objections: {
    workingDays: number;
    open: number;
    overdue: number;
    /** When the oldest overdue objection was opened, and how many working days it is late. */
    oldest: string | null;
    overdueBy: number;
  };
  /**
   * Years the calendar holds no arrangement for (counted Monday to Friday): the current year, and
   * each year a clock still running today is counted through — from the day after it started to
   * today, or to its deadline (a change read or an objection opened late in December, due in a
   * next year whose notice is not in the calendar yet).
   */
  yearsWithoutArrangement: number[];
  /** Pipelines whose licenses ran out before yesterday and are still `valid`: the daily tick is behind. */
  expiry: { behind: ExpiryBehind[] };
}

/** A pipeline the lifecycle tick has not kept up with (pipelines/lifecycle/tick.ts). */
export interface ExpiryBehind {
  pipeline: string;
  /** Licenses still `valid` whose last valid day was before yesterday. */
  count: number;
  /** The last day a tick finished for the pipeline, `YYYY-MM-DD`; `null`: never. */
  lastTick: string | null;
}

export interface DeadlineSettings {
  backlogWorkingDays: number;
  objectionWorkingDays: number;
}

export function deadlineSettings(config: Pick<Config, 'deadlines'>): DeadlineSettings {
  return {
    // Resolved by the loader from the schema's defaults (3 and 5 working days).
    backlogWorkingDays: config.deadlines.backlogWorkingDays,
    objectionWorkingDays: config.deadlines.objectionWorkingDays,
  };
}

/** The instant before which a clock of `n` working days started is overdue on `today`. */
export function overdueCutoff(cal: DeploymentCalendar, n: number, today: string): Date {
  return startOfLocalDay(addDays(latestOverdueStart(cal, n, today), 1), cal.timeZone);
}

/** How late a clock started at `at` is on `today`, in working days. */
export function lateBy(cal: DeploymentCalendar, at: Date, n: number, today: string): number {
  return overdueWorkingDays(cal, localDate(cal.timeZone, at), n, today);
}

/** Clocks still running (not accepted, not resolved) started before an instant: how many, and the oldest start. */
export type RunningClocks = (before: Date) => Promise<{ count: number; oldest: Date | null }>;

/** Clocks already found overdue on the day judged: how many, and the oldest start. */
export interface OverdueClocks {
  count: number;
  oldest: Date | null;
}

/**
 * The years missing from the calendar that the `n`-working-day clocks still running on `today` are
 * counted through: from the day after the oldest one started to today, and each later year the
 * deadline of one of them falls in. Their days count Monday to Friday, so a due day there may be a
 * few days off: said rather than passed off as the rule's day. Each later year costs one count of
 * the clocks started late enough to reach it.
 *
 * `overdue`, when the caller has already counted the clocks overdue on `today`, spares the count of
 * every running clock: a count of changes reads every version of the pipeline, and `status` and
 * each `/metrics` scrape judge the deadlines. The oldest running clock is the oldest overdue one
 * when there is one; else every clock started after the latest overdue start, and only when a
 * year between then and today is missing from the calendar (early January) is a count needed —
 * a year before today's: the current year, which the caller names anyway, is then left out.
 */
export async function yearsCountedWithout(
  cal: DeploymentCalendar,
  n: number,
  today: string,
  running: RunningClocks,
  overdue?: OverdueClocks,
): Promise<number[]> {
  let all: { count: number; oldest: Date | null } | undefined;
  const everyRunning = async () => {
    all ??= await running(startOfLocalDay(addDays(today, 1), cal.timeZone));
    return all;
  };
  const since = (start: Date) =>
    yearsWithoutArrangement(cal, addDays(localDate(cal.timeZone, start), 1), today);
  const thisYear = Number(today.slice(0, 4));
  let years: number[] = [];
  if (overdue && overdue.count > 0 && overdue.oldest) years = since(overdue.oldest);
  else if (
    !overdue ||
    // The current year is named whatever runs (collectDeadlines): missing from the calendar, it
    // would otherwise cost this count on every status and scrape all year long.
    yearsWithoutArrangement(cal, addDays(latestOverdueStart(cal, n, today), 2), today).some(
      (y) => y !== thisYear,
    )
  ) {
    const a = await everyRunning();
    if (a.count > 0 && a.oldest) years = since(a.oldest);
  }
  const last = Number(addWorkingDays(cal, today, n).slice(0, 4));
  for (let y = Number(today.slice(0, 4)) + 1; y <= last; y++) {
    if (cal.years.has(y)) continue;
    const from = earliestStartReaching(cal, n, `${y}-01-01`, today);
    if (from === undefined) continue;
    const a = await everyRunning();
    if (a.count === 0) break;
    const earlier = await running(startOfLocalDay(from, cal.timeZone));
    if (a.count > earlier.count) years.push(y);
  }
  return years;
}

/**
 * Reads both deadlines from the ledger as of the day `today`, when given (a person checking ahead
 * what a day will bring), else the pinned `LICBRIDGE_TODAY`, else the day of `now` (judgedToday).
 */
export async function collectDeadlines(
  config: Readonly<Config>,
  ledger: Ledger,
  options: { now?: Date; today?: string } = {},
): Promise<DeadlineStatus> {
  const cal = calendarOf(config);
  const settings = deadlineSettings(config);
  // Today as the tick sees it: a pinned LICBRIDGE_TODAY wins over the caller's clock (`now`).
  const today = judgedToday(config, options);

  const backlogBefore = overdueCutoff(cal, settings.backlogWorkingDays, today);
  const overdue: OverdueBacklog[] = [];
  for (const [pipeline, p] of Object.entries(config.pipelines)) {
    for (const target of p.targets) {
      const o = await ledger.overdueChanges({ pipeline, target, createdBefore: backlogBefore });
      if (o.count === 0 || !o.oldest) continue;
      overdue.push({
        pipeline,
        target,
        count: o.count,
        oldest: o.oldest.toISOString(),
        overdueBy: lateBy(cal, o.oldest, settings.backlogWorkingDays, today),
      });
    }
  }

  // Derived expiry: a license whose last valid day was before yesterday should have been expired
  // by yesterday's tick at the latest. A day's grace, so a tick running shortly after midnight is
  // never reported behind. Counted through the same index the tick reads.
  const behind: ExpiryBehind[] = [];
  for (const [pipeline, p] of Object.entries(config.pipelines)) {
    if (p.expiry === false) continue;
    const count = await ledger.countDueExpiries(pipeline, addDays(today, -1));
    if (count === 0) continue;
    behind.push({ pipeline, count, lastTick: (await ledger.lifecycleWatermark(pipeline))?.day ?? null });
  }

  // Changes not yet accepted at a target, every target's together: one clock each.
  const pendingChanges: RunningClocks = async (before) => {
    let count = 0;
    let oldest: Date | null = null;
    for (const [pipeline, p] of Object.entries(config.pipelines)) {
      for (const target of p.targets) {
        const o = await ledger.overdueChanges({ pipeline, target, createdBefore: before });
        count += o.count;
        if (o.oldest && (!oldest || o.oldest < oldest)) oldest = o.oldest;
      }
    }
    return { count, oldest };
  };
  const objectionsBefore = overdueCutoff(cal, settings.objectionWorkingDays, today);
  const late = await ledger.openObjectionsBefore(objectionsBefore);
  const missing = new Set([
    ...yearsWithoutArrangement(cal, today, today),
    ...(await yearsCountedWithout(cal, settings.backlogWorkingDays, today, pendingChanges, {
      count: overdue.reduce((sum, o) => sum + o.count, 0),
      oldest: overdue.reduce<Date | null>((a, o) => {
        const at = new Date(o.oldest);
        return a === null || at < a ? at : a;
      }, null),
    })),
    ...(await yearsCountedWithout(
      cal,
      settings.objectionWorkingDays,
      today,
      (before) => ledger.openObjectionsBefore(before),
      late,
    )),
  ]);

  // Every open objection, the late ones included: opened before the end of `today`.
  const open = await ledger.openObjectionsBefore(startOfLocalDay(addDays(today, 1), cal.timeZone));
  return {
    today,
    timeZone: cal.timeZone,
    backlog: { workingDays: settings.backlogWorkingDays, overdue },
    objections: {
      workingDays: settings.objectionWorkingDays,
      open: open.count,
      overdue: late.count,
      oldest: late.oldest?.toISOString() ?? null,
      overdueBy: late.oldest ? lateBy(cal, late.oldest, settings.objectionWorkingDays, today) : 0,
    },
    yearsWithoutArrangement: [...missing].sort((a, b) => a - b),
    expiry: { behind },
  };
}

type DeadlineKind = 'backlog-overdue' | 'objection-overdue' | 'expiry-behind';

/**
 * One sentence per overdue deadline, as `status` lists what needs a person. Times are on the clock
 * of `lifecycle.timeZone` (core/zoned-time.ts), the working days' clock: in UTC, a change read early
 * in the morning in Beijing read as the day before. The fields keep UTC ISO for `--json`.
 */
export function deadlineMessages(d: DeadlineStatus): { kind: DeadlineKind; message: string }[] {
  const out: { kind: DeadlineKind; message: string }[] = [];
  for (const o of d.backlog.overdue) {
    out.push({
      kind: 'backlog-overdue',
      message: `pipeline ${o.pipeline}: ${o.count} change(s) not accepted by ${o.target} within ${d.backlog.workingDays} working days (rules art. 10); the oldest, read ${zonedTime(o.oldest, d.timeZone)}, is overdue by ${o.overdueBy} working day(s): clear the cause (\`licbridge dlq list\`, the platform), then \`licbridge run ${o.pipeline}\``,
    });
  }
  for (const b of d.expiry.behind) {
    out.push({
      kind: 'expiry-behind',
      message: `pipeline ${b.pipeline}: ${b.count} license(s) ran out before ${addDays(d.today, -1)} and are still valid in the ledger and at the platforms; the lifecycle tick last finished for ${b.lastTick ?? 'no day yet'}: run \`licbridge lifecycle run\`, and keep \`licbridge schedule\` and a worker running so it ticks daily (lifecycle.schedule); one the tick set aside, its stored text corrupt, stays behind until the text is restored from a backup of the ledger: \`licbridge quarantine list --reason LB_STORED_TEXT\` names them`,
    });
  }
  if (d.objections.overdue > 0) {
    out.push({
      kind: 'objection-overdue',
      message: `objections: ${d.objections.overdue} open past ${d.objections.workingDays} working days (rules art. 16); the oldest, opened ${zonedTime(d.objections.oldest, d.timeZone)}, is overdue by ${d.objections.overdueBy} working day(s): \`licbridge objection list --overdue\`, then \`licbridge objection resolve <id> --upheld|--rejected --note …\``,
    });
  }
  return out;
}
