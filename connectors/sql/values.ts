/**
 * Normalising driver values into `SourceValue`s, and serialising key/cursor values as checkpoint
 * text. Drivers hand back Buffers, bigints, padded CHAR strings; the rest of licbridge sees one shape.
 */
import type { SourceValue } from '../source.js';

/** Which columns lose their trailing CHAR padding. */
export type TrimPolicy = 'all' | 'none' | readonly string[];

/** Returns a predicate telling whether a column's strings are trimmed (names compared case-insensitively). */
export function trimmer(policy: TrimPolicy): (column: string) => boolean {
  if (policy === 'all') return () => true;
  if (policy === 'none') return () => false;
  const wanted = new Set(policy.map((c) => c.toUpperCase()));
  return (column) => wanted.has(column.toUpperCase());
}

/**
 * `text` without the spaces at its end. Only U+0020: CHAR(n) pads with ASCII spaces. A full-width
 * space (U+3000) or a tab at the end is data the legacy system stored on purpose, and trimming it
 * would change the content hash. Found by walking in from the end: `/ +$/` is tried at every
 * position of a run of spaces in the middle of the text and scans each time to the run's end —
 * time quadratic in the run, ~10 s for `a`, 80,000 spaces, `b`, a memo column's value that stalled
 * the read of its page with no statement timeout to end it.
 */
export function withoutTrailingSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Normalises one driver value; `trim` says whether this column's CHAR padding goes. */
export function normaliseValue(value: unknown, trim: boolean): SourceValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return trim ? withoutTrailingSpaces(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') {
    // Drivers in safe-integer mode hand every INTEGER over as bigint; past 2^53 a JS number would
    // silently round (an 18-digit license serial becomes a different serial), so those stay text.
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  // The driver's own Date, never a copy: a zoned instant's mark (core/local-date.ts) is on that object.
  if (value instanceof Date) return value;
  if (value instanceof Uint8Array) {
    // A copy, not a view: Buffers from a driver may share a pooled ArrayBuffer with other rows.
    return new Uint8Array(value);
  }
  // Arrays, JSON columns and other driver objects: keep them as stable text. A text list's elements
  // are trimmed as the lone value is: PostgreSQL pads a char(5)[]'s elements as it does a char(5),
  // and `{ab}` went out as `["ab   "]` under `trim: all` beside a lone `ab`. Only lists a dialect
  // marked (textList): a JSON column's parsed list is a document, whose spaces are its data.
  const shaped = trim && Array.isArray(value) && textLists.has(value) ? trimmedElements(value) : value;
  return JSON.stringify(shaped, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const textLists = new WeakSet<object>();

/**
 * Marks `list` as a text array column's value (char(n)[], varchar[], text[]), whose elements
 * `trim` trims as it does a lone text value; returns it.
 */
export function textList(list: unknown): unknown {
  if (Array.isArray(list)) textLists.add(list);
  return list;
}

/** A list with its text elements' CHAR padding removed, nested lists (dimensions) too. */
function trimmedElements(list: readonly unknown[]): unknown[] {
  return list.map((v) =>
    typeof v === 'string' ? withoutTrailingSpaces(v) : Array.isArray(v) ? trimmedElements(v) : v,
  );
}

/** Normalises a whole driver row, keeping the table's column names. */
export function normaliseRow(
  raw: Record<string, unknown>,
  columns: readonly string[],
  trims: (column: string) => boolean,
): Record<string, SourceValue> {
  const values: Record<string, SourceValue> = {};
  for (const column of columns) values[column] = normaliseValue(raw[column], trims(column));
  return values;
}

/**
 * Serialises a key or cursor value for a checkpoint at full precision. Never goes through a JS
 * Date: a Date keeps milliseconds, so a microsecond cursor would re-read or skip rows (STANDARDS §6).
 */
export function toCheckpointText(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  // String(number) is the shortest text that reads back as the same double.
  if (typeof value === 'number') return String(value);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (value instanceof Date) {
    throw new TypeError(`${what}: the driver returned a Date; the dialect must select it as text`);
  }
  throw new TypeError(`${what}: cannot serialise a ${value === null ? 'null' : typeof value} value`);
}

const BYTES_CHECKPOINT = /^\\x((?:[0-9a-f]{2})*)$/i;

/** The hex digits of bytes' checkpoint text (`\x0a1b`, as `toCheckpointText` writes them); undefined for other text. */
export function checkpointHex(text: string): string | undefined {
  return BYTES_CHECKPOINT.exec(text)?.[1];
}

/**
 * Whether a normalised key value holds no key: NULL, or empty text (after trimming, when the key
 * column is trimmed). Such a row cannot be told apart from another keyless row by its key.
 */
export function missingKey(value: SourceValue): boolean {
  return value === null || value === '';
}

/** The row key as the pipelines see it: the normalised key value as text. */
export function rowKeyText(value: SourceValue): string {
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

const SAFE_INTEGER_TEXT = /^-?\d{1,15}$/;
const INTEGER_TEXT = /^-?\d+$/;
const BARE_FRACTION = /^(-?)(\.\d+)$/;

/**
 * Exact numeric text from a driver (PostgreSQL NUMERIC, MySQL DECIMAL/BIGINT, Oracle NUMBER,
 * SQL Server BIGINT): integers that fit in 2^53 become numbers; larger integers and decimals stay
 * text, because a double would round an 18-digit serial or a money amount.
 */
export function numericText(text: string): number | string {
  if (SAFE_INTEGER_TEXT.test(text)) return Number(text);
  if (INTEGER_TEXT.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  // Oracle's number-to-text, which node-oracledb follows in thin and thick mode, writes no zero
  // before the point (`.5`, `-.25`): no decimal to the mappings' `number`, which quarantined the
  // row, nor to a platform. The same digits with it.
  const bare = BARE_FRACTION.exec(text);
  if (bare) return `${bare[1]}0${bare[2]}`;
  return text;
}

/** A wall-clock date/time as a Date whose UTC fields are the stored fields (the mappings' convention). */
export function wallClockUtc(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): Date {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  d.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999; legacy data has year 0001.
  return d;
}

const DATE_TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?$/;

/** Parses `YYYY-MM-DD[ HH:MM:SS[.f…]]` as a wall-clock Date; null for zero or impossible dates. */
export function parseWallClock(text: string): Date | null {
  const m = DATE_TIME_TEXT.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, f] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(y) === 0) return null;
  const ms = f ? Number(f.slice(0, 3).padEnd(3, '0')) : 0;
  const date = wallClockUtc(Number(y), month, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms);
  // MySQL under ALLOW_INVALID_DATES stores 2024-02-30 and 2024-04-31; a Date would roll them into
  // the next month, a real day the source never held. Not a date: the caller keeps the text.
  return date.getUTCDate() === day ? date : null;
}
