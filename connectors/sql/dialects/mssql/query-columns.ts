/**
 * A query's date and time column types on SQL Server (dialect.ts `queryColumnTypes`): the column
 * metadata tedious sends with the probe that reads none of the query's rows (column-list.ts,
 * query-collation.ts `COLUMN_METADATA`), its type names spelt as the catalog's (describeTable:
 * `time(7)`, `datetime2(3)`). Other types are left out: nothing is checked by them.
 */
import type { Knex } from 'knex';
import { columnProbe } from '../../column-list.js';
import { COLUMN_METADATA, type ProbedColumn } from './query-collation.js';

/** tedious' names of the date and time types; those of a scale are written with it. */
const TEMPORAL: Record<string, { name: string; scaled: boolean }> = {
  Date: { name: 'date', scaled: false },
  Time: { name: 'time', scaled: true },
  DateTime2: { name: 'datetime2', scaled: true },
  DateTimeOffset: { name: 'datetimeoffset', scaled: true },
  DateTime: { name: 'datetime', scaled: false },
  DateTimeN: { name: 'datetime', scaled: false },
  SmallDateTime: { name: 'smalldatetime', scaled: false },
};

export async function mssqlQueryColumnTypes(
  query: { sql: string; params: readonly unknown[] },
  read: <T>(query: (db: Knex) => PromiseLike<T>) => Promise<T>,
): Promise<ReadonlyMap<string, string>> {
  const columns = await read<ProbedColumn[]>(
    (db) =>
      columnProbe(db, 'mssql', query).options({ [COLUMN_METADATA]: true }) as unknown as PromiseLike<
        ProbedColumn[]
      >,
  );
  const types = new Map<string, string>();
  for (const c of columns) {
    // TDS sends a nullable DATETIME and SMALLDATETIME as one type, DATETIMN, of 8 and 4 bytes. Taken
    // for a DATETIME, a SMALLDATETIME's lag bound lay 2 ms back instead of 30 s (dialect.ts
    // lagBound): the rows of a minute were read while it was written.
    const t = c.type === 'DateTimeN' && c.dataLength === 4 ? TEMPORAL.SmallDateTime : TEMPORAL[c.type];
    if (!t) continue;
    types.set(c.name, t.scaled && c.scale !== undefined ? `${t.name}(${c.scale})` : t.name);
  }
  return types;
}
