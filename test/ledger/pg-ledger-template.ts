/**
 * A fresh PostgreSQL test ledger without running the migrations again for each one. Migrating a
 * new schema (every migration since 001, in knex's migrator) took ~0.2 s of node's CPU and ~0.2 s
 * of the server's, for each of the ~150 PostgreSQL ledgers `npm test` makes; a script of the
 * tables the migrations leave, run into the new schema, takes ~5 ms and ~60 ms.
 *
 * - The template: the migrations run for real (openLedger) into a schema named
 *   `lb_template_<key>`, `pg_dump` writes its tables, indexes, sequences and rows (knex's
 *   `ledger_migrations` and its lock row, the rows migrations insert) as SQL, and the schema is
 *   dropped. The script is kept in `<tmpdir>/licbridge-test-ledger/pg-<key>.json`. Its key is a
 *   hash of every source file under `ledger/` and of this one, knex's version and the server's,
 *   so an edited migration (or helper of one) builds a new template. One process builds it at a time (an
 *   advisory lock); the others then read the file.
 * - Its use: {@link markPgLedger} marks a schema of `postgresBackend.create()`, which
 *   ./migrator-shortcut.ts fills with the script, in one transaction, where knex's migrator would
 *   run every migration into the new schema. test/ledger/ledger-template.int.test.ts compares it
 *   with a schema the migrations made, in the catalog.
 * - Without `pg_dump` on the PATH (or one that refuses this server), no template is made and every
 *   ledger is migrated as before.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { markLedger, unmarkLedger } from './migrator-shortcut.js';

const LEDGER_SOURCES = fileURLToPath(new URL('../../ledger/', import.meta.url));
const CACHE = join(tmpdir(), 'licbridge-test-ledger');
const THIS_FILE = fileURLToPath(import.meta.url);

interface Template {
  /** The migrations the template ran, in order. */
  names: string[];
  /** The script, split where the template's schema name stood before each qualified name. */
  parts: string[];
}

// On globalThis: this module, like every other licbridge one, is evaluated again for each file of
// a worker (test/support/fresh-modules.ts). Built or read once for the sources as last seen.
const KEY = Symbol.for('licbridge.test.pgLedgerTemplate');
const store = globalThis as { [KEY]?: { stamp: string; template: Promise<Template | undefined> } };

/**
 * Marks `schema` (not created yet) to be filled from the template when its ledger is first
 * migrated; without a template, nothing. `url` is the database's, without a `schema`.
 */
export async function markPgLedger(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) return;
  const stamp = ledgerSourcesStamp();
  // A migration that fails fails where the test opens its ledger, as without a template.
  if (store[KEY]?.stamp !== stamp) {
    const entry = { stamp, template: Promise.resolve<Template | undefined>(undefined) };
    // A build that threw (a connection refused while the server had every slot taken, say) is
    // not kept for the worker's later ledgers: the next ledger made tries again. One that found
    // no pg_dump is kept: it would find none the next time either.
    entry.template = readOrBuild(url).catch(() => {
      if (store[KEY] === entry) delete store[KEY];
      return undefined;
    });
    store[KEY] = entry;
  }
  const template = await store[KEY].template;
  if (!template) return;
  const script = template.parts.join(`${schema}.`);
  markLedger(`pg:${schema}`, {
    names: template.names,
    fill: (conn) => fill(conn as PgConnection, schema, script),
  });
}

export function unmarkPgLedger(schema: string): void {
  unmarkLedger(`pg:${schema}`);
}

