/**
 * A query's column types on a PostgreSQL-family server (dialect.ts `queryColumnTypes`): the
 * server describes each column of the probe's one row (column-list.ts) by its type's OID and
 * modifier, which node-postgres hands back as `fields`; `format_type` spells them as the catalog
 * spells a table column's (`time(3) without time zone`), on KingbaseES too, whatever OIDs it gives.
 */
import type { Knex } from 'knex';
import { columnProbe, RepeatedColumnError, repeatedName } from '../../column-list.js';

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
    // A name the query returns twice: node-postgres' row holds the last one's value under it.
    const repeated = repeatedName(fields.map((f) => f.name));
    if (repeated !== undefined) throw new RepeatedColumnError(repeated);
    // One format_type a column, in a SELECT of its own: no unnest … WITH ORDINALITY, which an
    // older KingbaseES may not have.
    const list = fields.map((_, i) => `format_type(CAST(? AS oid), CAST(? AS integer)) AS t${i}`).join(', ');
    const spelt: { rows: Record<string, string | null>[] } = await db.raw(
      `SELECT ${list}`,
      fields.flatMap((f) => [f.dataTypeID, f.dataTypeModifier]),
    );
    const row = spelt.rows[0] ?? {};
    return new Map(fields.map((f, i) => [f.name, row[`t${i}`] ?? '']));
  });
}
