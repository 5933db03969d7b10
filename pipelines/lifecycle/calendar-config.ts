/**
 * The working calendar a deployment uses: the shipped national arrangements (calendar-cn.ts),
 * unless `calendar.shipped` is false, with the operator's `calendar.years` on top — a year the
 * operator gives replaces the shipped one whole, so a correction never mixes two sources.
 */
import { weekdayName, weekdayWorkday } from '../../config/calendar-problems.js';
import { calendar as calendarSchema } from '../../config/schema/calendar.js';
import { withSchemaDefaults } from '../../config/schema-defaults.js';
import type { CalendarConfig, Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { parseIsoDate } from '../../core/local-date.js';
import type { WorkingCalendar } from './calendar.js';
import { SHIPPED_ARRANGEMENTS, type YearArrangement } from './calendar-cn.js';
import { lifecycleSettings } from './settings.js';

export interface DeploymentCalendar extends WorkingCalendar {
  timeZone: string;
  /** Where each year's days come from, by year. */
  sources: ReadonlyMap<number, string>;
}

export function calendarOf(config: Pick<Config, 'calendar' | 'lifecycle'>): DeploymentCalendar {
  // A loaded config holds the section with its defaults; one built in code gets the same here.
  const c = withSchemaDefaults(calendarSchema, config.calendar ?? {}) as CalendarConfig;
  const arrangements = new Map<string, YearArrangement>();
  if (c.shipped) for (const [y, a] of Object.entries(SHIPPED_ARRANGEMENTS)) arrangements.set(y, a);
  for (const [y, a] of Object.entries(c.years)) {
    arrangements.set(y, {
      source: a.source ?? 'calendar.years in the config',
      holidays: a.holidays ?? [],
      workdays: a.workdays ?? [],
    });
  }
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  const years = new Set<number>();
  const sources = new Map<number, string>();
  for (const [y, a] of arrangements) {
    for (const [list, field] of [
      [a.holidays, 'holidays'],
      [a.workdays, 'workdays'],
    ] as const) {
      for (const day of list) {
        if (!parseIsoDate(day) || !day.startsWith(`${y}-`)) {
          throw new LicbridgeError(
            ErrorCodes.CONFIG_INVALID,
            `config: calendar.years.${y}.${field}: expected days of ${y} as YYYY-MM-DD, got \`${day}\``,
            { context: { path: `calendar.years.${y}.${field}` } },
          );
        }
      }
    }
    for (const day of a.workdays) {
      const weekday = weekdayName(day);
      if (weekday !== undefined) {
        throw new LicbridgeError(
          ErrorCodes.CONFIG_INVALID,
          `config: calendar.years.${y}.workdays: ${weekdayWorkday(day, weekday)}`,
          { context: { path: `calendar.years.${y}.workdays` } },
        );
      }
    }
    const both = a.holidays.find((d) => a.workdays.includes(d));
    if (both) {
      throw new LicbridgeError(
        ErrorCodes.CONFIG_INVALID,
        `config: calendar.years.${y}: \`${both}\` is listed both as a holiday and as a working day`,
        { context: { path: `calendar.years.${y}` } },
      );
    }
    for (const d of a.holidays) holidays.add(d);
    for (const d of a.workdays) workdays.add(d);
    years.add(Number(y));
    sources.set(Number(y), a.source);
  }
  return { holidays, workdays, years, sources, timeZone: lifecycleSettings(config).timeZone };
}
