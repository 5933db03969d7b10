/**
 * Which record of a key is the latest. An export folder holds a key once per export that
 * carried it (a licence changed on Monday and again on Thursday is in both files), and a late
 * file can sort before files already read. "Latest" is decided by the record itself:
 * - with a stream cursor (the export's update time), the record with the newest cursor wins,
 *   wherever it sits;
 * - equal cursors, or no cursor at all: file-name order (compareFileNames), then document order,
 *   breaks the tie.
 * A run, a re-read of the folder and a reconciliation all use this one rule, so they agree on
 * every key's latest state.
 */

/** Where a record stands among its key's records: (cursor value, file name, record index). */
export interface RecordOrder {
  cursor: string | null;
  file: string;
  index: number;
  /** SHA-256 of the file's bytes the index points into; absent in orders stored before it was kept. */
  sha256?: string;
}

const DIGITS = /^-?\d+$/;
const DECIMAL = /^-?\d+\.\d+$/;
// Date and time as export tools write it: 2026-11-05, 2026/11/5 9:05, 2026-11-05T09:05:00.123,
// the zh-CN long date 2026年11月5日 (9:05), which as text would sort the 5th after the 12th, and
// xs:dateTime with an offset, 2026-11-05T09:05:00.000+08:00 (JAXB, .NET DataSet.WriteXml), and
// xs:date with one, 2026-11-05+08:00 (JAXB's XMLGregorianCalendar for a date column): as text, `+`
// sorted after the space of `2026-11-05 10:00:00` and before the `Z` of another day's value.
// The date's offset is xs:date's, `Z` or ±hh:mm with the colon: `2026-11-05-0800` is no date.
const DATE_TIME =
  /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日)(?:(?:[ T]|(?<=日))(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?|(?<![年月日])(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A time written without an offset is Beijing time, as the district's business systems keep it:
 * only so does `2026-11-05 10:00:00` from an old export compare with `2026-11-05T09:05:00+08:00`
 * from the tool's next release by the instant (as text, `T` sorted after the space whatever the
 * hour, and the older record won), and the order stays the same on every machine.
 */
const LOCAL_OFFSET_MINUTES = 8 * 60;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function offsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined) return LOCAL_OFFSET_MINUTES;
  if (zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 14 || minutes > 59) return null;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

interface DateParts {
  at: Date;
  fraction: string;
  withTime: boolean;
}

/**
 * A compact date or date-time, as legacy schemas keep update times in CHAR(8) and CHAR(14)
 * columns (`20261105`, `202611050930`, `20261105093000`, a fraction after the seconds), written
 * with separators; any other text as it is. Two compact values of one width never get here
 * (compareCursorValues compares them as numbers): this is for one compared with a date written
 * otherwise, as an export tool's next release writes it — as text every compact value sorted after
 * it (`1` after `-`), and the new release's records were taken for older than every record the
 * ledger held — or with a compact value of another width (compactOfTwoWidths).
 */
function separated(text: string): string {
  const c = COMPACT.exec(text);
  if (!c) return text;
  const [, y, mo, d, h, mi, s, frac] = c;
  const time =
    h === undefined
      ? ''
      : ` ${h}:${mi}${s === undefined ? '' : `:${s}`}${frac === undefined ? '' : `.${frac}`}`;
  return `${y}-${mo}-${d}${time}`;
}

const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(?:(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/**
 * The instant a date or date-time stands for, or null when the text is none, or names a day or
 * time that does not exist (`2026-02-30`, `2026-11-05 99:00`, an offset `+99:99`): the calendar
 * would carry it into another day, and `2026-11-05 99:00` would sort after the next day's real
 * update time and win as the latest record. Such text compares as text, as before.
 */
function dateParts(text: string): DateParts | null {
  const m = DATE_TIME.exec(separated(text.trim()));
  if (!m) return null;
  const [, y, mo1, d1, mo2, d2, h, mi, s, frac, timeZone, dateZone] = m;
  // A date with an offset is the day it names in that offset, from its midnight (as XML Schema
  // orders xs:date values); a plain date is a Beijing day, as a plain time is Beijing time.
  const zone = timeZone ?? dateZone;
  const year = Number(y);
  const month = Number(mo1 ?? mo2);
  const day = Number(d1 ?? d2);
  const [hour, minute, second] = [Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)];
  const offset = offsetMinutes(zone);
  if (offset === null || hour > 23 || minute > 59 || second > 59) return null;
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return null;
  at.setUTCHours(hour, minute - offset, second, 0);
  return { at, fraction: frac ?? '', withTime: h !== undefined };
}

/**
 * Whether a value is a date or a date-time the cursor order compares by instant (discovery names
 * such a field as a cursor candidate: infer.ts); null for anything else.
 */
export function dateKind(text: string): 'date' | 'datetime' | null {
  const parts = dateParts(text);
  if (!parts) return null;
  return parts.withTime ? 'datetime' : 'date';
}

/** A date-time written with separators, as fixed-width text that sorts like the UTC instant; else null. */
function dateKey(text: string): string | null {
  const parts = dateParts(text);
  if (!parts) return null;
  const { at } = parts;
  const date = `${pad(at.getUTCFullYear(), 4)}${pad(at.getUTCMonth() + 1, 2)}${pad(at.getUTCDate(), 2)}`;
  const time = `${pad(at.getUTCHours(), 2)}${pad(at.getUTCMinutes(), 2)}${pad(at.getUTCSeconds(), 2)}`;
  return `${date}${time}${parts.fraction.padEnd(9, '0')}`;
}

/**
 * Two compact dates of different widths (`20261106`, `20261105093000`) by instant; null for any
 * other pair. As numbers, every 14-digit value came after every 8-digit one, and beside a compact
 * value's comparison by instant with a separated one (`2026-11-04 18:00`), three values of a key
 * could each beat the next in a ring: which record a read kept depended on the order it met them.
 * Of one width, numbers and instants agree.
 */
function compactOfTwoWidths(x: string, y: string): number | null {
  const whole = (t: string) => t.split('.')[0]?.length;
  if (whole(x) === whole(y) || !COMPACT.test(x) || !COMPACT.test(y)) return null;
  const dx = dateKey(x);
  const dy = dateKey(y);
  if (dx === null || dy === null) return null;
  return dx < dy ? -1 : dx > dy ? 1 : 0;
}

function sign(n: number | bigint): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * Two decimals by value, exactly: as doubles, update times written as numbers past 15-16 digits
 * (`20240301080005.1201`, `.1202`) were one value, and the file name chose the latest record.
 */
function compareDecimals(a: string, b: string): number {
  const scale = Math.max(fractionOf(a).length, fractionOf(b).length);
  const scaled = (t: string) => {
    const [whole = '', fraction = ''] = t.split('.');
    return BigInt(`${whole}${fraction.padEnd(scale, '0')}`);
  };
  return sign(scaled(a) - scaled(b));
}

function fractionOf(t: string): string {
  const dot = t.indexOf('.');
  return dot === -1 ? '' : t.slice(dot + 1);
}

/**
 * Orders two cursor values: null first (as databases sort NULL cursors first), integers and
 * decimals by value, date-times by instant (`2026/11/5 9:05` before `2026-11-05 10:00`), anything
 * else in code-unit order.
 */
export function compareCursorValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const x = a.trim();
  const y = b.trim();
  const numbers = (DIGITS.test(x) || DECIMAL.test(x)) && (DIGITS.test(y) || DECIMAL.test(y));
  if (numbers) {
    const widths = compactOfTwoWidths(x, y);
    if (widths !== null) return widths;
  }
  if (DIGITS.test(x) && DIGITS.test(y)) return sign(BigInt(x) - BigInt(y));
  if (numbers) return compareDecimals(x, y);
  const dx = dateKey(x);
  const dy = dateKey(y);
  if (dx !== null && dy !== null) return dx < dy ? -1 : dx > dy ? 1 : 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

const RUNS = /\d+|\D+/g;

/**
 * File-name order: runs of digits by value, the rest in code-unit order, so `SPXK_9.xml` comes
 * before `SPXK_10.xml` — export tools number files without padding (`_9`, `_10`; `2024-3-9`,
 * `2024-3-10`), and in plain code-unit order the older export sorted last and, on equal cursors,
 * superseded the newer one. Names equal by that (`_09`, `_9`) fall back to code-unit order, so
 * the order is total and the same on every machine. Padded names keep their order.
 */
export function compareFileNames(a: string, b: string): number {
  if (a === b) return 0;
  const x = a.match(RUNS) ?? [];
  const y = b.match(RUNS) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i] as string;
    const q = y[i] as string;
    if (p === q) continue;
    if (isDigit(p) && isDigit(q)) {
      const m = p.replace(/^0+/, '');
      const n = q.replace(/^0+/, '');
      if (m.length !== n.length) return m.length < n.length ? -1 : 1;
      if (m !== n) return m < n ? -1 : 1;
      continue;
    }
    // Text runs: as code units, the character after the shorter run being its name's next one
    // (a digit, or nothing), so names whose digit runs are equal keep code-unit order.
    if (q.startsWith(p)) return lessAfter(x[i + 1], q.charCodeAt(p.length));
    if (p.startsWith(q)) return -lessAfter(y[i + 1], p.charCodeAt(q.length));
    return p < q ? -1 : 1;
  }
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return a < b ? -1 : 1;
}

