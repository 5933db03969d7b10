/**
 * A knex of the test's own on a ledger database, beside the ledger's: migration tests use it to
 * undo migrations, write rows as an earlier release did, and read the plans of the ledger's queries.
 */
import knex, { type Knex } from 'knex';
import { MIGRATIONS } from '../../ledger/migrate.js';

export function rawKnex(url: string): Knex {
  if (url.startsWith('sqlite://')) {
    return knex({ client: 'better-sqlite3', connection: { filename: url.slice(9) }, useNullAsDefault: true });
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') as string;
  parsed.searchParams.delete('schema');
  return knex({ client: 'pg', connection: parsed.toString(), searchPath: [schema] });
}

/** Undoes migration `name` and every one after it, newest first: the ledger as the release before `name` left it. */
export async function undoMigrationsSince(raw: Knex, name: string): Promise<void> {
  for (const m of MIGRATIONS.slice(MIGRATIONS.findIndex((m) => m.name === name)).reverse()) {
    await m.down(raw);
    await raw('ledger_migrations').where({ name: m.name }).delete();
  }
}

const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows);

/**
 * The plan the database picks for `q` (a query, or SQL written out with `k.raw`), a sequential scan
 * made the last resort on PostgreSQL.
 */
export async function queryPlan(k: Knex, q: Knex.QueryBuilder | Knex.Raw, sqlite: boolean): Promise<string> {
  const { sql, bindings } = q.toSQL();
  if (sqlite)
    return rowsOf<{ detail: string }>(await k.raw(`explain query plan ${sql}`, [...bindings]))
      .map((r) => r.detail)
      .join('\n');
  return k.transaction(async (trx) => {
    await trx.raw('set local enable_seqscan = off');
    return rowsOf<{ 'QUERY PLAN': string }>(await trx.raw(`explain ${sql}`, [...bindings]))
      .map((r) => r['QUERY PLAN'])
      .join('\n');
  });
}
