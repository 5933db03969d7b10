/**
 * A record of an export file as a `SourceRow`: its key (or a stand-in a quarantined row can be
 * found by), its values with every element the config names present, and its cursor value.
 */
import { CODE_KEY_MISSING } from '../../core/key-missing.js';
import type { RowRepair } from '../repair/repair.js';
import type { RowProblem, SourceRow, StreamSpec } from '../source.js';
import { CODE_FIELD_CLASH } from './flatten.js';
import type { XmlRecord } from './records.js';

export const CODE_FIELD_REPEATED = 'LB_SOURCE_FIELD_REPEATED';

/**
 * The problem of a key or cursor element a record holds more than once: `<ID>` twice, or `<ID>`
 * and `<ext:ID>`, which a record path without prefixes reads by one local name. Read as the JSON
 * list of their texts, the record became a license keyed `["1","X-9"]`, or its update time
 * compared as that text. Names only, never a value.
 */
function repeatedProblem(role: 'key' | 'cursor', field: string, file: string, index: number): RowProblem {
  const what = role === 'key' ? 'key' : 'update time (cursor)';
  return {
    column: field,
    code: CODE_FIELD_REPEATED,
    message: `xml-files: field repeated: record ${index} in file ${file} holds the ${role} field \`${field}\` in more than one element (repeated, or in two namespaces read by one local name): a record has one ${what}, and which to take cannot be told; have the export tool write it once`,
  };
}

/** Key order as a database gives it for integer keys (2 < 10), text order otherwise. */
export function compareKeys(a: string, b: string): number {
  const ai = /^-?\d+$/.test(a);
  const bi = /^-?\d+$/.test(b);
  if (ai && bi) {
    const d = BigInt(a) - BigInt(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  if (ai !== bi) return ai ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Null for each element the config names (cursor, `fields`, `lists`): a record without it reads
 * it as null, as `<E/>` is read, instead of lacking the column the mapping reads from it.
 */
export function blankRow(
  stream: StreamSpec,
  fields: readonly string[] | undefined,
  lists: readonly string[] = [],
): Record<string, null> {
  const names = [...(fields ?? []), ...lists];
  if (stream.cursor !== undefined) names.push(stream.cursor);
  return Object.fromEntries(names.map((n) => [n, null]));
}

/**
 * The key of a record's row: its key element's text, or a stand-in (`file#index`) a quarantined
 * row can be found by where it lacks one or holds it more than once (toRow tells which).
 */
export function recordKey(stream: StreamSpec, file: string, r: XmlRecord): string {
  const key = r.repeated?.includes(stream.key) === true ? null : (r.values[stream.key] ?? null);
  return key ?? `${file}#${r.index}`;
}

/** A record's cursor value: null without a cursor, or where it holds the cursor element more than once. */
export function recordCursor(stream: StreamSpec, r: XmlRecord): string | null {
  if (stream.cursor === undefined || r.repeated?.includes(stream.cursor) === true) return null;
  return r.values[stream.cursor] ?? null;
}

/**
 * `repair`: the source's `zeroDates` and `maxValueBytes` (../repair/repair.ts), applied to the row's
 * values as read; the key and cursor are taken before it, so a repair never moves a record.
 */
export function toRow(
  stream: StreamSpec,
  file: string,
  r: XmlRecord,
  blank: Record<string, null> = {},
  repair?: RowRepair,
): { row: SourceRow; cursor: string | null } {
  const repeatedKey = r.repeated?.includes(stream.key) === true;
  const repeatedCursor = stream.cursor !== undefined && r.repeated?.includes(stream.cursor) === true;
  // A key or cursor in two namespaces (`<ID>`, `<ext:ID>`) is told as repeated, not as the clash
  // flatten.ts finds for any other field so written: one problem, the one that says what it costs.
  const told = (p: RowProblem) =>
    p.code === CODE_FIELD_CLASH &&
    ((repeatedKey && p.column === stream.key) || (repeatedCursor && p.column === stream.cursor));
  const problems = r.problems.filter((p) => !told(p));
  const key = recordKey(stream, file, r);
  if (repeatedKey || (r.values[stream.key] ?? null) === null) {
    // A stable stand-in (recordKey) so the row can be quarantined under a key an operator can find.
    if (repeatedKey) problems.push(repeatedProblem('key', stream.key, file, r.index));
    else if (!problems.some((p) => p.column === stream.key)) {
      problems.push({
        column: stream.key,
        code: CODE_KEY_MISSING,
        message: `xml-files: key missing: record ${r.index} of ${file} has no \`${stream.key}\``,
      });
    }
  }
  const row: SourceRow = { key, values: { ...blank, ...r.values } };
  if (repair) problems.push(...repair(row.values));
  // Taken as null, as no update time: its record supersedes none of its key's, and is quarantined.
  if (repeatedCursor) problems.push(repeatedProblem('cursor', stream.cursor as string, file, r.index));
  if (problems.length > 0) row.problems = problems;
  return { row, cursor: recordCursor(stream, r) };
}
