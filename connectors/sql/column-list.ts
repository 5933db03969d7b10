/**
 * The columns a read of a query stream gives each row, without reading or counting a source row.
 *
 * A query returning no row tells its column names only through each driver's own metadata (pg's
 * `fields`, mysql2's second result, better-sqlite3's `columns()`, tedious' column metadata,
 * oracledb's `metaData`), which Knex hands back in a different shape per driver or not at all. So
 * the query is wrapped to return exactly one row, every column of the stream's query in it NULL:
 *
 *   SELECT lb_c.* FROM (SELECT 1 AS lb_one) lb_d
 *     LEFT JOIN (SELECT * FROM (<query>) lb_q WHERE 1 = 0) lb_c ON 1 = 0
 *
 * The inner `WHERE 1 = 0` is a constant false every planner folds: the stream's query is compiled
 * but no row of it is read. Not under the outer join, though: MariaDB and SQLite materialize a
 * derived table they cannot merge (ORDER BY with LIMIT, GROUP BY, UNION) before they look at the
 * false condition above it, running the whole query; a `LIMIT 0` on the derived table itself is
 * taken as no row to compute. SQL Server and the Oracle family have no LIMIT and keep the bare
 * condition. The row's keys are the column names as the driver reports them for a
 * read (Oracle's upper case included), which is what a mapping's `when` sees. Oracle and DM need a
 * table to select the constant row from (`dual`).
 *
 * The same probe is how `config check --connect` checks a query stream (`SqlSource.checkStream`):
 * the database compiles the query, so a syntax error or a table it does not have is found without
 * a run, and the key and cursor are looked for among the columns.
 */
import type { Knex } from 'knex';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import type { SqlFamily } from '../kind-spec.js';
import { constantRowSql } from './constant-row.js';
import { sqlNote } from './driver-errors.js';
import { shownName } from './resolve-stream.js';

export const COLUMN_PROBE_ALIAS = 'lb_c';

/** The one-row query whose row has each column of `query`, all NULL. */
export function columnProbe(
  db: Knex,
  family: SqlFamily,
  query: { sql: string; params: readonly unknown[] },
): Knex.Raw {
  const one = constantRowSql(family);
  const none = family === 'mssql' || family === 'oracle' ? 'WHERE 1 = 0' : 'WHERE 1 = 0 LIMIT 0';
  return db.raw(
    `SELECT ${COLUMN_PROBE_ALIAS}.* FROM (${one}) lb_d LEFT JOIN (SELECT * FROM (${query.sql}) lb_q ${none}) ${COLUMN_PROBE_ALIAS} ON 1 = 0`,
    query.params as Knex.RawBinding[],
  );
}

/**
 * The column names of the probe's answer. Knex answers a raw query in the driver's shape: rows
 * (SQLite, SQL Server, Oracle), `[rows, fields]` (mysql2) or `{ rows }` (pg).
 */
export function probedColumns(answer: unknown): string[] {
  const rows = Array.isArray(answer)
    ? Array.isArray(answer[0])
      ? answer[0]
      : answer
    : (answer as { rows?: unknown } | null)?.rows;
  const row = Array.isArray(rows) ? rows[0] : undefined;
  return row !== null && typeof row === 'object' ? Object.keys(row) : [];
}

/**
 * Thrown by a dialect's `queryColumnTypes` where a query returns one column name twice, which a
 * driver's row (an object) holds once, the last column's value in the other's place: PostgreSQL
 * returns both `zt` of `SELECT x.*, q.* …` over two tables that have it (MySQL, MariaDB and SQL
 * Server refuse such a derived table, SQLite renames the second). Worded by query-cursor.ts, which
 * names the stream.
 */
export class RepeatedColumnError extends Error {
  readonly column: string;

  constructor(column: string) {
    super(`column ${column} returned twice`);
    this.name = 'RepeatedColumnError';
    this.column = column;
  }
}

/** The first name `names` holds twice, or undefined. */
export function repeatedName(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/**
 * The database's refusal of a query stream's query (a syntax error, a table or column it does not
 * have) as an error naming the stream: the driver's words, classified and scrubbed as every driver
 * error is (driver-errors.ts), without the probe's own SQL that follows them: it only wraps the
 * configured query. Any other
 * error (the database not answering, a lost connection) is handed back as it was.
 */
export function refusedQuery(source: string, stream: string, error: unknown, probeSql: string): unknown {
  if (!isLicbridgeError(error)) return error;
  if (error.code !== ErrorCodes.SOURCE_QUERY && error.code !== ErrorCodes.SOURCE_SCHEMA) return error;
  const prefix = `source ${source}: `;
  const said = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new LicbridgeError(
    error.code,
    `${prefix}the query of stream \`${shownName(stream)}\` is refused by the database: ${said.replace(sqlNote(probeSql), '')}`,
    { retryable: error.retryable, context: { ...error.context, table: shownName(stream) }, cause: error },
  );
}
