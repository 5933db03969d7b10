/**
 * Times as the people reading a report know them: wall-clock time in the department's zone
 * (China Standard Time unless configured), `YYYY-MM-DD HH:mm:ss` with the zone's offset named once.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Throws a RangeError naming the zone when Intl does not know it. */
export function assertTimeZone(zone: string): void {
  new Intl.DateTimeFormat('en', { timeZone: zone });
}

export function localTime(at: Date | string, zone: string = DEFAULT_TIME_ZONE): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The zone as a reader names it: `北京时间` / `China Standard Time` for the default, else the IANA name. */
export function zoneLabel(zone: string, lang: 'zh' | 'en'): string {
  if (zone === DEFAULT_TIME_ZONE) return lang === 'zh' ? '北京时间' : 'China Standard Time';
  return zone;
}