/** -1 when the run that follows (or the name's end) sorts before `code`, else 1. */
function lessAfter(next: string | undefined, code: number): number {
  return next === undefined || next.charCodeAt(0) < code ? -1 : 1;
}

function isDigit(run: string): boolean {
  const c = run.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/**
 * Record indexes order records of one content of a file only. A file rewritten under its name
 * (the day's export written again) may hold a key's record at a lower index than the content the
 * ledger read it from, and that record is no older for it: the rewritten content is the newer. So
 * records of one file name with different SHA-256s tie, and the ledger compares their content.
 */
export function compareRecordOrders(a: RecordOrder, b: RecordOrder): number {
  const c = compareCursorValues(a.cursor, b.cursor) || compareFileNames(a.file, b.file);
  if (c !== 0) return c;
  // An order stored before the SHA-256 was kept says nothing of which content its index points
  // into: against one that does, indexes tie too. By index, a licence read from the file before
  // the upgrade counted the rewritten file's changed record at a lower index superseded on every
  // run, and the change never became a version. Of one content, the latest record of a key is
  // the one read, so its index is the stored one and nothing is lost by the tie.
  if (a.sha256 !== b.sha256) return 0;
  return a.index - b.index;
}

/** The text stored with a license (`Page.orders`): JSON `[cursor, file, index, sha256]`. */
export function encodeRecordOrder(o: RecordOrder): string {
  return JSON.stringify(
    o.sha256 === undefined ? [o.cursor, o.file, o.index] : [o.cursor, o.file, o.index, o.sha256],
  );
}

export function decodeRecordOrder(text: string): RecordOrder | null {
  try {
    const v: unknown = JSON.parse(text);
    // Three elements: an order stored before the file's SHA-256 was kept.
    if (!Array.isArray(v) || (v.length !== 3 && v.length !== 4)) return null;
    const [cursor, file, index, sha256] = v as unknown[];
    if (
      (cursor !== null && typeof cursor !== 'string') ||
      typeof file !== 'string' ||
      typeof index !== 'number' ||
      (v.length === 4 && typeof sha256 !== 'string')
    ) {
      return null;
    }
    return typeof sha256 === 'string' ? { cursor, file, index, sha256 } : { cursor, file, index };
  } catch {
    return null;
  }
}

/**
 * Compares two stored orders; text that is not an order of this connector (written by another
 * source kind, or before orders were kept) compares equal, so it never makes a record stale.
 */
export function compareEncodedOrders(a: string, b: string): number {
  const x = decodeRecordOrder(a);
  const y = decodeRecordOrder(b);
  return x && y ? compareRecordOrders(x, y) : 0;
}
