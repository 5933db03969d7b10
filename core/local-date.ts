/**
 * Calendar days as the department lives them: "today" is the date on the wall clock of the
 * configured zone (China Standard Time unless configured), not the UTC date — between 00:00 and
 * 08:00 in Beijing the UTC date is still yesterday, and a license would expire a day late.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Building an Intl.DateTimeFormat costs about a hundred times what formatting with it does, and
// "today" is asked for on every row a pipeline maps: one formatter per zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f;
}

// The last day formatted per zone, by whole second: "today" is asked for on every row a pipeline
// maps, thousands of times a second, and formatting cost ~8 µs a row. Every offset a zone has had
// is a whole number of seconds, so all instants of one second fall on one day.
const lastDay = new Map<string, { second: number; day: string }>();

/** `YYYY-MM-DD` of `at` in `timeZone`; throws a RangeError naming the zone when Intl does not know it. */
export function localDate(timeZone: string = DEFAULT_TIME_ZONE, at: Date = new Date()): string {
  const second = Math.floor(at.getTime() / 1000);
  const last = lastDay.get(timeZone);
  if (last !== undefined && last.second === second) return last.day;
  const parts = Object.fromEntries(
    dayFormat(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  if (Number.isFinite(second)) lastDay.set(timeZone, { second, day });
  return day;
}

/**
 * Whether Intl knows `zone` as a time zone (an IANA name such as Asia/Shanghai): a name of the
 * right shape may still be none (`Asia/Shangai`).
 */
export function isTimeZone(zone: string): boolean {
  try {
    localDate(zone);
    return true;
  } catch {
    return false;
  }
}

/** The date when `text` is a real calendar day `YYYY-MM-DD` (no 2025-02-30), else undefined. */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  return { year, month, day };
}

/**
 * Whether year, month, day, hour, minute and second name a moment of the calendar. Date rolls an
 * impossible one over instead of refusing it (30 February is 2 March, hour 24 the next midnight),
 * so a seal's `validEnd` of 30 February would read as valid two days past the month's end, and a
 * seal revoked `since` 30 February would count as revoked from 2 March.
 */
export function isCalendarTime([year, month, day, hour, minute, second]: readonly number[]): boolean {
  const at = new Date(0);
  at.setUTCFullYear(year as number, (month as number) - 1, day as number);
  at.setUTCHours(hour as number, minute as number, second as number);
  return (
    at.getUTCFullYear() === year &&
    at.getUTCMonth() === (month as number) - 1 &&
    at.getUTCDate() === day &&
    at.getUTCHours() === hour &&
    at.getUTCMinutes() === minute &&
    at.getUTCSeconds() === second
  );
}

/** `YYYY-MM-DD` shifted by `days` (calendar days). */
export function addDays(isoDate: string, days: number): string {
  const p = parseIsoDate(isoDate);
  if (!p) throw new RangeError(`not a date YYYY-MM-DD: ${isoDate}`);
  return new Date(Date.UTC(p.year, p.month - 1, p.day + days)).toISOString().slice(0, 10);
}

/*
 * Date values from SQL sources come in two kinds that a JS Date cannot tell apart. Zone-less
 * columns (DATE, TIMESTAMP, DATETIME) are wall-clock fields, handed over as a Date whose UTC fields
 * are the stored fields; their calendar day is the UTC one. Zoned columns (PostgreSQL timestamptz,
 * SQL Server datetimeoffset, Oracle TIMESTAMP WITH [LOCAL] TIME ZONE) are instants: 2024-03-01
 * 07:00+08 is the Date 2024-02-29T23:00Z, and its UTC day is the day before the one on the
 * license. A connector marks such a Date as an instant, so the mapping takes its day in the zone.
 */
const instants = new WeakSet<Date>();

/** Marks `date` as an instant read from a zoned column (see above); returns it. */
export function zonedInstant(date: Date): Date {
  instants.add(date);
  return date;
}

/** True for a Date marked by `zonedInstant`: its calendar day is the one in the configured zone. */
export function isZonedInstant(value: unknown): boolean {
  return value instanceof Date && instants.has(value);
}

/**
 * The instant the wall clock of `timeZone` shows `fields` (year, month 1–12, day, hour, minute,
 * second, ms; missing ones are the start of the day): the zone's offset at a first guess, then at
 * the instant that gives (they differ only across a change of offset that day).
 */
export function wallClockInstant(fields: readonly number[], timeZone: string): Date {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0] = fields;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone));
}

/** The zone's offset from UTC at `ms`, ms (positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const f = wallClockFields(new Date(ms), timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The wall clock's fields of `at` in `timeZone`, to the second (month 1–12). */
export interface WallClockFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallClockFields(at: Date, timeZone: string): WallClockFields {
  const p = Object.fromEntries(
    wallClockFormat(timeZone)
      .formatToParts(at)
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<string, number>;
  return {
    year: p.year ?? 0,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
  };
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's wall-clock formatter (`en-CA`, year to second, 24-hour), one per zone: `formatToParts`
 * gives the fields of an instant as the zone's clock shows them.
 */
export function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    offsetFormats.set(timeZone, f);
  }
  return f;
}
