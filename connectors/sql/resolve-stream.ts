/**
 * Checks a stream against the database's catalog before the first read: a misspelt table or
 * column fails at once with SOURCE_SCHEMA and close matches, instead of as a driver error deep
 * in a nightly run.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { StreamSpec } from '../source.js';
import { suggestion } from './close-matches.js';
import { dateKeyProblem } from './date-keys.js';
import type { ColumnMeta, SqlDialect, TableRef } from './dialect.js';
import type { ResolvedStream } from './keyset.js';
import { assertSingleSelect } from './select-only.js';
import type { SqlKind } from './sql-lexer.js';
import { timeOfDayCursorProblem } from './time-of-day-cursor.js';

/** `dbo.T_SPXK_XKZ` → schema `dbo`, name `T_SPXK_XKZ`; a bare name has no schema. */
export function parseTableRef(table: string): TableRef {
  const dot = table.lastIndexOf('.');
  if (dot <= 0) return { name: table };
  return { schema: table.slice(0, dot), name: table.slice(dot + 1) };
}

/**
 * A configured name for a message. A value that cannot be a name — multi-line or very long, like
 * a key file put where a table name belongs — is described, never echoed (core/scrub.ts catches
 * the rest).
 */
export function shownName(name: string): string {
  const plain = name.length <= 128 && ![...name].some((c) => c < ' ');
  return plain ? name : `(a value of ${name.length} characters that is not a name)`;
}

function sameName(dialect: SqlDialect, a: string, b: string): boolean {
  return dialect.caseInsensitiveIdentifiers ? a.toUpperCase() === b.toUpperCase() : a === b;
}

function schemaError(source: string, message: string, context: Record<string, string>): LicbridgeError {
  return new LicbridgeError(ErrorCodes.SOURCE_SCHEMA, `source ${source}: ${message}`, {
    retryable: false,
    context: { source, ...context },
  });
}

/** Columns of `table`, or SOURCE_SCHEMA naming the missing table and the closest existing ones. */
export async function describeOrFail(
  db: Knex,
  dialect: SqlDialect,
  source: string,
  table: string,
): Promise<{ ref: TableRef; columns: ColumnMeta[] }> {
  const ref = parseTableRef(table);
  const columns = await dialect.describeTable(db, ref);
  const tables =
    columns.length > 0 && !dialect.caseInsensitiveIdentifiers ? [] : await dialect.listTables(db, ref.schema);
  if (columns.length > 0) {
    // Case-insensitive catalogs (Oracle's upper-case names, SQL Server, SQLite) found the table
    // under another spelling: quote it as the catalog spells it, or Oracle would not find it.
    const actual = tables.find((t) => t === ref.name) ?? tables.find((t) => sameName(dialect, t, ref.name));
    return { ref: actual ? { ...ref, name: actual } : ref, columns };
  }
  const where = ref.schema ? ` in schema \`${shownName(ref.schema)}\`` : '';
  throw schemaError(
    source,
    `table \`${shownName(table)}\` not found${where}: ${suggestion(ref.name, tables, 'tables')}`,
    { table: shownName(table) },
  );
}

/** Resolves the stream's key and cursor to the table's actual columns (and their declared types). */
export async function resolveStream(
  db: Knex,
  dialect: SqlDialect,
  source: string,
  stream: StreamSpec,
  lagDefault = 0,
): Promise<ResolvedStream> {
  const { ref, columns } = await describeOrFail(db, dialect, source, stream.table);
  const names = columns.map((c) => c.name);
  const find = (wanted: string, role: string): ColumnMeta => {
    const found = columns.find((c) => sameName(dialect, c.name, wanted));
    if (found) return found;
    throw schemaError(
      source,
      `${role} column \`${shownName(wanted)}\` not found in table \`${shownName(stream.table)}\`: ${suggestion(wanted, names, 'columns')}`,
      { table: shownName(stream.table), column: shownName(wanted) },
    );
  };
  const key = find(stream.key, 'key');
  const keyText = dialect.keyAsText?.(db, key) ?? undefined;
  if (!keyText && dialect.dateKeyTypes?.test(key.type))
    throw dateKeyProblem(source, dialect.kind, stream.table, key.name, key.type);
  const cursor = stream.cursor === undefined ? undefined : find(stream.cursor, 'cursor');
  const timeOfDay = cursor && timeOfDayCursorProblem(source, dialect.kind, stream.table, cursor);
  if (timeOfDay) throw timeOfDay;
  const table = ref.schema ? `${ref.schema}.${ref.name}` : ref.name;
  const lag = cursor && cursorLag(db, dialect, cursor);
  const lagMs = checkLag(source, stream, cursor, lagDefault, dialect.lagBound !== undefined, lag);
  return {
    table,
    source,
    columns,
    key,
    ...(keyText ? { keyText } : {}),
    ...(cursor ? { cursor } : {}),
    ...(lagMs ? { lagMs } : {}),
  };
}

