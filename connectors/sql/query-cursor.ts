/**
 * A query stream's cursor checked by its type before the first page, as a table stream's is by the
 * catalog's (resolve-stream.ts): the query has no catalog entry, so the type is the one the
 * database gives the query's column in the probe that reads none of its rows (dialect.ts
 * `queryColumnTypes`). A time of day (time-of-day-cursor.ts) was read as any cursor: pages ordered
 * by the time alone, and a row changed the next morning lay behind a checkpoint at 20:00 for good;
 * under a lag window PostgreSQL refused every page. Now refused by the same rule, in the same words.
 */
import type { SqlFamily } from '../kind-spec.js';
import { columnProbe, refusedQuery } from './column-list.js';
import type { ResolvedStream } from './keyset.js';
import type { SqlReader } from './reconcile-reads.js';
import type { SourceCalls } from './source-calls.js';
import { timeOfDayCursorProblem } from './time-of-day-cursor.js';

export async function checkQueryCursor(
  calls: SourceCalls,
  reader: SqlReader,
  family: SqlFamily,
  s: ResolvedStream,
): Promise<ResolvedStream> {
  const { query, cursor } = s;
  const describe = reader.dialect.queryColumnTypes;
  if (!query || !cursor || !describe) return s;
  const types = await calls
    .run(() => describe(query, (q) => reader.read(q)))
    .catch((e: unknown) => {
      throw refusedQuery(
        reader.name,
        s.table,
        e,
        columnProbe(reader.db, family, query).toSQL().toNative().sql,
      );
    });
  // Looked for as a page's row is (source-rows.ts `checkQueryColumns`), which names a cursor the
  // query does not return.
  const type = types.get(cursor.name);
  const problem =
    type === undefined
      ? null
      : timeOfDayCursorProblem(reader.name, reader.dialect.kind, s.table, { ...cursor, type });
  if (problem) throw problem;
  return s;
}
