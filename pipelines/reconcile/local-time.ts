/**
 * Times as the people reading a report know them: wall-clock time in the department's zone
 * (`reconcile.timeZone`), `YYYY-MM-DD HH:mm:ss` with the zone named once.
 */
import { wallClockFormat } from '../../core/local-date.js';
import { assertTimeZone as assertZone } from '../../core/time-zone.js';

/** The zone readers call 北京时间; any other is shown by its IANA name. */
const BEIJING_TIME = 'Asia/Shanghai';

/**
 * Throws `LB_CONFIG_INVALID` naming `file`, `field` and the zone when Intl does not know it, as
 * every zone check does (core/time-zone.ts).
 */
export function assertTimeZone(zone: string, field = 'reconcile.timeZone', file?: string): void {
  assertZone(zone, field, file);
}

export function localTime(at: Date | string, zone: string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  const parts = Object.fromEntries(
    wallClockFormat(zone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The zone as a reader names it: `北京时间` / `China Standard Time` for Asia/Shanghai, else the IANA name. */
export function zoneLabel(zone: string, lang: 'zh' | 'en'): string {
  if (zone === BEIJING_TIME) return lang === 'zh' ? '北京时间' : 'China Standard Time';
  return zone;
}
