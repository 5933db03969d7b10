import type { Problem } from '../core/errors.js';
import { parseIsoDate } from '../core/local-date.js';
import { asRecord, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * `calendar.years`: what the schema's day pattern cannot see — a real calendar day (no
 * 2027-02-30), in the year it is filed under, and not both a day off and a working day. Caught at
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
