/**
 * The elements a config names — the stream's key and cursor, the source's `fields` — that no
 * record of an export file carries. Two causes look alike there and need opposite answers:
 * - the export tool renamed the element (`<UpdTime>` became `<UpdateTime>`) or the config
 *   misspells it: read as null, every license of the file would go out without the value, or
 *   without a cursor, and nobody would be told. The file then carries a close match of the name
 *   (closeElement), and it is refused, naming both;
 * - the tool leaves empty elements out (JAXB's default), and no record of this file had a value:
 *   the file carries nothing like the name. Refusing it held back every file after it for good, so
 *   the element is read as null and the file is read, with one warning per file.
 * The key is required either way: a record without its key cannot be stored.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { StreamSpec } from '../source.js';
import { suggestion } from '../sql/close-matches.js';
import type { StrayRecords } from './record-path.js';

interface CarriedCheck {
  source: string;
  recordPath: string;
  file: string;
  /** Records in the file. */
  records: number;
  /** Field names carried by at least one record of the file. */
  fields: readonly string[];
  stream: StreamSpec;
  /** The source's `fields`, if configured. */
  expected?: readonly string[] | undefined;
  /** In a file without records, elements that may be its records, moved (record-path.ts). */
  strays?: readonly StrayRecords[] | undefined;
}

/** A named element no record of the file carries, read as null there. */
export interface AbsentElement {
  role: 'cursor' | 'declared';
  field: string;
}

/**
 * Edit distance with a swap of two neighbours counted as one edit (optimal string alignment),
 * case-insensitive: `GXJS` for `GXSJ` is one slip of the fingers, not two.
 */
function slipDistance(a: string, b: string): number {
  const s = a.toUpperCase();
  const t = b.toUpperCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    const row = d[i] as number[];
    const up = d[i - 1] as number[];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[s.length] as number[])[t.length] as number;
}

/**
 * Whether `name` is a close match of `wanted`, as a renamed or misspelt element is:
 * - the same name in another case (`updtime`);
 * - within an edit distance that grows with the length: 1 from 3 characters, 2 from 6 (`GXSJ` →
 *   `GXJS`, `UpdTime` → `UpdTim`); two-letter pinyin codes (`ZT`, `MC`) differ in one letter from
 *   unrelated fields, so they match only by case;
 * - the same name with a part added or left out at its start, middle or end (`UpdTime` →
 *   `UpdateTime`, `GXSJ` → `T_GXSJ`, `GXSJ_NEW`), the shorter keeping at least 3 characters.
 */
export function closeElement(wanted: string, name: string): boolean {
  const w = wanted.toUpperCase();
  const n = name.toUpperCase();
  if (w === n) return true;
  const length = Math.min(w.length, n.length);
  const allowed = length >= 6 ? 2 : length >= 3 ? 1 : 0;
  if (allowed > 0 && slipDistance(w, n) <= allowed) return true;
  const [short, long] = w.length < n.length ? [w, n] : [n, w];
  if (short.length < 3) return false;
  let prefix = 0;
  while (prefix < short.length && short[prefix] === long[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < short.length - prefix &&
    short[short.length - 1 - suffix] === long[long.length - 1 - suffix]
  )
    suffix++;
  return prefix + suffix === short.length;
}

/**
 * Checks the named elements against one file. Throws `LB_SOURCE_SCHEMA` when the key is carried by
 * no record, or when a cursor or declared element is carried by none while the file carries a close
 * match of it; returns the other cursor and declared elements no record carries, to be read as null.
 */
export function checkCarried(check: CarriedCheck): AbsentElement[] {
  if (check.records === 0) {
    checkStrays(check);
    return [];
  }
  const carried = new Set(check.fields);
  const named: [AbsentElement['role'] | 'key', string][] = [['key', check.stream.key]];
  if (check.stream.cursor !== undefined) named.push(['cursor', check.stream.cursor]);
  for (const field of check.expected ?? []) named.push(['declared', field]);
  const missing = named.filter(
    ([, field], i) => !carried.has(field) && named.findIndex(([, f]) => f === field) === i,
  );
  const close = (field: string) => check.fields.filter((f) => closeElement(field, f));
  const refused = missing.filter(([role, field]) => role === 'key' || close(field).length > 0);
  if (refused.length > 0) throw refusal(check, refused, close);
  return missing.map(([role, field]) => ({ role: role as AbsentElement['role'], field }));
}

function refusal(
  check: CarriedCheck,
  refused: readonly [string, string][],
  close: (field: string) => string[],
): LicbridgeError {
  const what = refused
    .map(([role, field]) => {
      const near = close(field);
      const hint =
        near.length > 0
          ? `did you mean ${near.map((c) => `\`${c}\``).join(' or ')}?`
          : suggestion(field, check.fields, 'fields');
      return `${role} field \`${field}\` (${hint})`;
    })
    .join(', ');
  const records = check.records === 1 ? 'the one record' : `any of the ${check.records} records`;
  const keyOnly = refused.every(([role]) => role === 'key');
  const why = keyOnly
    ? 'a record without its key cannot be stored'
    : 'the file carries a close match, so the export renamed the element or the config misspells it';
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `xml-files ${check.source}: field missing: file ${check.file}: ${what} not found in ${records} at \`${check.recordPath}\` — ${why}; the file is not read, nor the files after it, until the export or the config is fixed`,
    { context: { source: check.source, file: check.file } },
  );
}

/**
 * A file with the record path's root and no record at the path, holding elements that carry the
 * stream's key elsewhere, is refused: the export tool's next release renamed or moved its records
 * (`<Row>` for `<Record>`, one more level), and read as an empty export the file was recorded as
 * read and its records lost without a word. Elements that carry fields but not the key (a header,
 * a count) are an empty export's.
 */
function checkStrays(check: CarriedCheck): void {
  const key = check.stream.key;
  const stray = check.strays?.find((s) => s.fields.includes(key));
  if (!stray) return;
  throw new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `xml-files ${check.source}: parse failed: file ${check.file}: the file holds no record at \`${check.recordPath}\`, but ${stray.where} carrying the key field \`${key}\`: the export tool renamed or moved its records (read as an empty export, they would be lost); check \`recordPath\`, or narrow \`pattern\` to the export files`,
    { context: { source: check.source, file: check.file } },
  );
}
