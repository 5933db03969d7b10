/**
 * A large SQLite test ledger built once and copied for the files that build the same one: the
 * signed ledger of ./signed-large-ledger.ts (100,500 versions and their signatures) took ~3 s of
 * CPU to write, in each of the four files that use it, where copying its file takes a fraction of
 * that. Kept as `<tmpdir>/licbridge-test-ledger/sqlite-<name>-<key>.db`, as the
 * migrated templates are (./pg-ledger-template.ts); its key is a hash of every source the rows
 * follow from — `ledger/`, `catalog/`, `core/`, `connectors/`, the test files that build it and
 * the installed packages (`package-lock.json`) — so a changed source builds it anew. One process
 * builds it at a time (an advisory lock on the test PostgreSQL, whose lock goes with its connection
 * if the process dies); the others wait on that lock, spending no CPU, then copy what it wrote.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import pg from 'pg';
import { type Backend, PG_URL, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(tmpdir(), 'licbridge-test-ledger');
const SOURCE_FOLDERS = ['ledger', 'catalog', 'core', 'connectors'];

export interface BuiltLedger {
  database: TestDatabase;
  k: Knex;
}

/**
 * A ledger of `backend` as `build` makes it. On SQLite, a copy of the one kept under `name` when
 * there is one for the sources as they are, else `build`'s, kept for the next; `testFiles` (paths
 * from the repository's root) are the test sources `build` follows beside `ledger/` and the rest.
 */
export async function snapshotLedger(
  backend: Backend,
  name: string,
  testFiles: readonly string[],
  build: () => Promise<BuiltLedger>,
): Promise<BuiltLedger> {
  if (backend.name !== 'sqlite') return build();
  const file = join(CACHE, `sqlite-${name}-${snapshotKey(testFiles)}.db`);
  const copied = await copyOf(backend, file);
  if (copied) return copied;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const lock = `licbridge test sqlite snapshot ${name}`;
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [lock]);
    const meanwhile = await copyOf(backend, file);
    if (meanwhile) return meanwhile;
    const built = await build();
    // The rows are in the write-ahead log until a checkpoint: the file alone holds them after it.
    await built.k.raw('pragma wal_checkpoint(TRUNCATE)');
    keep(built.database.url.slice('sqlite://'.length), file, name);
    return built;
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
    await client.end();
  }
}

async function copyOf(backend: Backend, file: string): Promise<BuiltLedger | undefined> {
  if (!existsSync(file)) return undefined;
  const database = await backend.create();
  const target = database.url.slice('sqlite://'.length);
  try {
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  } catch {
    // Replaced meanwhile by a process that saw other sources: this one builds its own.
    await database.dispose();
    return undefined;
  }
  return { database, k: rawKnex(database.url) };
}

/** Copies `from` into the cache whole (another process may read it meanwhile); older ones of `name` go. */
function keep(from: string, file: string, name: string): void {
  mkdirSync(CACHE, { recursive: true });
  const partial = `${file}.${randomBytes(4).toString('hex')}`;
  copyFileSync(from, partial);
  renameSync(partial, file);
  for (const other of readdirSync(CACHE)) {
    if (other.startsWith(`sqlite-${name}-`) && join(CACHE, other) !== file) {
      rmSync(join(CACHE, other), { force: true });
    }
  }
}

function snapshotKey(testFiles: readonly string[]): string {
  const hash = createHash('sha256');
  const files = [
    ...SOURCE_FOLDERS.flatMap((folder) =>
      readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(folder, f)),
    ).sort(),
    ...testFiles,
    'test/ledger/sqlite-snapshot.ts',
    'package-lock.json',
  ];
  for (const f of files) {
    const text = readFileSync(join(ROOT, f));
    hash.update(`${f} ${text.length}\n`).update(text);
  }
  return hash.digest('hex').slice(0, 32);
}
