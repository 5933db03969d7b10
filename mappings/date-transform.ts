/**
 * `{ date: [formats…] }` or `{ date: { formats: [...], pivot: 50, excel: true } }`: legacy date
 * text to ISO `YYYY-MM-DD`. Tokens: `yyyy`, `yy`, `MM`, `M`, `dd`, `d`; any other letter is
 * rejected at compile time, other characters are literal. `M` and `d` with only digits or digit
 * tokens between them are rejected too: one text would split two ways. The first format whose shape matches
 * decides — a later format never silently swaps day and month.
 * - `yy` needs a `pivot` (0–100): two-digit years below it are 20yy, the others 19yy. There is
 *   no silent default: 49 vs 50 vs 30 is a business decision about the data.
 * - `excel: true` reads numbers (and digit text no format matched) as Excel 1900-system day
 *   serials: 1 = 1900-01-01. Serial 60 is Excel's phantom 1900-02-29 (the Lotus 1-2-3 leap-year
 *   bug) and fails; from 61 on, day 0 is 1899-12-30. A fraction (the time of day) is dropped.
 *   Serials past 2100-12-31 fail, but for 9999-12-31: a yyyyMMdd text missing a digit is digits.
 * - Dates from drivers: wall-clock DATE/TIMESTAMP values keep their (UTC-field) day; instants a
 *   connector marked as zoned take their day in `zone` (IANA), by default the zone the mapping
 *   is run in (`lifecycle.timeZone`, the zone `before`/`after: today` take an instant's day in;
 *   Asia/Shanghai unless configured): a field's day and a condition on its column agree.
 * - `sentinels: [1900-01-01]`: days that mean "no date" in this source read as empty (null), as
 *   zero dates do. Opt-in: 1900-01-01 is SQL Server `datetime`'s value for an empty insert and
 *   1753-01-01 its minimum, but either could be a real date somewhere, and 9999-12-31 is the "no
 *   end" of a license valid for good; turning them into null by default would change licenses
 *   already published.
 */
import { isCalendarDate } from '../catalog/holder-id.js';
import { isZonedInstant, localDate } from '../core/local-date.js';
import { timeZoneProblem } from '../core/time-zone.js';
import type { MapEnv } from './condition.js';
import { fullWidthHint, gotList } from './step.js';
import type { ArgumentProblem, TransformDefinition } from './transforms.js';
import type { MapValue, StepOutcome, TransformStep } from './types.js';

interface DateFormat {
  source: string;
  regex: RegExp;
  /** Capture group index of year, month, day. */
  year: number;
  /** The year has two digits (`yy`). */
  twoDigitYear: boolean;
  month: number;
  day: number;
}

const TOKENS: readonly [string, 'year' | 'month' | 'day', string][] = [
  ['yyyy', 'year', '([0-9]{4})'],
  ['yy', 'year', '([0-9]{2})'],
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
  let twoDigitYear = false;
  // The one-or-two-digit token (M or d) seen since the last literal, if any.
  let variable: string | undefined;
  while (i < format.length) {
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      const [text, part, regex] = token;
      if (groups[part] !== undefined) return `format \`${format}\` names the ${part} twice`;
      // Two one-or-two-digit tokens with only digits between them split the same text two ways:
      // with `yyyyMd`, 2024111 is 2024-11-01 and 2024-01-11, and the regex would pick one silently.
      if (text === 'M' || text === 'd') {
        if (variable !== undefined) {
          return `format \`${format}\` has \`${variable}\` and \`${text}\` with no separator between them, so one text reads as two dates (yyyyMd: 2024111 is 2024-11-01 or 2024-01-11); write MM and dd, or put a separator between them`;
        }
        variable = text;
      }
      groups[part] = ++group;
      if (text === 'yy') twoDigitYear = true;
      pattern += regex;
      i += text.length;
      continue;
    }
    const ch = format.charAt(i);
    if (/[A-Za-z]/.test(ch))
      return `format \`${format}\` has unknown token \`${ch}\`; tokens are yyyy, yy, MM, M, dd, d`;
    // A literal digit does not separate: `M0d` still lets one text split two ways.
    if (!/[0-9]/.test(ch)) variable = undefined;
    pattern += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    i += 1;
  }
  const { year, month, day } = groups;
  if (year === undefined || month === undefined || day === undefined) {
    return `format \`${format}\` needs a year (yyyy or yy), a month (MM or M) and a day (dd or d)`;
  }
  return { source: format, regex: new RegExp(`${pattern}$`), year, month, day, twoDigitYear };
}

