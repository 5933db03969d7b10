/**
 * Bound values written as literals the session reads as they were bound. knex hands every bound
 * value to mysql2, which writes it into the statement's text (the text protocol has no parameters),
 * escaping a backslash as `\\` and a quote as `\'`. A server whose `sql_mode` holds
 * NO_BACKSLASH_ESCAPES reads a backslash in a literal as itself: a key `A\1` was bound as `A\\1`,
 * another key, and `B'2` ended its literal after the backslash (a syntax error, or text of the
 * key's read as SQL). A checkpoint, a tie read or a look-up of such a key named another, and rows
 * were read again for ever or passed over. A session found in that mode at its setup has its values
 * written by mysql2's own formatter in that mode: quotes doubled, a backslash in a literal either
 * reading takes as one (`REPLACE('A\%1', '\%', LEFT('\%', 1))`).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** mysql2's formatter (sql-escaper), whose fifth argument is the session's reading of literals. */
type Format = (
  sql: string,
  values: unknown,
  stringifyObjects: boolean | undefined,
  timezone: string | undefined,
  sqlMode?: { noBackslashEscapes: boolean },
) => string;

/** The connection as mysql2 calls `queryFormat` on it. */
interface FormattingConnection {
  config?: { stringifyObjects?: boolean };
}

// Connections whose session reads a backslash in a literal as itself.
const literalBackslash = new WeakSet<object>();

let format: Format | undefined;

/** Whether an `@@SESSION.sql_mode` value makes a backslash in a string literal an ordinary character. */
export const readsBackslashAsItself = (sqlMode: unknown): boolean =>
  typeof sqlMode === 'string' && /(^|,)NO_BACKSLASH_ESCAPES(,|$)/i.test(sqlMode);

/** Marks `conn` as a session in NO_BACKSLASH_ESCAPES, read from its own `sql_mode` at setup. */
export function markLiteralMode(conn: object, sqlMode: unknown): void {
  if (readsBackslashAsItself(sqlMode)) literalBackslash.add(conn);
  else literalBackslash.delete(conn);
}

/**
 * mysql2's `queryFormat`: its own formatting, told the session's reading of literals. `this` is the
 * connection the statement is sent on.
 */
export function mysqlQueryFormat(
  this: FormattingConnection,
  sql: string,
  values: unknown,
  timezone?: string,
): string {
  format ??= (require('mysql2') as { format: Format }).format;
  const mode = literalBackslash.has(this) ? { noBackslashEscapes: true } : undefined;
  return format(sql, values, this.config?.stringifyObjects, timezone, mode);
}
