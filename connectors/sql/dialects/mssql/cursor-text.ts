/**
 * A SQL Server cursor whose text SQL Server prints short, as exact checkpoint text. The cursor's
 * text is selected in CONVERT style 121, a date's with every fractional digit (dialect.ts
 * `cursorAsText`), which SQL Server applies to no number:
 * - MONEY and SMALLMONEY take styles 0, 1, 2 and 126 and any other as 0, two decimals. A table
 *   stream knows the type and selects style 2; a query stream declares none, and a page ending at
 *   12345678.9956 resumed after 12345679.00: the rows tied at its end, or up to that amount, were
 *   never read.
 * - FLOAT and REAL take any style but 0, 1, 2, 3, 126, 128 and 129 as 0: at most six digits,
 *   1234567.891 as 1.23457e+006, in table and query streams alike. The rows tied at a page's end,
 *   and those up to the printed value, were never read; where it printed lower, rows were read
 *   again. Style 3 (17 digits) would be exact, but only from SQL Server 2016: older servers take it
 *   as 0 too, and style 2 prints 16 digits, one short of telling every double apart.
 * tedious sends the cursor column's own metadata and value beside the text, so where that column is
 * one of these types the text is the value tedious read instead, as `String(n)`: the shortest text
 * that reads back as the same double. A FLOAT is a double, read exactly. A REAL is a float32 that
 * tedious widens to the double of the same value, whose text SQL Server reads back (to a float, then
 * to the REAL compared, or to the REAL directly) as that very REAL. A MONEY value a number cannot
 * hold fails the read before (wide-decimal.ts); SMALLMONEY always is exact.
 *
 * A string cursor is text already, and CONVERT to `varchar(40)` kept only its first 40 bytes and
 * wrote `?` for each character of an nvarchar value its collation's code page lacks: the saved
 * checkpoint named no row, so the rows after it were read again without end or passed over. A
 * table stream's char, varchar, text, nchar, nvarchar or ntext cursor is selected as nvarchar of
 * its own length (`stringCursorText`), which holds every value of the column whole: SQL Server
 * converts a code page's text to Unicode without loss. A query stream's cursor has no declared
 * type, so its text is `nvarchar(max)`: style 121 prints a date as before, a string whole.
 */
import { CURSOR_TEXT_ALIAS } from '../../keyset.js';
import { singleValue } from '../../single-float.js';
import { MONEY_TYPE, type TediousCell } from './wide-decimal.js';

/** A date or number cursor of a table stream as text: every such type prints in 40 characters. */
export const TYPED_CURSOR_TEXT = 'CONVERT(varchar(40), ??, 121)';
/** A query stream's cursor as text, whose type is not declared and may be a string of any length. */
export const UNTYPED_CURSOR_TEXT = 'CONVERT(nvarchar(max), ??, 121)';

// char(n)/varchar(n)/nchar(n)/nvarchar(n), their (max) forms, text and ntext; sysname is nvarchar(128).
const STRING_TYPE = /^n?(char|varchar)\s*\(\s*(\d+|max)\s*\)$|^n?text$|^sysname$/i;
// nvarchar(n) holds n UTF-16 units; a varchar(n) value of n bytes has no more characters than that.
const NVARCHAR_LIMIT = 4000;

/**
 * The text of a string cursor: its value as nvarchar, long enough for every value of the column;
 * null for a type that is not a string.
 */
export function stringCursorText(type: string): string | null {
  const m = STRING_TYPE.exec(type.trim());
  if (!m) return null;
  const stated = /^sysname$/i.test(type.trim()) ? '128' : m[2];
  const length =
    stated === undefined || stated.toLowerCase() === 'max' ? Number.POSITIVE_INFINITY : Number(stated);
  return `CONVERT(nvarchar(${length <= NVARCHAR_LIMIT ? length : 'max'}), ??)`;
}

// binary(n)/varbinary(n) and varbinary(max), as the catalog statement writes them; bare, one byte.
const BINARY_TYPE = /^(?:var)?binary(?:\s*\(\s*(\d+|max)\s*\))?$/i;
// `0x` and two hex digits a byte: a rowversion's 8 bytes, and up to 16, print in 34 characters.
const BINARY_TEXT_MIN = 34;
const VARCHAR_LIMIT = 8000;

/**
 * The text of a binary or rowversion cursor, style 1 (`0x` and hex), long enough for every value
 * of the column. `varchar(34)` held 16 bytes: SQL Server cut a `binary(32)` digest's text there
 * without an error, and the checkpoint named no row. A column of up to 16 bytes prints as before.
 */
export function binaryCursorText(type: string): string {
  const stated = BINARY_TYPE.exec(type.trim())?.[1];
  const bytes =
    stated === undefined ? 1 : stated.toLowerCase() === 'max' ? Number.POSITIVE_INFINITY : Number(stated);
  const length = Math.max(BINARY_TEXT_MIN, 2 + 2 * bytes);
  return `CONVERT(varchar(${length <= VARCHAR_LIMIT ? length : 'max'}), ??, 1)`;
}

// tedious' names: FloatN is a nullable FLOAT or REAL column, of 8 or 4 bytes.
const FLOAT_TYPE = /^(Float|FloatN|Real)$/;

// The entry as knex writes it, in either form, the cursor's name in brackets (a `]` in it doubled).
const ENTRY = new RegExp(
  `CONVERT\\((?:varchar\\(40\\)|nvarchar\\(max\\)), \\[((?:[^\\]]|\\]\\])+)\\], 121\\) AS \\[${CURSOR_TEXT_ALIAS}\\]`,
);

/**
 * Sets, in place, the cursor text of tedious rows (arrays of cells) whose cursor is MONEY,
 * SMALLMONEY, FLOAT or REAL to the value read.
 */
export function exactCursorText(sql: unknown, rows: unknown): void {
  if (typeof sql !== 'string' || !Array.isArray(rows)) return;
  const name = ENTRY.exec(sql)?.[1]?.replaceAll(']]', ']').toUpperCase();
  if (!name) return;
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    const cells = row as TediousCell[];
    // SQL Server names columns case-insensitively, and the row names the cursor as the query does.
    const cursor = cells.find((c) => c?.metadata?.colName?.toUpperCase() === name);
    const text = cells.find((c) => c?.metadata?.colName === CURSOR_TEXT_ALIAS);
    const type = cursor?.metadata?.type?.name ?? '';
    if (!text || typeof cursor?.value !== 'number' || !(MONEY_TYPE.test(type) || FLOAT_TYPE.test(type)))
      continue;
    text.value = String(cursor.value);
  }
}

/**
 * Sets, in place, the value of each REAL cell of tedious rows to the REAL as it was written: tedious
 * reads a REAL's four bytes as a float32 and widens it, so 0.1 came as 0.10000000149011612
 * (single-float.ts). tedious names a NOT NULL REAL column `Real`, a nullable one `FloatN` of 4
 * bytes; a FLOAT(53) is 8 bytes, a double read exactly. Run after `exactCursorText`, so a REAL
 * cursor's checkpoint still names the very value read, as it always did.
 */
export function writtenReals(rows: unknown): void {
  if (!Array.isArray(rows)) return;
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    for (const cell of row as TediousCell[]) {
      const type = cell?.metadata?.type?.name;
      const real = type === 'Real' || (type === 'FloatN' && cell.metadata?.dataLength === 4);
      if (real && typeof cell.value === 'number') cell.value = singleValue(cell.value);
    }
  }
}
