/**
 * A test ledger filled from a template (./migrator-shortcut.ts) is the ledger the migrations leave,
 * on both backends: the same tables, columns, defaults, constraints, indexes (made in the same
 * order: the planner weighs them so) and their storage settings, sequences, planner figures and
 * rows, read from the catalog rather than from what made the template. A fresh ledger of either
 * backend is made from it, but not where a test migrates part of the way itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, MIGRATIONS_TABLE } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, type Backend, PG_URL, quietLogger, type TestDatabase } from './backends.js';
import { ledgersFilled } from './migrator-shortcut.js';
import { rawKnex } from './raw-knex.js';

/** Each query's rows, the schema's name written as `$`. Ordered, so two schemas compare as lists. */
const PG_CATALOG: Record<string, string> = {
  relations: `select c.relname, c.relkind, c.relpersistence, c.reloptions, c.relreplident, c.relpages,
                     c.reltuples, c.relhasindex, c.relchecks, obj_description(c.oid, 'pg_class') as comment
                from pg_class c where c.relnamespace = $1::regnamespace order by c.relname`,
  columns: `select c.relname, a.attname, rank() over (partition by c.relname order by a.attnum) as position,
                   format_type(a.atttypid, a.atttypmod) as type, a.attnotnull, a.attidentity, a.attgenerated,
                   a.attstattarget, a.attstorage, a.attcompression, a.attcollation::regcollation::text,
                   pg_get_expr(d.adbin, d.adrelid) as default, col_description(c.oid, a.attnum) as comment
              from pg_attribute a join pg_class c on c.oid = a.attrelid
              left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
             where c.relnamespace = $1::regnamespace and a.attnum > 0 and not a.attisdropped
             order by c.relname, a.attnum`,
  constraints: `select c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid) as definition,
                       k.condeferrable, k.condeferred, k.convalidated
                  from pg_constraint k join pg_class c on c.oid = k.conrelid
                 where k.connamespace = $1::regnamespace order by c.relname, k.conname`,
  indexes: `select t.relname as table, i.relname as index, pg_get_indexdef(i.oid) as definition,
                   x.indisclustered, x.indisreplident
              from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
             where t.relnamespace = $1::regnamespace order by t.relname, i.oid`,
  sequences: `select sequencename, data_type::text, start_value, min_value, max_value, increment_by, cycle,
                     last_value
                from pg_sequences where schemaname = $1 order by sequencename`,
  triggers: `select c.relname, t.tgname, pg_get_triggerdef(t.oid) as definition
               from pg_trigger t join pg_class c on c.oid = t.tgrelid
              where c.relnamespace = $1::regnamespace and not t.tgisinternal order by c.relname, t.tgname`,
  routines: `select p.proname, pg_get_functiondef(p.oid) as definition
               from pg_proc p where p.pronamespace = $1::regnamespace order by p.proname`,
  views: `select viewname, definition from pg_views where schemaname = $1 order by viewname`,
  types: `select t.typname, t.typtype from pg_type t
           where t.typnamespace = $1::regnamespace and t.typrelid = 0 order by t.typname`,
};

/** knex stamps each migration with the time it ran: the two ledgers were made at different times. */
function stampless(table: string, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return table === MIGRATIONS_TABLE
    ? rows.map((r) => ({ ...r, migration_time: typeof r.migration_time }))
    : rows;
}

async function pgCatalog(url: string): Promise<Record<string, unknown>> {
  const schema = new URL(url).searchParams.get('schema') as string;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const out: Record<string, unknown> = {};
    for (const [what, sql] of Object.entries(PG_CATALOG)) {
      const { rows } = await client.query(sql, [schema]);
      out[what] = JSON.parse(JSON.stringify(rows).replaceAll(schema, '$'));
    }
    // Every table's rows, in full: knex's bookkeeping, its lock, and what migrations insert.
    for (const { relname } of (out.relations as { relname: string; relkind: string }[]).filter(
      (r) => r.relkind === 'r',
    )) {
      const { rows } = await client.query(`select * from "${schema}"."${relname}" order by 1`);
      out[`rows of ${relname}`] = stampless(relname, rows);
    }
    return out;
  } finally {
    await client.end();
  }
}

