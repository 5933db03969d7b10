/**
 * The dialect's checks and adjustments of a resolved stream before its first page (dialect.ts
 * `prepareStream`), its errors mapped as every database call's; the database's refusal of a query
 * stream's query, met by the probe, names the stream as a check of it does (column-list.ts).
 */
import type { SqlFamily } from '../kind-spec.js';
import { columnProbe, refusedQuery } from './column-list.js';
import type { ResolvedStream } from './keyset.js';
import type { SourceCalls } from './source-calls.js';
import type { SqlReader } from './sql-reader.js';

export async function prepareStream(
  calls: SourceCalls,
  reader: SqlReader,
  family: SqlFamily,
  s: ResolvedStream,
): Promise<ResolvedStream> {
  const prepare = reader.dialect.prepareStream;
  if (!prepare) return s;
  return calls
    .run(() => prepare(s, (query) => reader.read(query)))
    .catch((e: unknown) => {
      const query = s.query;
      if (!query) throw e;
      throw refusedQuery(
        reader.name,
        s.table,
        e,
        columnProbe(reader.db, family, query).toSQL().toNative().sql,
      );
    });
}
