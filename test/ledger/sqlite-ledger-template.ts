/**
 * A fresh SQLite test ledger without running the migrations again for each one: migrating a new
 * file took ~65 ms of CPU (~130 ms on a loaded machine), the script of what they leave ~10 ms.
 * Once a process (and again when a source under `ledger/` changes), the migrations run for real
 * into a file in a temp folder; the script is its `sqlite_master` statements in the order they
 * were made, the rows of its tables (knex's `ledger_migrations` and its lock row, the rows
 * migrations insert) and its `sqlite_sequence`. {@link markSqliteLedger} marks the file of
 * `sqliteBackend.create()`, which ./migrator-shortcut.ts fills with the script on a file with no
 * table yet, where knex's migrator would run every migration. test/ledger/ledger-template.int.test.ts
 * compares the two.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { markLedger, unmarkLedger } from './migrator-shortcut.js';
import { ledgerSourcesStamp } from './pg-ledger-template.js';

interface Template {
  names: string[];
  script: string;
}

interface SqliteConnection {
  prepare(sql: string): { get(): unknown; run(...values: unknown[]): unknown };
  exec(sql: string): unknown;
  transaction(fn: () => void): () => void;
}

// On globalThis: this module is evaluated again for each file of a worker.
const KEY = Symbol.for('licbridge.test.sqliteLedgerTemplate');
const store = globalThis as { [KEY]?: { stamp: string; template: Promise<Template | undefined> } };

/** Marks `file` (not there yet) to be filled from the template when its ledger is first migrated. */
export async function markSqliteLedger(file: string): Promise<void> {
  const stamp = ledgerSourcesStamp();
  // A migration that fails fails where the test opens its ledger, as without a template.
  if (store[KEY]?.stamp !== stamp) store[KEY] = { stamp, template: build().catch(() => undefined) };
  const template = await store[KEY].template;
  if (!template) return;
  markLedger(`sqlite:${file}`, {
    names: template.names,
    fill: (conn) => fill(conn as SqliteConnection, template),
  });
}

export function unmarkSqliteLedger(file: string): void {
  unmarkLedger(`sqlite:${file}`);
}

async function fill(conn: SqliteConnection, template: Template): Promise<boolean> {
  const found = conn.prepare('select count(*) as n from sqlite_master').get() as { n: number };
  if (found.n !== 0) return false;
  conn.transaction(() => {
    conn.exec(template.script);
    // knex's migrator stamps each migration with the time it ran.
    conn.prepare('update ledger_migrations set migration_time = ?').run(Date.now());
  })();
  return true;
}

async function build(): Promise<Template> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-ledger-template-'));
  try {
    const file = join(dir, 'ledger.db');
    await (await openLedger(`sqlite://${file}`, { logger: createLogger({ level: 'silent' }) })).close();
    const db = new Database(file, { readonly: true });
    try {
      return {
        names: db.prepare('select name from ledger_migrations order by id').pluck().all() as string[],
        script: scriptOf(db),
      };
    } finally {
      db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function scriptOf(db: Database.Database): string {
  // SQLite makes its own objects (sqlite_sequence, the indexes of UNIQUE and PRIMARY KEY).
  const objects = db
    .prepare(
      `select type, name, sql from sqlite_master where sql is not null and name not like 'sqlite\\_%' escape '\\' order by rowid`,
    )
    .all() as { type: string; name: string; sql: string }[];
  const statements = objects.map((o) => `${o.sql};`);
  for (const { name } of objects.filter((o) => o.type === 'table')) {
    for (const row of db.prepare(`select * from "${name}"`).raw().all() as unknown[][]) {
      statements.push(`insert into "${name}" values (${row.map(literal).join(', ')});`);
    }
  }
  // The rows above moved sqlite_sequence on: it is set as the migrations left it.
  if (db.prepare(`select 1 from sqlite_master where name = 'sqlite_sequence'`).get()) {
    statements.push('delete from sqlite_sequence;');
    for (const row of db.prepare('select name, seq from sqlite_sequence').raw().all() as unknown[][]) {
      statements.push(`insert into sqlite_sequence (name, seq) values (${row.map(literal).join(', ')});`);
    }
  }
  return statements.join('\n');
}

function literal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (Buffer.isBuffer(value)) return `x'${value.toString('hex')}'`;
  throw new Error(`sqlite-ledger-template: a value of type ${typeof value}`);
}
