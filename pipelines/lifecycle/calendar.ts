/**
 * Working-day arithmetic over a calendar of public holidays and adjusted working weekends (调休).
 * The rules count their deadlines in working days (art. 10: 3 working days to issue, revoke or
 * update after a fault is cleared; art. 16: 5 working days to check an objection), and in China a
 * working day is not simply Monday to Friday: the State Council General Office moves days every
 * year, so a Saturday can be a working day and a Wednesday a holiday.
 *
 * Pure: days are `YYYY-MM-DD` strings of the department's calendar, no clock is read here.
 * Where the calendar holds no arrangement for a year, that year counts Monday to Friday; callers
 * say so to a person (`yearsWithoutArrangement`) rather than guess holidays.
 */
import { addDays, localDate, parseIsoDate, wallClockInstant } from '../../core/local-date.js';

export interface WorkingCalendar {
  /** Days off, `YYYY-MM-DD`, whichever weekday they fall on. */
  readonly holidays: ReadonlySet<string>;
  /** Adjusted working weekends: Saturdays and Sundays that are working days. */
  readonly workdays: ReadonlySet<string>;
  /** Years whose arrangement the calendar holds. */
  readonly years: ReadonlySet<number>;
}

/** No year has more than a few weeks of days off in a row; a longer walk means a broken calendar. */
const MAX_WALK_DAYS = 400;

function weekday(day: string): number {
  const p = parseIsoDate(day);
  if (!p) throw new RangeError(`calendar: not a date YYYY-MM-DD: ${day}`);
  return new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
}

export function isWorkingDay(cal: WorkingCalendar, day: string): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

/** The `n`-th working day after `day` (`day` itself when `n` is 0). */
export function addWorkingDays(cal: WorkingCalendar, day: string, n: number): string {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`calendar: working days must be a whole number ≥ 0, got ${n}`);
  let current = day;
  let left = n;
  for (let walked = 0; left > 0; walked++) {
    if (walked > MAX_WALK_DAYS + n * 7) throw new RangeError(`calendar: no working day found after ${day}`);
    current = addDays(current, 1);
    if (isWorkingDay(cal, current)) left -= 1;
  }
  return current;
}

/** Working days `d` with `from < d ≤ to`; 0 when `to` is not after `from`. */
export function workingDaysAfter(cal: WorkingCalendar, from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(cal, d)) n += 1;
  return n;
}

/**
 * How many working days a deadline of `n` working days, started on `start`, is overdue on `today`:
 * the deadline is the `n`-th working day after `start` (the start day itself does not count, as
 * "within 3 working days of" is read), and each working day after it counts one. A weekend right
 * after the deadline is not yet overdue: nobody could have acted on it.
 */
export function overdueWorkingDays(cal: WorkingCalendar, start: string, n: number, today: string): number {
  return workingDaysAfter(cal, addWorkingDays(cal, start, n), today);
}

/**
 * The latest start day whose `n`-working-day deadline is overdue on `today`. Every earlier start
 * is overdue too (the deadline only moves forward with the start), so a query for "started on or
 * before this day" finds exactly the overdue ones.
 */
export function latestOverdueStart(cal: WorkingCalendar, n: number, today: string): string {
  let d = today;
  for (let walked = 0; overdueWorkingDays(cal, d, n, today) < 1; walked++) {
    if (walked > MAX_WALK_DAYS + n * 7)
      throw new RangeError(`calendar: no overdue start found before ${today}`);
    d = addDays(d, -1);
  }
  return d;
}

/** Years from `from` to `to` (inclusive) that the calendar holds no arrangement for. */
export function yearsWithoutArrangement(cal: WorkingCalendar, from: string, to: string): number[] {
  const out: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) if (!cal.years.has(y)) out.push(y);
  return out;
}

/**
 * The earliest start day, up to `today`, whose `n`-working-day deadline falls on or after `day`:
 * every clock started from then to `today` runs into `day`. Undefined when even a clock started
 * `today` has its deadline before `day`.
 */
export function earliestStartReaching(
  cal: WorkingCalendar,
  n: number,
  day: string,
  today: string,
): string | undefined {
  if (addWorkingDays(cal, today, n) < day) return undefined;
  let start = today;
  for (let walked = 0; addWorkingDays(cal, addDays(start, -1), n) >= day; walked++) {
    if (walked > MAX_WALK_DAYS + n * 7) throw new RangeError(`calendar: no start found reaching ${day}`);
    start = addDays(start, -1);
  }
  return start;
}

/**
 * Longer than any jump of a zone's clock: a summer time of one hour, Lord Howe's half hour, and a
 * whole day where a zone crossed the date line (Samoa skipped 30 December 2011, Kiritimati
 * 31 December 1994).
 */
const MAX_CLOCK_JUMP_MS = 25 * 3600_000;

/**
 * The instant the calendar day `day` begins in `timeZone`. Where the clock skips midnight (summer
 * time starting at 00:00: America/Havana, America/Santiago) the day has no 00:00, and the reading
 * of one falls an hour into the day before; the day then begins when the clock jumps, the first
 * instant whose date is `day`. A day the zone skipped begins with the next day. Taken as the day's start, that hour of the day before was left out
 * of every count "before the end of the day" (the open objections, the changes already overdue).
 * Where the day has two midnights (the clocks going back from 01:00 to 00:00), it begins at the first.
 */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const p = parseIsoDate(day);
  if (!p) throw new RangeError(`calendar: not a date YYYY-MM-DD: ${day}`);
  const at = wallClockInstant([p.year, p.month, p.day], timeZone);
  let lo: number;
  let hi: number;
  if (localDate(timeZone, at) >= day) {
    // Where the clocks go back from 01:00 to 00:00 (Asia/Amman, Asia/Gaza until 2021), the day has
    // two midnights, and east of Greenwich the reading is the second: the day began an hour before.
    if (localDate(timeZone, new Date(at.getTime() - 1)) < day) return at;
    lo = at.getTime() - MAX_CLOCK_JUMP_MS;
    hi = at.getTime();
  } else {
    lo = at.getTime();
    hi = lo + MAX_CLOCK_JUMP_MS;
    if (localDate(timeZone, new Date(hi)) < day) return at;
  }
  // Bisected to the millisecond: `lo` is always on the day before, `hi` on `day`.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(timeZone, new Date(mid)) >= day) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}
