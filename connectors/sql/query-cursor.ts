/**
 * A query stream's key and cursor checked by their types before the first page, as a table
 * stream's are by the catalog's (resolve-stream.ts): the query has no catalog entry, so a type is
 * the one the database gives the query's column without reading a row of it (dialect.ts
 * `queryColumnTypes`). The table stream's rules, in its words:
 *
 * - A time of day (time-of-day-cursor.ts) was read as any cursor: pages ordered by the time alone,
 *   and a row changed the next morning lay behind a checkpoint at 20:00 for good.
 * - A lag window on a cursor that is no date/time (resolve-stream.ts `lagCursorProblem`) compared it
 *   with the clock all the same: PostgreSQL failed every page (`operator does not exist: integer <=
 *   timestamp`), MySQL and MariaDB compared an integer with the clock's digits and held nothing back.
 * - A key or cursor of a type the dialect cannot read in a query (dialect.ts `queryColumnProblem`:
 *   a MySQL ENUM or SET, compared as text but ordered by its place in a list the query does not
 *   show) is refused, saying what to select instead.
 *
 * A type the dialect does not name is not checked. The stream keeps its untyped key and cursor,
 * read as a query's always were, but where the dialect compares the type by an ordinal or binds by
 * it (dialect.ts `queryColumnTyped`: MySQL bytes and BIT, whose checkpoint `\x41` was bound as
 * text and resumed pages at another key); the cursor's type is kept beside it
 * (`queryCursorType`), and a date/time cursor is read up to the database's clock as a table
 * stream's is (keyset.ts `readBound`).
 */
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import type { SqlFamily } from '../kind-spec.js';
import { columnProbe, RepeatedColumnError, refusedQuery } from './column-list.js';
import type { SqlDialect } from './dialect.js';
import type { ResolvedStream } from './keyset.js';
import { cursorLag, lagCursorProblem, shownName } from './resolve-stream.js';
import type { SourceCalls } from './source-calls.js';
import type { SqlReader } from './sql-reader.js';
import { timeOfDayCursorProblem } from './time-of-day-cursor.js';

export async function checkQueryCursor(
  calls: SourceCalls,
  reader: SqlReader,
  family: SqlFamily,
  s: ResolvedStream,
): Promise<ResolvedStream> {
  const { query, cursor } = s;
  const { name, dialect, db } = reader;
  const describe = dialect.queryColumnTypes;
  if (!query || !describe) return s;
  const types = await calls
    .run(() =>
      describe(query, (q) => reader.read(q)).catch((e: unknown) => {
        // Thrown inside the read, it comes mapped as the source's calls map every error.
        const repeated = isLicbridgeError(e) ? e.cause : e;
        throw repeated instanceof RepeatedColumnError ? repeatedColumnProblem(name, s.table, repeated) : e;
      }),
    )
    .catch((e: unknown) => {
      if (isLicbridgeError(e) && e.cause instanceof RepeatedColumnError) throw e;
      throw refusedQuery(name, s.table, e, columnProbe(db, family, query).toSQL().toNative().sql);
    });
  for (const [role, column] of [
    ['key', s.key],
    ['cursor', cursor],
  ] as const) {
    const problem = column && queryColumnProblem(name, dialect, s.table, role, column.name, types);
    if (problem) throw problem;
  }
  // A key the dialect binds by its type (MySQL bytes, a BIT) takes it, as a table column's would.
  const keyType = types.get(s.key.name);
  const key =
    keyType !== undefined && dialect.queryColumnTyped?.(keyType) ? { ...s.key, type: keyType } : s.key;
  // Looked for as a page's row is (source-rows.ts `checkQueryColumns`), which names a cursor the
  // query does not return.
  const type = cursor && types.get(cursor.name);
  if (!cursor || type === undefined) return { ...s, key };
  const typed = { ...cursor, type };
  const problem =
    timeOfDayCursorProblem(name, dialect.kind, s.table, typed) ??
    (s.lagMs && s.lagMs > 0 ? lagCursorProblem(name, s.table, typed, cursorLag(db, dialect, typed)) : null);
  if (problem) throw problem;
  // A cursor the dialect compares by an ordinal of its own (a MySQL TIMESTAMP by the instant it
  // holds, mysql/timestamp-cursor.ts) is compared so here too, as a table stream's is: compared as
  // the session printed it, the hour the clocks go back came twice, and a page ending in its first
  // pass resumed past the rows of its second, which were never read. So is one it binds by its type.
  const adopted = dialect.cursorOrdinal?.(db, typed) || dialect.queryColumnTyped?.(type);
  // Its type kept for the clock's bound (keyset.ts `readBound`).
  return { ...s, key, queryCursorType: type, ...(adopted ? { cursor: typed } : {}) };
}

/** The dialect's refusal of a query stream's key or cursor by its type (dialect.ts `queryColumnProblem`), or null. */
function queryColumnProblem(
  source: string,
  dialect: SqlDialect,
  stream: string,
  role: 'key' | 'cursor',
  column: string,
  types: ReadonlyMap<string, string>,
): LicbridgeError | null {
  const type = types.get(column);
  const [t, c] = [shownName(stream), shownName(column)];
  const why = type === undefined ? null : dialect.queryColumnProblem?.(type, c);
  if (!why || type === undefined) return null;
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `source ${source}: ${role} column \`${c}\` of query stream \`${t}\` is \`${shownName(type)}\`: ${why}`,
    { retryable: false, context: { source, table: t, columnName: c, columnType: type } },
  );
}

/**
 * A query stream whose query returns a column name twice (column-list.ts `RepeatedColumnError`):
 * each row would hold one value under the name, the other column's lost without a word — the
 * license's own status replaced by a joined table's. Names the stream and the column, never a value.
 * The name may be no column's: PostgreSQL names an expression without an alias after its function
 * (`coalesce`) or `?column?`, so the advice's examples are fixed, not made of the name.
 */
function repeatedColumnProblem(source: string, stream: string, error: RepeatedColumnError): LicbridgeError {
  const [t, c] = [shownName(stream), shownName(error.column)];
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `source ${source}: query stream \`${t}\` returns column \`${c}\` twice (\`SELECT a.*, b.*\` over tables that both have it, or two expressions without an alias): a row holds one value under a name, and the last column's would take the other's place; give each column a name of its own in the query with \`AS\` (a joined table's: \`b.zt AS b_zt\`; an expression: \`<expression> AS b_zt\`)`,
    { retryable: false, context: { source, table: t, columnName: c }, cause: error },
  );
}