/** A column known only by name (query streams): typed by the database at comparison time. */
const untyped = (name: string): ColumnMeta => ({
  name,
  type: '',
  nullable: true,
  primaryKey: false,
  unique: false,
  leadsIndex: null,
});

/**
 * A query stream: the query is checked to be one SELECT before anything runs; its key and cursor
 * are checked against the first row it returns (see SqlSource), as a subquery has no catalog entry.
 * `lagBounded`: the database has a lag bound (its dialect's `lagBound`), without which lagMs is refused.
 */
export function resolveQueryStream(
  source: string,
  stream: StreamSpec,
  lagDefault: number,
  kind: SqlKind,
  lagBounded: boolean,
): ResolvedStream {
  const sql = assertSingleSelect(source, stream.query ?? '', kind);
  const cursor = stream.cursor === undefined ? undefined : untyped(stream.cursor);
  const lagMs = checkLag(source, stream, cursor, lagDefault, lagBounded);
  return {
    table: stream.table,
    source,
    columns: [],
    key: untyped(stream.key),
    ...(cursor ? { cursor } : {}),
    query: { sql, params: stream.params ?? [] },
    ...(lagMs ? { lagMs } : {}),
  };
}

/** Why SQLite takes no lag window, as a run and `config check` say it. */
export const SQLITE_HAS_NO_LAG_BOUND =
  'no database clock to hold recent rows back by (its dates are text as the application wrote them)';

/**
 * Refuses a lag window where none applies: on a database without a lag bound (SQLite: its file has
 * no server clock, and its dates are text as the application wrote them), where it was read as
 * with 0 and the setting ignored; or on a typed cursor that does not take one (`cursorLag`).
 * The window's length.
 */
function checkLag(
  source: string,
  stream: StreamSpec,
  cursor: ColumnMeta | undefined,
  lagDefault: number,
  bounded: boolean,
  lag?: CursorLag,
): number {
  const lagMs = stream.lagMs ?? lagDefault;
  if (!lagMs || !cursor) return 0;
  if (!bounded) {
    const typed = cursor.type === '' ? ':' : ` is \`${shownName(cursor.type)}\`, and`;
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `source ${source}: lagMs is not applied on SQLite: cursor \`${shownName(cursor.name)}\` of \`${shownName(stream.table)}\`${typed} SQLite has ${SQLITE_HAS_NO_LAG_BOUND}; set lagMs: 0 for this stream, on the source or the stream`,
      { context: { source, table: stream.table, columnName: cursor.name } },
    );
  }
  const problem = cursor.type === '' ? null : lagCursorProblem(source, stream.table, cursor, lag ?? 'other');
  if (problem) throw problem;
  return lagMs;
}

/**
 * The refusal of a lag window on a cursor of a known type that does not take one (`cursorLag`), or
 * null: a table stream's by the catalog's type, a query stream's by the type the database gives its
 * column (query-cursor.ts).
 */
export function lagCursorProblem(
  source: string,
  stream: string,
  cursor: ColumnMeta,
  lag: CursorLag,
): LicbridgeError | null {
  if (lag === 'date/time') return null;
  const [t, c, type] = [shownName(stream), shownName(cursor.name), shownName(cursor.type)];
  return new LicbridgeError(
    ErrorCodes.USAGE,
    `source ${source}: lagMs needs a date/time cursor: cursor \`${c}\` of \`${t}\` is \`${type}\`${lag === 'counter' ? ' (a change counter, whose rows are read once the transactions writing them have committed)' : ''}; set lagMs: 0 for this stream`,
    { context: { source, table: t, columnName: c } },
  );
}

/** What a typed cursor is to a lag window (`cursorLag`). */
export type CursorLag = 'date/time' | 'counter' | 'other';

/**
 * What a typed cursor is to a lag window: the one rule for refusing lagMs on a cursor (`checkLag`)
 * and for warning about a cursor read without it (lag-window.ts `unlaggedCursor`). The lag bound
 * is a point in time: only a `date/time` cursor takes one, not a version number (`other`), nor a
 * `counter` whose type name reads as a time (SQL Server `timestamp`, which is rowversion: the
 * dialect's `settledBound`): compared with the bound, every page failed (SQL Server error 257).
 * A date/time is one of the dialect's own types (dialect.ts `dateTimeTypes`), not any type whose
 * name holds `date` or `time`: a PostgreSQL enum `update_stage` so taken failed every page
 * (`operator does not exist: update_stage <= timestamp`), and a MySQL `enum('new','updated')` was
 * named in the lag warning and took a lagMs that held nothing back.
 */
export function cursorLag(db: Knex, dialect: SqlDialect, cursor: ColumnMeta): CursorLag {
  if (dialect.settledBound?.(db, cursor)) return 'counter';
  return dialect.dateTimeTypes?.test(cursor.type.trim()) ? 'date/time' : 'other';
}