function sqliteCatalog(url: string): Record<string, unknown> {
  const db = new Database(url.slice('sqlite://'.length), { readonly: true });
  try {
    const objects = db
      .prepare('select type, name, tbl_name, sql from sqlite_master order by rowid')
      .all() as {
      type: string;
      name: string;
    }[];
    const out: Record<string, unknown> = {
      objects,
      pragmas: ['user_version', 'application_id', 'page_size', 'auto_vacuum', 'journal_mode'].map((p) => [
        p,
        db.pragma(p, { simple: true }),
      ]),
    };
    for (const { name } of objects.filter((o) => o.type === 'table')) {
      out[`indexes of ${name}`] = db.pragma(`index_list("${name}")`);
      out[`rows of ${name}`] = stampless(
        name,
        db.prepare(`select * from "${name}" order by 1`).all() as Record<string, unknown>[],
      );
    }
    return out;
  } finally {
    db.close();
  }
}

/** A database of `backend` it did not make, which its ledger migrates for real. */
async function unmarked(backend: Backend): Promise<TestDatabase> {
  if (backend.name === 'postgres') {
    const schema = `lb_${randomBytes(6).toString('hex')}`;
    return {
      url: `${PG_URL}?schema=${schema}`,
      async dispose() {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'lb-ledger-'));
  return {
    url: `sqlite://${join(dir, 'ledger.db')}`,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

describe.each(BACKENDS)('a test ledger filled from the template ($name)', (backend) => {
  const disposals: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const dispose of disposals.splice(0)) await dispose();
  });

  async function opened(database: TestDatabase): Promise<string> {
    disposals.push(() => database.dispose());
    await (await openLedger(database.url, { logger: quietLogger })).close();
    return database.url;
  }

  const catalog = (url: string) => (backend.name === 'postgres' ? pgCatalog(url) : sqliteCatalog(url));

  it('is made from the template, and holds what running the migrations leaves', async () => {
    const before = ledgersFilled();
    const filled = await opened(await backend.create());
    expect(ledgersFilled()).toBe(before + 1);
    const migrated = await opened(await unmarked(backend));
    expect(ledgersFilled()).toBe(before + 1);

    const expected = await catalog(migrated);
    expect(Object.keys(expected).length).toBeGreaterThan(backend.name === 'postgres' ? 20 : 40);
    expect(await catalog(filled)).toEqual(expected);
  });

  it('is not used where the migrations asked for are not all of them', async () => {
    const database = await backend.create();
    disposals.push(() => database.dispose());
    const schema = new URL(database.url).searchParams.get('schema') ?? undefined;
    const first = MIGRATIONS.slice(0, 3);
    const before = ledgersFilled();
    // As a test of one migration migrates up to the one before it (test/lifecycle/migration-027).
    const raw = backend.name === 'postgres' ? rawKnex(database.url) : await rawSqlite(database.url);
    try {
      if (schema) await raw.raw('create schema ??', [schema]);
      await raw.migrate.latest({
        migrationSource: {
          getMigrations: async () => [...first],
          getMigrationName: (m: (typeof first)[number]) => m.name,
          getMigration: async (m: (typeof first)[number]) => m,
        } as Knex.MigrationSource<unknown>,
        tableName: MIGRATIONS_TABLE,
        ...(schema ? { schemaName: schema } : {}),
      });
      expect(await raw(MIGRATIONS_TABLE).orderBy('id').pluck('name')).toEqual(first.map((m) => m.name));
    } finally {
      await raw.destroy();
    }
    expect(ledgersFilled()).toBe(before);
  });
});

/** knex on the SQLite file of `url`, the file's folder made (openLedger would make it). */
async function rawSqlite(url: string): Promise<Knex> {
  await mkdir(dirname(url.slice('sqlite://'.length)), { recursive: true });
  return rawKnex(url);
}
