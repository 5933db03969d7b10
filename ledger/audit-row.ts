/**
 * An audit entry as read from its row. SQLite keeps any value in any column: someone with write
 * access to the file can leave a time that is no time (`yesterday`), a version that is no integer
 * or bytes in a text column, none of which a licbridge writer ever writes. Such an entry is read
 * all the same, the value shown as its text, and the columns that hold them are named in
 * `malformed`, so `audit verify` reports the entry as altered by its `seq` (audit.ts `linkProblem`)
 * rather than failing the whole read with a parse error that names no entry.
 */
import type { AuditEntry } from './audit-types.js';
import { toInt } from './db.js';

export interface AuditRow {
  seq: unknown;
  at: unknown;
  actor: unknown;
  action: unknown;
  license_id: unknown;
  version: unknown;
  digest: unknown;
  detail: unknown;
  prev_hash: unknown;
  hash: unknown;
}

/** A stored value as text, for an entry whose column holds what no writer writes. */
function asText(value: unknown): string {
  return value instanceof Uint8Array ? Buffer.from(value).toString('hex') : String(value);
}

/** The entry of a row; a column holding a value no licbridge writer writes is named in `malformed`. */
export function toEntry(r: AuditRow): AuditEntry {
  const bad: string[] = [];
  const text = (column: string, value: unknown, nullable = false): string | null => {
    if (typeof value === 'string' || (nullable && (value === null || value === undefined))) {
      return (value as string | null | undefined) ?? null;
    }
    bad.push(column);
    return asText(value);
  };
  // The instant the writer hashed, as ISO text with milliseconds: a Date on PostgreSQL, text on SQLite.
  // Text only as the writer stores it, and no number (SQLite keeps '1' in this column as one): Date
  // reads 1 as 1970, '1' as 2001-01-01 and '2026-12-03' as its midnight, so such an entry was read,
  // and shown, as of a time no entry recorded.
  const parsed = typeof r.at === 'string' ? new Date(r.at) : new Date(Number.NaN);
  const time =
    r.at instanceof Date
      ? r.at
      : !Number.isNaN(parsed.getTime()) && parsed.toISOString() === r.at
        ? parsed
        : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) bad.push('at');
  let version: number | null = null;
  if (r.version !== null && r.version !== undefined) {
    // Decimal digits only: Number() reads '' and '  ' as 0 and '0x10' as 16, so a version SQLite
    // kept as text (it converts a well-formed integer to one) read as a version no entry recorded.
    const n =
      typeof r.version === 'number'
        ? r.version
        : typeof r.version === 'string' && /^-?\d+$/.test(r.version)
          ? Number(r.version)
          : Number.NaN;
    if (Number.isSafeInteger(n)) version = n;
    else bad.push('version');
  }
  const entry: AuditEntry = {
    // The primary key: an integer on both backends (SQLite refuses anything else in it).
    seq: toInt(r.seq),
    at: Number.isNaN(time.getTime()) ? asText(r.at) : time.toISOString(),
    actor: text('actor', r.actor) as string,
    action: text('action', r.action) as string,
    licenseId: text('license_id', r.license_id, true),
    version,
    digest: text('digest', r.digest, true),
    detail: text('detail', r.detail) as string,
    prevHash: text('prev_hash', r.prev_hash) as string,
    hash: text('hash', r.hash) as string,
  };
  return bad.length === 0 ? entry : { ...entry, malformed: bad };
}
