/**
 * A query's date and time column types on Oracle (dialect.ts `queryColumnTypes`): node-oracledb
 * describes each column of a statement in its result's `metaData`, a query reading none of its
 * rows included, by the column's `dbType`, whose `columnTypeName` is the type's name as the catalog
 * writes it without its precision (`DATE`, `TIMESTAMP`, `TIMESTAMP WITH TIME ZONE`), and a
 * TIMESTAMP's fractional digits as its `precision`: written together as the catalog writes them
 * (`TIMESTAMP(3)`), which the dialect's patterns read as describeTable's. knex keeps only the rows: the probe asks the Oracle
 * client for the metadata (knex-client.ts `COLUMN_METADATA`). Other types are left out: nothing is
 * checked by them.
 */
import type { Knex } from 'knex';

/** The option of a raw query that makes the Oracle knex client answer with the driver's `metaData`. */
export const COLUMN_METADATA = 'licbridgeColumnMetadata';

/** A column of node-oracledb's `metaData`; `dbTypeName` is older drivers' spelling (5.x). */
export interface OracleColumnMeta {
  name: string;
  dbType?: { columnTypeName?: string } | number;
  dbTypeName?: string;
  /** A TIMESTAMP's fractional digits (thin/protocol/messages/withData.js `processColumnInfo`). */
  precision?: number;
}

const TEMPORAL = /^(DATE|TIMESTAMP( WITH (LOCAL )?TIME ZONE)?)$/i;

export async function oracleQueryColumnTypes(
  query: { sql: string; params: readonly unknown[] },
  read: <T>(query: (db: Knex) => PromiseLike<T>) => Promise<T>,
): Promise<ReadonlyMap<string, string>> {
  // The column probe's inner query alone (column-list.ts): compiled, no row of it read.
  const columns = await read<OracleColumnMeta[]>(
    (db) =>
      db
        .raw(`SELECT * FROM (${query.sql}) lb_q WHERE 1 = 0`, query.params as Knex.RawBinding[])
        .options({ [COLUMN_METADATA]: true }) as unknown as PromiseLike<OracleColumnMeta[]>,
  );
  const types = new Map<string, string>();
  for (const c of columns) {
    const name = typeof c.dbType === 'object' ? c.dbType.columnTypeName : c.dbTypeName;
    if (name === undefined || !TEMPORAL.test(name)) continue;
    // A TIMESTAMP with its digits, as the catalog writes a table column's (`TIMESTAMP(0) WITH TIME
    // ZONE`): taken for six, a TIMESTAMP(0)'s lag bound lay a second short (dialect.ts `lagBound`).
    const digits = /^TIMESTAMP/i.test(name) && Number.isInteger(c.precision) ? `(${c.precision})` : '';
    types.set(c.name, name.toUpperCase().replace(/^TIMESTAMP/, `TIMESTAMP${digits}`));
  }
  return types;
}