interface PgConnection {
  query(text: string | { text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

async function fill(conn: PgConnection, schema: string, script: string): Promise<boolean> {
  const found = await conn.query({
    text: `select n.oid is not null as there,
                  (select count(*)::int from pg_class c where c.relnamespace = n.oid) as relations
             from (select) one left join pg_namespace n on n.nspname = $1`,
    values: [schema],
  });
  if (found.rows[0]?.there !== true || found.rows[0]?.relations !== 0) return false;
  // One simple query: PostgreSQL runs its statements as one transaction.
  await conn.query(script);
  return true;
}

/** The sources under ledger/ by name, size and time: cheap enough to look at for every ledger. */
export function ledgerSourcesStamp(): string {
  return ledgerSources()
    .map((f) => {
      const s = statSync(join(LEDGER_SOURCES, f));
      return `${f}:${s.size}:${s.mtimeMs}`;
    })
    .join('\n');
}

function ledgerSources(): string[] {
  return readdirSync(LEDGER_SOURCES, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();
}

async function readOrBuild(url: string): Promise<Template | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const version = (await client.query('show server_version_num')).rows[0].server_version_num as string;
    const key = templateKey(version);
    const file = join(CACHE, `pg-${key}.json`);
    const cached = readTemplate(file);
    if (cached) return cached;
    // One builder at a time; the others wait, then read what it wrote.
    const lock = `licbridge test ledger template ${key}`;
    await client.query('select pg_advisory_lock(hashtext($1))', [lock]);
    try {
      const meanwhile = readTemplate(file);
      if (meanwhile) return meanwhile;
      const template = await build(url, client, `lb_template_${key.slice(0, 16)}`);
      if (template) keep(file, template);
      return template;
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [lock]);
    }
  } finally {
    await client.end();
  }
}

function templateKey(serverVersion: string): string {
  // This file too: how the script is made.
  const hash = createHash('sha256').update(`server ${serverVersion}\n`).update(readFileSync(THIS_FILE));
  const knexVersion = (createRequire(import.meta.url)('knex/package.json') as { version: string }).version;
  hash.update(`knex ${knexVersion}\n`);
  for (const f of ledgerSources()) {
    const text = readFileSync(join(LEDGER_SOURCES, f));
    hash.update(`${f} ${text.length}\n`).update(text);
  }
  return hash.digest('hex');
}

/** Writes the template whole (another process may read it meanwhile); the older ones go. */
function keep(file: string, template: Template): void {
  mkdirSync(CACHE, { recursive: true });
  const partial = `${file}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, JSON.stringify(template));
  renameSync(partial, file);
  for (const other of readdirSync(CACHE)) {
    if (other.startsWith('pg-') && join(CACHE, other) !== file) rmSync(join(CACHE, other), { force: true });
  }
}

function readTemplate(file: string): Template | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Template;
  } catch {
    return undefined;
  }
}

/** Migrates `schema` for real, dumps it, drops it. Undefined when pg_dump cannot dump it. */
async function build(url: string, client: pg.Client, schema: string): Promise<Template | undefined> {
  await client.query(`drop schema if exists "${schema}" cascade`);
  try {
    const ledger = await openLedger(`${url}?schema=${schema}`, { logger: createLogger({ level: 'silent' }) });
    await ledger.close();
    const names = (await client.query(`select name from "${schema}".ledger_migrations order by id`)).rows.map(
      (r: { name: string }) => r.name,
    );
    const indexes = new Map<string, number>(
      (
        await client.query(
          `select relname, oid::bigint::float8 as oid from pg_class
            where relnamespace = $1::regnamespace and relkind in ('i', 'I')`,
          [schema],
        )
      ).rows.map((r: { relname: string; oid: number }) => [r.relname, r.oid]),
    );
    let dump: string;
    try {
      dump = (
        await promisify(execFile)(
          'pg_dump',
          [`--dbname=${url}`, `--schema=${schema}`, '--inserts', '--no-owner', '--no-tablespaces'],
          { maxBuffer: 64 * 1024 * 1024 },
        )
      ).stdout;
    } catch {
      return undefined;
    }
    return { names, parts: scriptParts(dump, schema, indexes) };
  } finally {
    await client.query(`drop schema if exists "${schema}" cascade`);
  }
}

interface Entry {
  type: string;
  name: string;
  sql: string[];
}

/** The types of pg_dump's entries that are moved; every other keeps its place, first. */
const INDEXES = new Set(['INDEX', 'CONSTRAINT']);
const LAST = ['FK CONSTRAINT', 'TABLE DATA', 'SEQUENCE SET'];

/**
 * The dump as one script to run into another schema on a ledger's pooled connection: without
 * psql's commands, without the session settings pg_dump starts with (they would stay on the
 * connection: its `search_path` empty, its statement timeout off), without creating the schema,
 * which openLedger has made. Two orders differ from pg_dump's, which the planner tells apart:
 * - the indexes of a table are made in the order the migrations made them (their OIDs): it
 *   weighs them in that order, and of two that cost the same keeps the first;
 * - the rows go in after the indexes: an index built over rows counts them into the table's
 *   `reltuples` and `relpages`, which the migrations left as for a table never analyzed.
 * knex's migrator stamps each migration with the time it ran.
 */
function scriptParts(dump: string, schema: string, indexes: ReadonlyMap<string, number>): string[] {
  const entries: Entry[] = [{ type: '', name: '', sql: [] }];
  for (const line of dump.split('\n')) {
    const header = /^-- (?:Data for )?Name: (.+); Type: ([^;]+); Schema: /.exec(line);
    if (header) entries.push({ name: header[1] as string, type: header[2] as string, sql: [] });
    else if (
      line.trim() !== '' &&
      !line.startsWith('--') &&
      !line.startsWith('\\') &&
      !/^SET \w+ = /.test(line) &&
      !line.startsWith('SELECT pg_catalog.set_config(')
    )
      (entries.at(-1) as Entry).sql.push(line);
  }
  const made = (e: Entry) =>
    indexes.get(e.type === 'CONSTRAINT' ? e.name.slice(e.name.indexOf(' ') + 1) : e.name) ?? 0;
  const ordered = [
    ...entries.filter((e) => e.type !== 'SCHEMA' && !INDEXES.has(e.type) && !LAST.includes(e.type)),
    ...entries.filter((e) => INDEXES.has(e.type)).sort((a, b) => made(a) - made(b)),
    ...LAST.flatMap((type) => entries.filter((e) => e.type === type)),
  ];
  const script = [
    ...ordered.flatMap((e) => e.sql),
    `UPDATE ${schema}.ledger_migrations SET migration_time = now();`,
  ].join('\n');
  const parts = script.split(`${schema}.`);
  // Every mention of the schema qualifies a name, so the parts join again around another one.
  if (parts.some((p) => p.includes(schema))) throw new Error(`pg-ledger-template: ${schema} unqualified`);
  return parts;
}
