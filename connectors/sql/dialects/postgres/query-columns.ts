/**
 * A query's column types on a PostgreSQL-family server (dialect.ts `queryColumnTypes`): the
 * server describes each column of the probe's one row (column-list.ts) by its type's OID and
 * modifier, which node-postgres hands back as `fields`; `format_type` spells them as the catalog
 * spells a table column's (`time(3) without time zone`), on KingbaseES too, whatever OIDs it gives.
 */
import type { Knex } from 'knex';
import { columnProbe } from '../../column-list.js';

interface PgField {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
}

export function pgQueryColumnTypes(
  query: { sql: string; params: readonly unknown[] },
  read: <T>(query: (db: Knex) => PromiseLike<T>) => Promise<T>,
): Promise<ReadonlyMap<string, string>> {
  return read(async (db) => {
    const probe: { fields?: PgField[] } = await columnProbe(db, 'postgres', query);
    const fields = probe.fields ?? [];
    if (fields.length === 0) return new Map<string, string>();
    // Array literals, not JS arrays: knex spreads an array binding into a list of parameters.
    const spelt: { rows: { type: string }[] } = await db.raw(
      'SELECT format_type(t.oid, t.mod) AS type FROM unnest(CAST(? AS oid[]), CAST(? AS int[])) WITH ORDINALITY AS t(oid, mod, n) ORDER BY t.n',
      [
        `{${fields.map((f) => f.dataTypeID).join(',')}}`,
        `{${fields.map((f) => f.dataTypeModifier).join(',')}}`,
      ],
    );
    return new Map(fields.map((f, i) => [f.name, spelt.rows[i]?.type ?? '']));
  });
}
