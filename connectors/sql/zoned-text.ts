/**
 * An instant as text on a zone's wall clock, with that zone's offset at the instant:
 * 2024-02-29T16:30Z in Asia/Shanghai is `2024-03-01T00:30:00.000+08:00`. A list element that is an
 * instant (a PostgreSQL `timestamptz[]`'s) reaches the mappings as text, where a text step cutting
 * its day reads the day it is written in: in UTC that was the day before the one a lone value of
 * the same instant maps to (its `date` takes the day in `lifecycle.timeZone`) for every time
 * before 08:00 in Beijing. Written in that zone, the two agree.
 */
import { DEFAULT_TIME_ZONE } from '../../core/local-date.js';

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset formatter (`GMT+08:00`, `GMT+08:05:43`, `GMT` for none), one per zone. */
function offsetFormat(timeZone: string): Intl.DateTimeFormat {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, f);
  }
  return f;
}

const OFFSET = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The largest time a Date holds, ms either side of 1970 (ECMA-262 TimeClip). */
const DATE_RANGE_MS = 8.64e15;
/** 400 Gregorian years, 146,097 days, after which the calendar's days repeat. */
const CYCLE_MS = 146_097 * DAY_MS;

/** The zone's offset from UTC at `at`, ms (positive east of Greenwich), to the second. */
function offsetMs(at: Date, timeZone: string): number {
  const name = offsetFormat(timeZone)
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = OFFSET.exec(name ?? '');
  if (!m?.[1]) return 0;
  const [, sign, hh, mm, ss] = m;
  const ms = (Number(hh) * 3600 + Number(mm) * 60 + Number(ss ?? 0)) * 1000;
  return sign === '-' ? -ms : ms;
}

/**
 * `wall` ms read as UTC fields, as ISO 8601 text without a zone: years past 9999 and before 1 as
 * PostgreSQL's range holds them (±YYYYYY). A wall clock up to a day past the Date range (the last
 * instant, 275760-09-13T00:00Z, is 08:00 that day in Beijing) is written 400 years in, where the
 * days fall alike, with the year put back.
 */
function wallText(wall: number): string {
  if (Math.abs(wall) <= DATE_RANGE_MS) return new Date(wall).toISOString().slice(0, -1);
  const shift = wall > 0 ? -CYCLE_MS : CYCLE_MS;
  const text = new Date(wall + shift).toISOString().slice(0, -1);
  const dash = text.indexOf('-', 1);
  const year = Number(text.slice(0, dash)) + (wall > 0 ? 400 : -400);
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}${text.slice(dash)}`;
}

/** An offset of whole minutes as RFC 3339 writes it (`+08:00`, `-00:45`), none as `Z`. */
function offsetText(ms: number): string {
  if (ms === 0) return 'Z';
  const minutes = Math.abs(ms) / MINUTE_MS;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${ms < 0 ? '-' : '+'}${hh}:${mm}`;
}

/**
 * `at` (a valid Date) as ISO 8601 text on `timeZone`'s wall clock, to the millisecond, with the
 * zone's offset then (`+08:00`; `+09:00` for a day of China's summer time, 1986-1991). An offset of
 * none is written `Z`, the text the instant had before. A local mean time before 1901 has seconds
 * (`+08:05:43`), which RFC 3339 does not write and no Date parses: the instant is written with the
 * whole-minute offset below it (`+08:05`), its wall clock the seconds earlier, or, in a day's first
 * seconds, where that would fall on the day before, with the one above (`+08:06`), the clock later:
 * the same instant, on the zone's day. 1899-12-31T16:00Z in Asia/Shanghai is
 * `1900-01-01T00:05:00.000+08:05`, on 1900-01-01 as a lone timestamptz's `date` takes it.
 * Throws a RangeError naming the zone when Intl does not know it.
 */
export function zonedText(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const offset = offsetMs(at, timeZone);
  if (offset === 0) return at.toISOString();
  const wall = at.getTime() + offset;
  // The wall clock's seconds past a whole-minute offset (0 but for a local mean time).
  const over = ((offset % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
  const clock = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
  if (over === 0) return `${wallText(wall)}${offsetText(offset)}`;
  if (clock >= over) return `${wallText(wall - over)}${offsetText(offset - over)}`;
  const under = MINUTE_MS - over;
  return `${wallText(wall + under)}${offsetText(offset + under)}`;
}
