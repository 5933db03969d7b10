/**
 * `when:` conditions of a rule, compiled once to a predicate over the row:
 * `{ column, equals }`, `{ column, in: [...] }`, `{ column, matches: regex }`,
 * `{ column, empty: true|false }`, `{ column, before: today | YYYY-MM-DD }`,
 * `{ column, after: today | YYYY-MM-DD }`, and `{ all: [...] }`, `{ any: [...] }`, `{ not: {...} }`.
 * Values compare as trimmed text (CHAR padding and numeric drivers must not change the outcome),
 * and the compiler hands values over as written (`in: [01, 02]` holds the codes 01 and 02);
 * `before`/`after` compare calendar days, `today` being the day the row is mapped on (see
 * `MapEnv`).
 */
import type { YamlPath } from '../catalog/yaml-source.js';
import { DEFAULT_TIME_ZONE, isZonedInstant, localDate, parseIsoDate } from '../core/local-date.js';
import { compileRegex } from './regex.js';
import { numberText, trimPadding } from './step.js';
import type { InputValue } from './types.js';

/** What a row is mapped against besides its values. */
export interface MapEnv {
  /** Today, `YYYY-MM-DD` in the configured zone (pinned in mapping tests). @defaultValue the clock's date in Asia/Shanghai */
  readonly today?: string;
  /**
   * The zone (IANA) of that day, in which an instant's day is taken too (`lifecycle.timeZone`):
   * both sides of `before`/`after` are days of one calendar.
   * @defaultValue Asia/Shanghai
   */
  readonly timeZone?: string;
}

/** A compiled condition: true/false, or the name of a column the row lacks. */
export type Condition = (
  values: Readonly<Record<string, InputValue>>,
  env?: MapEnv,
) => boolean | { missing: string };

