/**
 * A query's date and time column types on MySQL and MariaDB (dialect.ts `queryColumnTypes`): the
 * server describes each column of the probe's one row (column-list.ts) in its result set metadata,
 * which mysql2 hands back beside the rows; the type code and the fractional digits (`decimals`)
 * spelt as information_schema's COLUMN_TYPE spells a table column's (`time(6)`). Other types are
 * left out: nothing is checked by them.
 */
import type { Knex } from 'knex';
import { columnProbe } from '../../column-list.js';

/** The protocol's type codes (MySQL `enum_field_types`) of the date and time types. */
const TEMPORAL: Record<number, string> = {
  7: 'timestamp',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
};

interface MysqlColumn {
  name: string;
  columnType: number;
  decimals: number;
}

export function mysqlQueryColumnTypes(
  query: { sql: string; params: readonly unknown[] },
  read: <T>(query: (db: Knex) => PromiseLike<T>) => Promise<T>,
): Promise<ReadonlyMap<string, string>> {
  return read(async (db) => {
    const [, fields]: [unknown, MysqlColumn[] | undefined] = await columnProbe(db, 'mysql', query);
    const types = new Map<string, string>();
    for (const f of fields ?? []) {
      const name = TEMPORAL[f.columnType];
      if (!name) continue;
      // Fractional digits 1 to 6; a `year` or `date` has none.
      types.set(f.name, f.decimals > 0 && f.decimals <= 6 ? `${name}(${f.decimals})` : name);
    }
    return types;
  });
}
