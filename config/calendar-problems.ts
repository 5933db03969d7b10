import type { Problem } from '../core/errors.js';
import { parseIsoDate } from '../core/local-date.js';
import { asRecord, problemAtPath, type YamlTree } from './yaml-tree.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

/**
 * The weekday `day` (`YYYY-MM-DD`) falls on, Monday to Friday; undefined for a Saturday, a Sunday
 * or what is not a calendar day.
 */
export function weekdayName(day: string): string | undefined {
  const p = parseIsoDate(day);
  if (!p) return undefined;
  return WEEKDAYS[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() - 1];
}

/**
 * Why a working day on a weekday is refused: it changes no count (the day is worked anyway), so it
 * is a mistyped weekend day, and the Saturday or Sunday meant would count as a day off.
 */
export function weekdayWorkday(day: string, weekday: string): string {
  return `\`${day}\` is a ${weekday}, a working day already; workdays lists the Saturdays and Sundays worked (调休上班)`;
}

/**
 * `calendar.years`: what the schema's day pattern cannot see — a real calendar day (no
 * 2027-02-30), in the year it is filed under, not both a day off and a working day, and a working
 * day that is a Saturday or a Sunday (调休上班): one on a weekday would change nothing. Caught at
 * load time with the line, rather than at the first `status` that counts working days.
 */
export function calendarProblems(tree: YamlTree, file: string): Problem[] {
  const years = asRecord(asRecord(asRecord(tree.data)?.calendar)?.years);
  if (!years) return [];
  const problems: Problem[] = [];
  const at = (segments: (string | number)[], message: string) => {
    problems.push(problemAtPath(tree, file, segments, message));
  };
  for (const [year, value] of Object.entries(years)) {
    const entry = asRecord(value);
    if (!entry) continue;
    const lists = { holidays: entry.holidays, workdays: entry.workdays };
    for (const [field, list] of Object.entries(lists)) {
      if (!Array.isArray(list)) continue;
      list.forEach((day, i) => {
        // Non-strings and other shapes are the schema's to report.
        if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
        if (!parseIsoDate(day) || !day.startsWith(`${year}-`)) {
          at(
            ['calendar', 'years', year, field, i],
            `expected a day of ${year} as YYYY-MM-DD, got \`${day}\``,
          );
        }
      });
    }
    if (Array.isArray(lists.workdays)) {
      lists.workdays.forEach((day, i) => {
        if (typeof day !== 'string' || !day.startsWith(`${year}-`)) return;
        const weekday = weekdayName(day);
        if (weekday !== undefined)
          at(['calendar', 'years', year, 'workdays', i], weekdayWorkday(day, weekday));
      });
    }
    if (Array.isArray(lists.holidays) && Array.isArray(lists.workdays)) {
      lists.workdays.forEach((day, i) => {
        if ((lists.holidays as unknown[]).includes(day)) {
          at(
            ['calendar', 'years', year, 'workdays', i],
            `\`${String(day)}\` is listed both as a holiday and as a working day`,
          );
        }
      });
    }
  }
  return problems;
}
