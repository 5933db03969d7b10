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

// Only U+0020: CHAR(n) pads with ASCII spaces. A full-width space (U+3000) or a tab at the end is
// data the legacy system stored on purpose, and trimming it would change the content hash.
const TRAILING_SPACES = / +$/;

/** Normalises one driver value; `trim` says whether this column's CHAR padding goes. */
export function normaliseValue(value: unknown, trim: boolean): SourceValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return trim ? value.replace(TRAILING_SPACES, '') : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') {
    // Drivers in safe-integer mode hand every INTEGER over as bigint; past 2^53 a JS number would
    // silently round (an 18-digit license serial becomes a different serial), so those stay text.
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value;
  if (value instanceof Uint8Array) {
    // A copy, not a view: Buffers from a driver may share a pooled ArrayBuffer with other rows.
    return new Uint8Array(value);
  }
  // Arrays, JSON columns and other driver objects: keep them as stable text.
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
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

/** The row key as the pipelines see it: the normalised key value as text. */
export function rowKeyText(value: SourceValue): string {
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
