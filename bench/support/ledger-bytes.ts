/**
 * The bytes a ledger takes, per table (its rows, TOAST and indexes together, as the headline adds
 * them up) and per index apart, so a change to the ledger's size shows where it came from without
 * opening the ledger by hand: an index in license-id order half full after random inserts, a
 * table's rows with the dead versions an update leaves, are told apart from the rows themselves.
 */
import { stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import pg from 'pg';

export interface LedgerBytes {
  /** The whole ledger: the SQLite file, or every table of the PostgreSQL schema with its indexes. */
  total: number;
  /** Per table, its indexes (and on PostgreSQL its TOAST) included. */
  tables: Record<string, number>;
  /** Per index, named `<table>.<index>`, already counted in its table. */
  indexes: Record<string, number>;
}

export async function sqliteBytes(file: string): Promise<LedgerBytes> {
  const db = new Database(file, { readonly: true });
  try {
    const total = (await stat(file)).size;
    const tables: Record<string, number> = {};
    const indexes: Record<string, number> = {};
    // dbstat names each b-tree: a table's own, or an index's (sqlite_master type 'index').
    const rows = db
      .prepare(
        `select coalesce(m.tbl_name, s.name) as tbl, s.name as name, m.type as type, sum(s.pgsize) as bytes
           from dbstat s left join sqlite_master m on m.name = s.name group by s.name`,
      )
      .all() as { tbl: string; name: string; type: string | null; bytes: number }[];
    for (const r of rows) {
      tables[r.tbl] = (tables[r.tbl] ?? 0) + r.bytes;
      if (r.type === 'index') indexes[`${r.tbl}.${r.name}`] = r.bytes;
    }
    return { total, tables, indexes };
  } finally {
    db.close();
  }
}

export async function postgresBytes(adminUrl: string, schema: string): Promise<LedgerBytes> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const res = await client.query<{ relname: string; bytes: string }>(
      `select c.relname, pg_total_relation_size(c.oid) as bytes
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind = 'r'`,
      [schema],
    );
    const tables: Record<string, number> = {};
    let total = 0;
    for (const r of res.rows) {
      tables[r.relname] = Number(r.bytes);
      total += Number(r.bytes);
    }
    const idx = await client.query<{ tbl: string; name: string; bytes: string }>(
      `select t.relname as tbl, i.relname as name, pg_relation_size(i.oid) as bytes
         from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
         join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = $1 and t.relkind = 'r'`,
      [schema],
    );
    const indexes: Record<string, number> = {};
    for (const r of idx.rows) indexes[`${r.tbl}.${r.name}`] = Number(r.bytes);
    return { total, tables, indexes };
  } finally {
    await client.end();
  }
}
