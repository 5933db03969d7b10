/**
 * Binding checkpoint text back into a non-Unicode (`char`, `varchar`, `text`) key or cursor column
 * whose collation is not the database's default — a `varchar` key in `Chinese_PRC_CI_AS` (code
 * page 936) in a database whose default is `SQL_Latin1_General_CP1_CI_AS` (code page 1252).
 *
 * tedious sends the text as an nvarchar parameter. In SQL Server's collation precedence rules a
 * parameter is coercible-default: it carries the current database's default collation, not the
 * collation of the column it is compared with. CAST and CONVERT give a string result the collation
 * of their string input, and a `varchar` holds the characters of its collation's code page, so
 * `CAST(@p AS varchar(20))` turned `食字002` into `??002` (each character code page 1252 lacks
 * becomes `?`). Keyset pages then compared keys with that: rows were read again forever, or
 * passed over. A COLLATE clause on the input is an explicit collation, which the CAST keeps:
 * `CAST(@p COLLATE Chinese_PRC_CI_AS AS varchar(20))` converts through the column's own code page,
 * and compares under the column's collation, so the key's index still serves the page.
 * (Microsoft docs: "Collation precedence" on labels; "CAST and CONVERT", Output collation.)
 *
 * Unicode columns need none of this: nothing is converted. The collation comes from the catalog
 * (`sys.columns.collation_name`), yet it is put into SQL text, so only a plain collation name is.
 */
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import type { ColumnMeta } from '../../dialect.js';
import { safeType } from '../common.js';

const NON_UNICODE = /^(char|varchar|text)\b/i;
// Windows and SQL Server collation names: letters, digits and underscores
// (`Chinese_PRC_Stroke_90_CI_AS_KS_WS`, `Latin1_General_100_CI_AS_SC_UTF8`).
const COLLATION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
// safeType takes lengths only; `varchar(max)` keys are bound in their type too.
const MAX_TYPE = /^varchar\s*\(\s*max\s*\)$/i;

/** Thrown where a bind would put a catalog collation into SQL that is not a plain name. */
export class UnsafeCollationError extends Error {
  readonly column: string;
  readonly collation: string;

  constructor(column: string, collation: string) {
    super(`column ${column}: collation not a plain name`);
    this.name = 'UnsafeCollationError';
    this.column = column;
    this.collation = collation;
  }
}

/**
 * The bind of a non-Unicode column with a known collation, `CAST(? COLLATE <collation> AS <type>)`;
 * null for any other column (bound in its type alone). Throws UnsafeCollationError for a collation
 * that is not a plain name.
 */
export function collatedCast(column: ColumnMeta): string | null {
  const { collation } = column;
  if (!collation || !NON_UNICODE.test(column.type)) return null;
  const type = safeType(column.type) ?? (MAX_TYPE.test(column.type) ? 'varchar(max)' : null);
  if (!type) return null;
  if (!COLLATION_NAME.test(collation)) throw new UnsafeCollationError(column.name, collation);
  return `CAST(? COLLATE ${collation} AS ${type})`;
}

/** The refusal as a licbridge error naming the source, the column and the collation as the catalog gave it. */
export function unsafeCollationProblem(error: UnsafeCollationError, source: string): LicbridgeError {
  const { column, collation } = error;
  const shown =
    collation.length <= 128 ? JSON.stringify(collation) : `(a value of ${collation.length} characters)`;
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `source ${source}: column \`${column}\` has the collation ${shown} in the catalog (sys.columns), which is not a collation name (letters, digits and _): its values are not put into SQL`,
    { retryable: false, context: { source, columnName: column }, cause: error },
  );
}