// Legacy "no date" markers: 00000000, 0000-00-00, 0000-00-00 00:00:00 (MySQL zero dates).
const ZERO_DATE = /^0+([-/.]0+)*( 0+(:0+)*(\.0+)?)?$/;

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

interface DateOptions {
  formats: DateFormat[];
  pivot?: number;
  excel: boolean;
  /** IANA zone whose calendar day a zoned instant falls on; absent: the map's zone. */
  zone?: string;
  /** ISO days that mean "no date" here: read as null. */
  sentinels: ReadonlySet<string>;
}

const EXCEL_TEXT = /^[0-9]{1,7}(\.[0-9]+)?$/;
// Excel's last date, 9999-12-31.
const EXCEL_MAX = 2958465;
// 2100-12-31. Past it a serial is far likelier a date text with a digit missing (`2024031` for
// 20240301 is serial 2024031, the year 7441) than a date anyone meant; 9999-12-31 alone stays,
// the "no end" legacy systems write for a license valid for good.
const PLAUSIBLE_MAX = 73415;

function fromExcelSerial(serial: number): StepOutcome {
  const day = Math.floor(serial);
  if (day < 1 || day > EXCEL_MAX) {
    return { ok: false, code: 'LB_MAP_DATE', message: `Excel serial ${serial} is outside 1–${EXCEL_MAX}` };
  }
  if (day > PLAUSIBLE_MAX && day !== EXCEL_MAX) {
    return {
      ok: false,
      code: 'LB_MAP_DATE',
      message: `Excel serial ${serial} is past 2100-12-31 (serials read as dates run 1900-01-01 to 2100-12-31, and 9999-12-31); likely a date text with a digit missing`,
    };
  }
  if (day === 60) {
    return { ok: false, code: 'LB_MAP_DATE', message: 'Excel serial 60 is 1900-02-29, a day that never was' };
  }
  const base = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(base + day * 86_400_000);
  return { ok: true, value: iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) };
}

function parseWith(options: DateOptions, text: string): StepOutcome {
  for (const f of options.formats) {
    const m = f.regex.exec(text);
    if (!m) continue;
    let year = Number(m[f.year]);
    if (f.twoDigitYear) year += year < (options.pivot as number) ? 2000 : 1900;
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
  if (options.excel && EXCEL_TEXT.test(text)) return fromExcelSerial(Number(text));
  const tried = options.formats.map((f) => f.source).join(', ');
  const serial = 'an Excel serial (day number, 1 = 1900-01-01)';
  const message = !options.excel
    ? `date text matches none of ${tried}`
    : tried === ''
      ? `date text is not ${serial}`
      : `date text matches none of ${tried}, nor is it ${serial}`;
  return { ok: false, code: 'LB_MAP_DATE', message: `${message}${fullWidthHint(text)}` };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function dateOptions(arg: unknown): DateOptions | string | ArgumentProblem {
  let list: unknown = arg;
  let pivot: unknown;
  let excel: unknown = false;
  let zone: unknown;
  let sentinelList: unknown = [];
  if (isRecord(arg)) {
    const extra = Object.keys(arg).find((k) => !OPTION_KEYS.includes(k));
    if (extra !== undefined) return `unknown key \`${extra}\`; expected ${OPTION_KEYS.join(', ')}`;
    ({ formats: list = [], pivot, excel = false, zone, sentinels: sentinelList = [] } = arg);
  } else if (typeof arg === 'string') {
    list = [arg];
  }
  if (!Array.isArray(list)) return 'expected a list of date formats, e.g. [yyyyMMdd]';
  if (typeof excel !== 'boolean') return 'expected `excel` to be true or false';
  const zoneProblem = zone === undefined ? undefined : timeZoneProblem(zone, 'zone');
  if (zoneProblem !== undefined) return zoneProblem;
  if (list.length === 0 && !excel) return 'expected a list of date formats, e.g. [yyyyMMdd]';
  const sentinels = sentinelDays(sentinelList);
  if ('message' in sentinels) return sentinels;
  const formats: DateFormat[] = [];
  for (const item of list) {
    if (typeof item !== 'string') return 'expected each date format to be text';
    const f = compileDateFormat(item);
    if (typeof f === 'string') return f;
    formats.push(f);
  }
  if (
    pivot !== undefined &&
    (typeof pivot !== 'number' || !Number.isInteger(pivot) || pivot < 0 || pivot > 100)
  ) {
    return 'expected `pivot` to be an integer from 0 to 100';
  }
  const yy = formats.find((f) => f.twoDigitYear);
  if (yy && pivot === undefined) {
    return `format \`${yy.source}\` has a two-digit year; set \`pivot\` (e.g. 50: 00–49 → 20yy, 50–99 → 19yy)`;
  }
  return {
    formats,
    excel,
    sentinels,
    // A string: timeZoneProblem refuses anything else.
    ...(zone === undefined ? {} : { zone: zone as string }),
    ...(pivot === undefined ? {} : { pivot: pivot as number }),
  };
}

const OPTION_KEYS = ['formats', 'pivot', 'excel', 'zone', 'sentinels'];

const SENTINEL_HINT =
  'expected `sentinels` to be a list of days YYYY-MM-DD that mean "no date", e.g. [1900-01-01]';

/** The `sentinels` option: calendar days written YYYY-MM-DD, or what is wrong with it. */
function sentinelDays(list: unknown): ReadonlySet<string> | ArgumentProblem {
  if (!Array.isArray(list)) return { message: SENTINEL_HINT, at: ['sentinels'] };
  const days = new Set<string>();
  for (const [i, item] of list.entries()) {
    // YAML 1.1 documents may read an unquoted 1900-01-01 as a timestamp.
    const text =
      item instanceof Date && !Number.isNaN(item.getTime()) ? item.toISOString().slice(0, 10) : item;
    const m = typeof text === 'string' ? /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text) : null;
    if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
      const shown =
        typeof text === 'string' ? `\`${text}\`` : `a ${Array.isArray(text) ? 'list' : typeof text}`;
      return {
        message: `${SENTINEL_HINT}; got ${shown}, not a calendar day written YYYY-MM-DD`,
        at: ['sentinels', i],
      };
    }
    days.add(m[0]);
  }
  return days;
}

