/**
 * One keyset page of a stream (keyset.ts), with the rows of a tie at its end taken in whole
 * (tied-rows.ts), and the position a page's last row leaves the read at.
 */
import type { Knex } from 'knex';
import type { KeyPosition } from '../../core/checkpoint.js';
import { describeValue, ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { SqlDialect } from './dialect.js';
import { rowFingerprint } from './fingerprint.js';
import { cursorTextOf, storedKeyOf } from './key-cursors.js';
import { cursorPage, keyOnlyPage, nullCursorPage, type ResolvedStream } from './keyset.js';
import { MAX_TIE, tiedRows, tieTooLarge, withWholeTie } from './tied-rows.js';

type RawRow = Record<string, unknown>;

const MAX_PAGE = 100_000;

/** A page or chunk size as given: an integer from 1 to 100,000, or USAGE naming `what`. */
export function checkSize(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PAGE) return value;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `Expected \`${what}\` to be an integer from 1 to ${MAX_PAGE}, got ${describeValue(value)}`,
  );
}

/** The keyset position of a row read from a page. */
export function positionOf(dialect: SqlDialect, s: ResolvedStream, last: RawRow): KeyPosition {
  // The checkpoint holds the raw, untrimmed key: it is bound back as a parameter, and a
  // padded CHAR key compared against its trimmed text would re-read the row.
  return { cursor: cursorTextOf(dialect, s, last), key: storedKeyOf(dialect, s, last) };
}

/** A keyset page; a full one with every row level with its last (tied-rows.ts). */
export async function fetchPage(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  after: KeyPosition | null,
  limit: number,
): Promise<RawRow[]> {
  const raw = await fetchKeysetPage(db, dialect, s, after, limit);
  // A unique key has no ties: its index compares as the keyset predicate does.
  if (raw.length < limit || s.key.primaryKey || s.key.unique) return raw;
  // Bounded as a page is: a column holding one value on millions of rows (a status, a type code
  // named as the key) read them all into memory at the first page's end.
  const last = positionOf(dialect, s, raw[raw.length - 1] as RawRow);
  const tied: RawRow[] = await tiedRows(db, dialect, s, last).limit(MAX_TIE + 1);
  if (tied.length > MAX_TIE) throw tieTooLarge(s);
  // A row of the page at the tie's position as stored, whether or not it still is (tied-rows.ts).
  const atLast = (r: RawRow): boolean => {
    const at = positionOf(dialect, s, r);
    return at.cursor === last.cursor && at.key === last.key;
  };
  return withWholeTie(raw, tied, (r) => rowFingerprint('', r, Object.keys(r)), atLast);
}

async function fetchKeysetPage(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  after: KeyPosition | null,
  limit: number,
): Promise<RawRow[]> {
  const cursor = s.cursor;
  if (!cursor) return keyOnlyPage(db, dialect, s, after?.key ?? null, limit);
  const withCursor = { ...s, cursor };
  if (after !== null && after.cursor !== null) {
    return cursorPage(db, dialect, withCursor, { cursor: after.cursor, key: after.key }, limit);
  }
  // A cursor the catalog declares NOT NULL has no NULL phase. MySQL and MariaDB match the zero date
  // of a NOT NULL DATE or DATETIME column with `IS NULL` (for ODBC) as well as `IS NOT NULL`: such
  // rows came in both queries, twice in one page, and a page ending among the second copies resumed
  // before rows it had read.
  if (!cursor.nullable) return cursorPage(db, dialect, withCursor, null, limit);
  // Still in (or before) the NULL-cursor phase: finish it, then fill the page from the start
  // of the non-NULL rows so pages stay full across the phase change.
  const rows: RawRow[] = await nullCursorPage(db, dialect, withCursor, after?.key ?? null, limit);
  if (rows.length < limit)
    rows.push(...(await cursorPage(db, dialect, withCursor, null, limit - rows.length)));
  return rows;
}
