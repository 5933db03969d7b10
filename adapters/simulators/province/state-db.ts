/**
 * The simulators' state file: a SQLite database (one row per accepted key, one per license held,
 * the first answer to each `Idempotency-Key`, the counters; and the nonces of fresh requests, a
 * table nonce-store.ts keeps). A batch changes a few rows, so saving
 * it costs what the batch changed, not what the platform holds — the JSON file this replaced was
 * rewritten whole after every batch (90 MB per write at 60,000 licenses).
 *
 * A JSON state file of the earlier format (`{"format":1,"entries":[…]}`) still loads: it is
 * converted into a database beside it and renamed over it, so the path stays the same.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { jsonSyntaxError, parseJsonText } from '../../../core/json-text.js';
import type { SimulatorStats, StoredLicense } from './state-store.js';

/** `meta.format` of the database; 1 was the JSON file. */
export const STATE_DB_FORMAT = 2;

/** The state in the shape of a format-1 JSON file: what tests and tools read and write. */
export interface StateSnapshot {
  format: 1;
  nextPlatformSeq: number;
  stats: SimulatorStats;
  entries: StoredLicense[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- seq keeps acceptance order; identifier and number are zzbs and zzbh, for GET /licenses.
CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  license_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  identifier TEXT,
  number TEXT,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_license ON entries (license_id, version);
CREATE INDEX IF NOT EXISTS entries_identifier ON entries (identifier);
CREATE TABLE IF NOT EXISTS holdings (
  license_id TEXT PRIMARY KEY,
  platform_id TEXT NOT NULL,
  latest_version INTEGER NOT NULL,
  latest_key TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS replies (
  seq INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  body_hash TEXT NOT NULL,
  reply TEXT NOT NULL
);
`;

const SQLITE_MAGIC = 'SQLite format 3\0';

/** What the file holds: nothing yet, a database, or something else (a JSON file, or garbage). */
function fileKind(file: string): 'absent' | 'empty' | 'sqlite' | 'other' {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw new LicbridgeError(ErrorCodes.INTERNAL, `simulator: cannot read state file ${file}`, { cause: e });
  }
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n === 0) return 'empty';
    return n === 16 && head.toString('latin1') === SQLITE_MAGIC ? 'sqlite' : 'other';
  } finally {
    closeSync(fd);
  }
}

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // WAL with NORMAL: a committed batch survives the simulator process dying (what tests and demos
  // do to it); only a power cut may lose the last commits. FULL would fsync every batch.
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
}

function checkFormat(db: Database.Database, file: string): void {
  const row = db.prepare(`SELECT value FROM meta WHERE name = 'format'`).get() as
    | { value: string }
    | undefined;
  if (row === undefined) {
    db.prepare(`INSERT INTO meta (name, value) VALUES ('format', ?)`).run(String(STATE_DB_FORMAT));
  } else if (row.value !== String(STATE_DB_FORMAT)) {
    throw new LicbridgeError(
      ErrorCodes.INTERNAL,
      `simulator: state file ${file} has format ${row.value}; this version reads format ${STATE_DB_FORMAT}`,
    );
  }
}

/** An in-memory database when `file` is undefined; else the file's, created or converted as needed. */
export async function openStateDatabase(file: string | undefined): Promise<Database.Database> {
  if (file === undefined) {
    const db = new Database(':memory:');
    // Storing an accepted entry (~1.1 KB, four b-trees) was a third of the simulator's CPU, most of
    // it SQLite getting, splitting and releasing pages: 3 entries fit a 4 KB page, ~55 a 64 KB one.
    // Set before the first table, as SQLite requires; the rows are the same. 50,000 entries of a
    // bench run, stored as handleBatch does: 50.5 -> 38 µs an entry. A file keeps SQLite's default.
    db.pragma('page_size = 65536');
    db.exec(SCHEMA);
    checkFormat(db, ':memory:');
    return db;
  }
  const kind = fileKind(file);
  if (kind === 'other') await convertJsonState(file);
  if (kind === 'absent') {
    // Owner-only from the start (SQLite gives its -wal and -shm files the same mode): the
    // entries are licenses as delivered, holder names and ids included.
    closeSync(openSync(file, 'a', 0o600));
  }
  try {
    const db = new Database(file);
    try {
      configure(db);
      checkFormat(db, file);
    } catch (e) {
      db.close();
      throw e;
    }
    return db;
  } catch (e) {
    if (e instanceof LicbridgeError) throw e;
    throw new LicbridgeError(ErrorCodes.INTERNAL, `simulator: cannot open state file ${file}`, { cause: e });
  }
}

async function parseJsonState(file: string): Promise<StateSnapshot> {
  const text = await readFile(file, 'utf8');
  let state: StateSnapshot;
  try {
    state = JSON.parse(text) as StateSnapshot;
  } catch (e) {
    // Starting empty would silently forget accepted keys and hide duplicates; refuse instead. The
    // parser's own error quotes the file's text, the licenses held: the cause keeps its position.
    throw new LicbridgeError(
      ErrorCodes.INTERNAL,
      `simulator: state file ${file} is not JSON, nor a simulator database`,
      { cause: jsonSyntaxError(e, text.length) },
    );
  }
  if (state?.format !== 1 || !Array.isArray(state.entries)) {
    throw new LicbridgeError(ErrorCodes.INTERNAL, `simulator: state file ${file} has an unknown format`);
  }
  return state;
}

/** Replaces a format-1 JSON file with a database holding the same state, atomically (tmp, rename). */
async function convertJsonState(file: string): Promise<void> {
  const state = await parseJsonState(file);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  closeSync(openSync(tmp, 'w', 0o600));
  try {
    const db = new Database(tmp);
    try {
      db.exec(SCHEMA);
      checkFormat(db, tmp);
      writeSnapshot(db, state);
    } finally {
      db.close();
    }
    // A -wal or -shm left by an earlier database at this path belongs to that database.
    await Promise.all(['-wal', '-shm'].map((s) => rm(file + s, { force: true })));
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new LicbridgeError(ErrorCodes.INTERNAL, `simulator: cannot convert JSON state file ${file}`, {
      cause: e,
    });
  }
}

function writeSnapshot(db: Database.Database, state: StateSnapshot): void {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO entries (key, license_id, version, identifier, number, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const hold = db.prepare(HOLD_SQL);
  const meta = db.prepare(META_SQL);
  db.transaction(() => {
    for (const e of state.entries) {
      insert.run(...entryColumns(e));
      hold.run(e.licenseId, e.platformId, e.version, e.key);
    }
    meta.run('nextPlatformSeq', String(state.nextPlatformSeq ?? 1));
    meta.run('stats', JSON.stringify(state.stats ?? {}));
  })();
}

/** Upserts a holding unless it already holds a higher version (a late, lower version never replaces it). */
export const HOLD_SQL = `INSERT INTO holdings (license_id, platform_id, latest_version, latest_key)
  VALUES (?, ?, ?, ?)
  ON CONFLICT (license_id) DO UPDATE SET platform_id = excluded.platform_id,
    latest_version = excluded.latest_version, latest_key = excluded.latest_key
  WHERE excluded.latest_version >= holdings.latest_version`;

export const META_SQL = `INSERT INTO meta (name, value) VALUES (?, ?)
  ON CONFLICT (name) DO UPDATE SET value = excluded.value`;

export function entryColumns(
  e: StoredLicense,
): [string, string, number, string | null, string | null, string] {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return [e.key, e.licenseId, e.version, text(e.license?.zzbs), text(e.license?.zzbh), JSON.stringify(e)];
}

/** The statements a state store runs, prepared once per database. */
export type StateStatements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
  return {
    entry: db.prepare('SELECT body FROM entries WHERE key = ?').pluck(),
    // The platform id as JSON text (`->`): json_extract would give an object as its text.
    platformId: db.prepare(`SELECT body -> '$.platformId' AS platformId FROM entries WHERE key = ?`),
    holding: db.prepare(
      'SELECT license_id, platform_id, latest_version, latest_key FROM holdings WHERE license_id = ?',
    ),
    insert: db.prepare(
      'INSERT INTO entries (key, license_id, version, identifier, number, body) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    hold: db.prepare(HOLD_SQL),
    meta: db.prepare(META_SQL),
    all: db.prepare('SELECT body FROM entries ORDER BY seq').pluck(),
    versions: db.prepare('SELECT body FROM entries WHERE license_id = ? ORDER BY version, seq').pluck(),
    current: db
      .prepare(
        `SELECT e.body FROM holdings h JOIN entries e ON e.key = h.latest_key
         WHERE h.license_id > ? ORDER BY h.license_id LIMIT ?`,
      )
      .pluck(),
    reply: db.prepare('SELECT body_hash, reply FROM replies WHERE key = ?'),
    keepReply: db.prepare('INSERT OR IGNORE INTO replies (key, body_hash, reply) VALUES (?, ?, ?)'),
    forgetReplies: db.prepare('DELETE FROM replies WHERE seq <= ?'),
  };
}

/** An existing state database, read-only. */
export function openStateReadOnly(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/**
 * Everything a state file holds, as a format-1 snapshot (entries in acceptance order), from a
 * database or a JSON file alike. For tests and tools that inspect or edit what a stopped
 * simulator held: edit the snapshot, write it as JSON to the same path, and the next start loads it.
 */
export async function readSimulatorState(file: string): Promise<StateSnapshot> {
  if (fileKind(file) !== 'sqlite') return parseJsonState(file);
  const db = openStateReadOnly(file);
  try {
    const meta = new Map(
      (db.prepare('SELECT name, value FROM meta').all() as { name: string; value: string }[]).map((r) => [
        r.name,
        r.value,
      ]),
    );
    const entries = (db.prepare('SELECT body FROM entries ORDER BY seq').pluck().all() as string[]).map(
      (b) => parseJsonText(b) as StoredLicense,
    );
    return {
      format: 1,
      nextPlatformSeq: Number(meta.get('nextPlatformSeq') ?? 1),
      stats: parseJsonText(meta.get('stats') ?? '{}') as SimulatorStats,
      entries,
    };
  } finally {
    db.close();
  }
}
