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

/**
 * `at` as ISO 8601 text on `timeZone`'s wall clock, to the millisecond, with the zone's offset
 * then (`+08:00`; `+09:00` for a day of China's summer time, 1986-1991; the seconds of a local mean
 * time before 1901, `+08:05:43`, as the zone's data has them). An offset of none is written `Z`,
 * the text the instant had before. Throws a RangeError naming the zone when Intl does not know it.
 */
export function zonedText(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const name = offsetFormat(timeZone)
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = OFFSET.exec(name ?? '');
  if (!m?.[1]) return at.toISOString();
  const [, sign, hh, mm, ss] = m;
  const seconds = Number(hh) * 3600 + Number(mm) * 60 + Number(ss ?? 0);
  if (seconds === 0) return at.toISOString();
  // The wall clock's fields are the instant moved by the offset, read as UTC fields; toISOString
  // writes years past 9999 and before 1 as PostgreSQL's range holds them (±YYYYYY).
  const wall = new Date(at.getTime() + (sign === '-' ? -seconds : seconds) * 1000);
  return `${wall.toISOString().slice(0, -1)}${sign}${hh}:${mm}${ss ? `:${ss}` : ''}`;
}
