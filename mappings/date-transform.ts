/**
 * `{ date: [formats…] }`: legacy date text to ISO `YYYY-MM-DD`. Tokens: `yyyy`, `MM`, `M`, `dd`,
 * `d`; any other letter is rejected at compile time, other characters are literal. The first
 * format whose shape matches decides — a later format never silently swaps day and month.
 */
import { isCalendarDate } from '../catalog/holder-id.js';
import type { TransformDefinition } from './transforms.js';
import type { MapValue, StepOutcome } from './types.js';

interface DateFormat {
  source: string;
  regex: RegExp;
  /** Capture group index of year, month, day. */
  year: number;
  month: number;
  day: number;
}

const TOKENS: readonly [string, 'year' | 'month' | 'day', string][] = [
  ['yyyy', 'year', '([0-9]{4})'],
  ['MM', 'month', '([0-9]{2})'],
  ['M', 'month', '([0-9]{1,2})'],
  ['dd', 'day', '([0-9]{2})'],
  ['d', 'day', '([0-9]{1,2})'],
];

/** Parses one format, or returns what is wrong with it. */
export function compileDateFormat(format: string): DateFormat | string {
  let pattern = '^';
  const groups: Partial<Record<'year' | 'month' | 'day', number>> = {};
  let group = 0;
  let i = 0;
  while (i < format.length) {
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      const [text, part, regex] = token;
      if (groups[part] !== undefined) return `format \`${format}\` names the ${part} twice`;
      groups[part] = ++group;
      pattern += regex;
      i += text.length;
      continue;
    }
    const ch = format.charAt(i);
    if (/[A-Za-z]/.test(ch))
      return `format \`${format}\` has unknown token \`${ch}\`; tokens are yyyy, MM, M, dd, d`;
    pattern += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    i += 1;
  }
  const { year, month, day } = groups;
  if (year === undefined || month === undefined || day === undefined) {
    return `format \`${format}\` needs a year (yyyy), a month (MM or M) and a day (dd or d)`;
  }
  return { source: format, regex: new RegExp(`${pattern}$`), year, month, day };
}

// Legacy "no date" markers: 00000000, 0000-00-00, 0000-00-00 00:00:00 (MySQL zero dates).
const ZERO_DATE = /^0+([-/.]0+)*( 0+(:0+)*(\.0+)?)?$/;

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parseWith(formats: readonly DateFormat[], text: string): StepOutcome {
  for (const f of formats) {
    const m = f.regex.exec(text);
    if (!m) continue;
    const year = Number(m[f.year]);
    const month = Number(m[f.month]);
    const day = Number(m[f.day]);
    // Year 0000 does not exist in the Gregorian calendar; Feb 30 never did.
    if (!isCalendarDate(year, month, day)) {
      return {
        ok: false,
        code: 'LB_MAP_DATE',
        message: `date text matches ${f.source} but is not a calendar date`,
      };
    }
    return { ok: true, value: iso(year, month, day) };
  }
  const tried = formats.map((f) => f.source).join(', ');
  return { ok: false, code: 'LB_MAP_DATE', message: `date text matches none of ${tried}` };
}

export const dateTransform: TransformDefinition = {
  argument: 'required',
  description: 'legacy date text to ISO YYYY-MM-DD; zero dates and empty text to null',
  compile(arg) {
    const list = typeof arg === 'string' ? [arg] : arg;
    if (!Array.isArray(list) || list.length === 0) return 'expected a list of date formats, e.g. [yyyyMMdd]';
    const formats: DateFormat[] = [];
    for (const item of list) {
      if (typeof item !== 'string') return 'expected each date format to be text';
      const f = compileDateFormat(item);
      if (typeof f === 'string') return f;
      formats.push(f);
    }
    return (value: MapValue): StepOutcome => {
      if (value === null) return { ok: true, value: null };
      // Drivers hand DATE columns over as midnight UTC; the calendar date is the UTC one.
      if (value instanceof Date) {
        const y = value.getUTCFullYear();
        if (y < 1 || y > 9999) return { ok: false, code: 'LB_MAP_DATE', message: 'date is out of range' };
        return { ok: true, value: iso(y, value.getUTCMonth() + 1, value.getUTCDate()) };
      }
      if (typeof value !== 'string' && typeof value !== 'number') {
        return { ok: false, code: 'LB_MAP_TYPE', message: 'date expects text, a number or a date' };
      }
      const text = String(value).trim();
      if (text === '' || ZERO_DATE.test(text)) return { ok: true, value: null };
      return parseWith(formats, text);
    };
  },
};