export interface ConditionProblem {
  at: YamlPath;
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A value as conditions see it: trimmed text, or null for no value and for binary data. */
export function conditionText(value: InputValue | undefined): string | null {
  if (value === null || value === undefined || value instanceof Uint8Array) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  // NULs padding a CHAR or BINARY(n) code at its end are padding too, as `trim` takes them.
  return typeof value === 'number' ? numberText(value) : trimPadding(String(value));
}

const TESTS = ['equals', 'in', 'matches', 'empty', 'before', 'after'] as const;

/**
 * A source value as a calendar day, for `before`/`after`: `yyyyMMdd`, `yyyy-MM-dd`, `yyyy/M/d`,
 * `yyyy.M.d`, `yyyy年M月d日` (a time after the day is ignored), or a driver's Date (its UTC day:
 * drivers hand DATE columns over as midnight UTC). Anything else — empty, `00000000`, not a date — is no day. A Date a
 * connector marked as a zoned instant (timestamptz, datetimeoffset) takes its day in `timeZone`,
 * the zone today is taken in (China Standard Time unless configured): `2024-03-01 00:00+08` is
 * `2024-02-29T16:00Z`, and its UTC day made a license valid to 03-01 count as `before: today` on
 * 03-01 itself. A text whose time names its offset (`2024-02-29T16:00:00Z`) is such an instant too.
 */
export function conditionDay(
  value: InputValue | undefined,
  timeZone: string = DEFAULT_TIME_ZONE,
): string | undefined {
  if (isZonedInstant(value)) {
    const instant = value as Date;
    if (Number.isNaN(instant.getTime())) return undefined;
    const day = localDate(timeZone, instant);
    return parseIsoDate(day) ? day : undefined;
  }
  // A Date is read through its ISO text like any other value, not cut to its first ten chars: a
  // year past 9999 or before 0 is written `+010000-01-01T…`, which would sort before every day.
  const text = conditionText(value);
  if (!text) return undefined;
  // Legacy forms write the day with dots or 年月日 too (`2024.3.1`, `2024年3月1日`): read as no day,
  // such a value held no condition while the field's `date` transform read it as its day.
  const m = /^(\d{4})(?:(\d{2})(\d{2})|[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日)(?:$|[ T])/.exec(
    text,
  );
  if (!m) return undefined;
  const month = m[2] ?? m[4] ?? m[6] ?? '';
  const date = m[3] ?? m[5] ?? m[7] ?? '';
  const day = `${m[1]}-${month.padStart(2, '0')}-${date.padStart(2, '0')}`;
  if (!parseIsoDate(day)) return undefined;
  // A text whose time names its offset (`2024-02-29T16:00:00Z`, an export's xs:dateTime) is an
  // instant: its day is the zone's, as a zoned instant's (2024-03-01), not the day written before it.
  // A zone-less Date's ISO text ends in Z too, but its UTC fields are the wall clock: its day stands.
  if (value instanceof Date) return day;
  const t = TIME_WITH_OFFSET.exec(text.slice(m[0].length));
  return t ? offsetDay(day, t, timeZone) : day;
}

const TIME_WITH_OFFSET = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:Z|([+-])(\d{2}):?(\d{2})?)$/i;

/** The day in `timeZone` of `day` at a time with an offset; undefined for no real time. */
function offsetDay(day: string, t: RegExpExecArray, timeZone: string): string | undefined {
  const [h, mi, sec, oh, om] = [t[1], t[2], t[3], t[5], t[6]].map((x) => Number(x ?? 0)) as number[];
  if (h === undefined || mi === undefined || sec === undefined || oh === undefined || om === undefined)
    return undefined;
  if (h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59) return undefined;
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const offset = (t[4] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  const local = localDate(timeZone, new Date(Date.UTC(y, mo - 1, d, h, mi, sec) - offset));
  return parseIsoDate(local) ? local : undefined;
}

/**
 * Why a condition's column cannot be read from the source, or null when it can (or the source's
 * fields are not known).
 */
export type ColumnCheck = (column: string) => string | null;

/**
 * Compiles a condition; pushes problems (with their YAML path) and returns undefined when it cannot.
 * `known`: checks each column against the source's fields, so a condition naming a field the source
 * lacks fails at compile time instead of on every row. `todays` hears where a bound is `today`.
 */
export function compileCondition(
  raw: unknown,
  at: YamlPath,
  problems: ConditionProblem[],
  columns: Set<string>,
  known?: ColumnCheck,
  todays?: YamlPath[],
): Condition | undefined {
  const bad = (message: string, where: YamlPath = at): undefined => {
    problems.push({ at: where, message });
    return undefined;
  };
  if (!isRecord(raw)) return bad('expected a condition like { column: ZT, equals: "1" }');
  const keys = Object.keys(raw);
  for (const group of ['all', 'any'] as const) {
    if (!(group in raw)) continue;
    const list = raw[group];
    if (keys.length !== 1 || !Array.isArray(list) || list.length === 0) {
      return bad(`expected \`${group}\` alone, with a non-empty list of conditions`);
    }
    const parts = list.map((c, i) =>
      compileCondition(c, [...at, group, i], problems, columns, known, todays),
    );
    if (parts.some((p) => p === undefined)) return undefined;
    const conds = parts as Condition[];
    return group === 'all'
      ? (values, env) => {
          for (const c of conds) {
            const r = c(values, env);
            if (r !== true) return r;
          }
          return true;
        }
      : (values, env) => {
          for (const c of conds) {
            const r = c(values, env);
            if (r !== false) return r;
          }
          return false;
        };
  }
  if ('not' in raw) {
    if (keys.length !== 1) return bad('expected `not` alone, with one condition');
    const inner = compileCondition(raw.not, [...at, 'not'], problems, columns, known, todays);
    if (!inner) return undefined;
    return (values, env) => {
      const r = inner(values, env);
      return typeof r === 'boolean' ? !r : r;
    };
  }
  const column = raw.column;
  if (typeof column !== 'string' || column === '') return bad('expected `column` to name a column');
  const tests = keys.filter((k) => k !== 'column');
  const extra = tests.find((k) => !(TESTS as readonly string[]).includes(k));
  if (extra !== undefined) {
    return bad(`unknown condition key \`${extra}\`; expected column with one of ${TESTS.join(', ')}`, [
      ...at,
      extra,
    ]);
  }
  if (tests.length !== 1) return bad(`expected exactly one of ${TESTS.join(', ')} beside \`column\``);
  const unknown = known?.(column);
  if (unknown) return bad(unknown, [...at, 'column']);
  columns.add(column);
  const test = tests[0] as (typeof TESTS)[number];
  const arg = raw[test];
  let check: (text: string | null) => boolean;
  if (test === 'equals') {
    if (!isScalar(arg) && arg !== null) return bad('expected `equals` to be a plain value', [...at, test]);
    // Trimmed as the source's text is: `equals: "1 "`, copied from a CHAR(2) column, held for no row.
    const want = arg === null ? null : String(arg).trim();
    check = (text) => text === want;
  } else if (test === 'in') {
    if (!Array.isArray(arg) || !arg.every(isScalar)) {
      return bad('expected `in` to be a list of plain values', [...at, test]);
    }
    const texts = arg.map((v) => String(v).trim());
    // `in: [01, "01"]` lists one code twice once `01` is read as written (rule.ts ruleAsWritten),
    // and `in: ["1", "1 "]` once trimmed; a repeat is a slip (01 meant 10?), refused where it stands.
    const twice = texts.findIndex((t, i) => texts.indexOf(t) !== i);
    if (twice >= 0) return bad(`\`${texts[twice]}\` is listed twice in \`in\``, [...at, test, twice]);
    const set = new Set(texts);
    check = (text) => text !== null && set.has(text);
  } else if (test === 'matches') {
    if (typeof arg !== 'string') return bad('expected `matches` to be a regular expression', [...at, test]);
    // RE2, not RegExp: linear in the value whatever the pattern (see regex.ts).
    const re = compileRegex(arg);
    if (typeof re === 'string') return bad(re, [...at, test]);
    check = (text) => text !== null && re.test(text);
  } else if (test === 'before' || test === 'after') {
    const fixed = typeof arg === 'string' && parseIsoDate(arg) ? arg : undefined;
    if (arg !== 'today' && fixed === undefined) {
      return bad(`expected \`${test}\` to be \`today\` or a date YYYY-MM-DD`, [...at, test]);
    }
    if (arg === 'today') todays?.push([...at, test]);
    const before = test === 'before';
    return (values, env) => {
      if (!Object.hasOwn(values, column)) return { missing: column };
      // Absent, the zone is China Standard Time on both sides (their parameters' default).
      const zone = env?.timeZone;
      const day = conditionDay(values[column], zone);
      if (day === undefined) return false;
      const than = fixed ?? env?.today ?? localDate(zone);
      return before ? day < than : day > than;
    };
  } else {
    if (typeof arg !== 'boolean') return bad('expected `empty` to be true or false', [...at, test]);
    check = (text) => (text === null || text === '') === arg;
  }
  return (values) => {
    if (!Object.hasOwn(values, column)) return { missing: column };
    return check(conditionText(values[column]));
  };
}