export const dateTransform: TransformDefinition = {
  argument: 'required',
  description: 'legacy date text to ISO YYYY-MM-DD; zero dates, empty text and listed sentinel days to null',
  compile(arg) {
    const options = dateOptions(arg);
    if (typeof options === 'string' || !('formats' in options)) return options;
    const toDay = dayOf(options);
    const { sentinels } = options;
    if (sentinels.size === 0) return toDay;
    return (value: MapValue, env?: MapEnv): StepOutcome => {
      const r = toDay(value, env);
      // Whatever form the day came in (text, a driver's date, an Excel serial): it means empty.
      return r.ok && typeof r.value === 'string' && sentinels.has(r.value) ? { ok: true, value: null } : r;
    };
  },
};

/** The step without sentinels: a value to its ISO day, null, or a reason. */
function dayOf(options: DateOptions): TransformStep {
  return (value: MapValue, env?: MapEnv): StepOutcome => {
    if (value === null) return { ok: true, value: null };
    if (value instanceof Date) {
      const y = value.getUTCFullYear();
      if (!(y >= 1 && y <= 9999)) return { ok: false, code: 'LB_MAP_DATE', message: 'date is out of range' };
      // A zoned instant (timestamptz, datetimeoffset, TIMESTAMP WITH TIME ZONE) falls on the day
      // of the zone (the field's own, else the map's): 2024-03-01 07:00+08 is 2024-02-29T23:00Z,
      // and its UTC day is a day early for every time between 00:00 and 08:00 in Beijing
      // (core/local-date.ts). Neither named, China Standard Time (localDate's default).
      if (isZonedInstant(value)) {
        const zone = options.zone ?? env?.timeZone;
        const day = /^(\d{1,4})-(\d{2})-(\d{2})$/.exec(localDate(zone, value));
        if (!day) return { ok: false, code: 'LB_MAP_DATE', message: 'date is out of range' };
        return { ok: true, value: iso(Number(day[1]), Number(day[2]), Number(day[3])) };
      }
      // Zone-less DATE and TIMESTAMP columns come as wall-clock fields in the UTC fields
      // (connectors/sql/values.ts wallClockUtc): their day is the UTC one, never shifted.
      return { ok: true, value: iso(y, value.getUTCMonth() + 1, value.getUTCDate()) };
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      const message = Array.isArray(value) ? gotList('date') : 'date expects text, a number or a date';
      return { ok: false, code: 'LB_MAP_TYPE', message };
    }
    const text = String(value).trim();
    if (text === '' || ZERO_DATE.test(text)) return { ok: true, value: null };
    return parseWith(options, text);
  };
}
