/**
 * What the simulated message gateway holds: every message it sent, the first answer to each
 * `Idempotency-Key` of a message it took (the newest `MAX_KEYS`), and its counters — in a SQLite database, in memory
 * unless a state file is given, so a gateway restarted between two ticks still answers a key it
 * has already sent under from memory instead of sending the reminder again. A message costs the
 * rows it adds, committed before its answer goes out; in memory nothing is committed (see
 * province/state-store.ts `save()`: a commit there walks the whole page cache).
 */
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { parseJsonText } from '../../../core/json-text.js';
import { type NonceStore, SqliteNonces } from '../nonce-store.js';
import type { ReceivedMessage } from './message-check.js';

export interface GatewayStats {
  requests: number;
  /** Messages processed and sent (first answer to their key). */
  sent: number;
  /** Requests answered from the idempotency memory: nothing sent again. */
  replays: number;
  refused: number;
  authFailures: number;
  faultsInjected: number;
}

export interface GatewayReply {
  status: number;
  body: Record<string, unknown>;
}

/** Keys remembered; the oldest is forgotten first (gateways keep keys for a day or so). */
export const MAX_KEYS = 100_000;

/** `meta.format` of a gateway's state file: a province simulator's file is refused, not mixed in. */
const FORMAT = 'gateway-1';

const META_TABLE =
  'CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID';
const SCHEMA = `
CREATE TABLE IF NOT EXISTS answers (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, reply TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
`;

const META_SQL = `INSERT INTO meta (name, value) VALUES (?, ?)
  ON CONFLICT (name) DO UPDATE SET value = excluded.value`;

function emptyStats(): GatewayStats {
  return { requests: 0, sent: 0, replays: 0, refused: 0, authFailures: 0, faultsInjected: 0 };
}

function prepare(db: Database.Database) {
  return {
    answer: db.prepare('SELECT reply FROM answers WHERE key = ?').pluck(),
    keep: db.prepare('INSERT OR IGNORE INTO answers (key, reply) VALUES (?, ?)'),
    forget: db.prepare('DELETE FROM answers WHERE seq <= ?'),
    send: db.prepare('INSERT INTO messages (body) VALUES (?)'),
    messages: db.prepare('SELECT body FROM messages ORDER BY seq').pluck(),
    meta: db.prepare(META_SQL),
  };
}

/** The state file's database, created owner-only when absent (it holds recipients: personal data). */
function openFile(file: string): Database.Database {
  try {
    closeSync(openSync(file, 'a', 0o600));
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      // WAL with NORMAL: a committed message survives the process dying; a power cut may lose the last.
      db.pragma('synchronous = NORMAL');
      // The format first: another simulator's file is refused before anything is added to it.
      db.exec(META_TABLE);
      checkFormat(db, file);
      db.exec(SCHEMA);
    } catch (e) {
      db.close();
      throw e;
    }
    return db;
  } catch (e) {
    if (e instanceof LicbridgeError) throw e;
    throw new LicbridgeError(ErrorCodes.INTERNAL, `gateway simulator: cannot open state file ${file}`, {
      cause: e,
    });
  }
}

function checkFormat(db: Database.Database, file: string): void {
  const format = db.prepare(`SELECT value FROM meta WHERE name = 'format'`).pluck().get() as
    | string
    | undefined;
  if (format === undefined) db.prepare(META_SQL).run('format', FORMAT);
  else if (format !== FORMAT) throw notGateway(file);
}

const notGateway = (file: string) =>
  new LicbridgeError(
    ErrorCodes.INTERNAL,
    `gateway simulator: state file ${file} is not a message gateway simulator's (another simulator's file?)`,
  );

export class GatewayState {
  readonly stats: GatewayStats = emptyStats();
  private db: Database.Database;
  private sql: ReturnType<typeof prepare>;
  private closed = false;

  constructor(private readonly file?: string) {
    if (file === undefined) {
      this.db = new Database(':memory:');
      this.db.exec(META_TABLE);
      this.db.exec(SCHEMA);
      // One transaction for the process's life: every read on this connection sees the writes.
      this.db.exec('BEGIN');
    } else {
      this.db = openFile(file);
      const saved = this.db.prepare(`SELECT value FROM meta WHERE name = 'stats'`).pluck().get() as
        | string
        | undefined;
      Object.assign(this.stats, parseJsonText(saved ?? '{}'));
    }
    this.sql = prepare(this.db);
  }

  private get q(): ReturnType<typeof prepare> {
    if (this.closed && this.file !== undefined && this.db.open === false) {
      // Reading what a stopped gateway held (tests do): the file again, read-only.
      this.db = new Database(this.file, { readonly: true, fileMustExist: true });
      this.sql = prepare(this.db);
    }
    return this.sql;
  }

  /** The first answer given to `key`, if it is still remembered. */
  answer(key: string): GatewayReply | undefined {
    const text = this.q.answer.get(key) as string | undefined;
    return text === undefined ? undefined : (parseJsonText(text) as GatewayReply);
  }

  /**
   * Keeps the answer to `key` and, when one was sent, its message — with the counters, all or
   * nothing, committed before this returns, so an answered key is never sent again. `count`
   * changes the counters; a write that fails puts them back and throws (answered 500), so a key
   * is never answered without its message, nor a message counted that was not kept.
   *
   * Only the answer to a message the gateway took (HTTP 200: sent, or taken and not deliverable)
   * is kept, as gateways keep the answers of requests they executed and the province platform's
   * memory does (../province/idempotency-cache.ts). A body refused before that (400) leaves the
   * key free: kept, the reminder sent again under it with a recipient corrected since was
   * answered the first refusal and never sent.
   */
  record(key: string, count: () => { reply: GatewayReply; message?: ReceivedMessage }): GatewayReply {
    const q = this.q;
    const before = { ...this.stats };
    // In memory the transaction the state lives in is never committed: better-sqlite3 makes this
    // one a savepoint inside it, released or rolled back on its own.
    const write = this.db.transaction(() => {
      const { reply, message } = count();
      if (reply.status === 200) {
        const { changes, lastInsertRowid } = q.keep.run(key, JSON.stringify(reply));
        if (changes > 0) q.forget.run(Number(lastInsertRowid) - MAX_KEYS);
      }
      if (message) q.send.run(JSON.stringify(message));
      if (this.file !== undefined) q.meta.run('stats', JSON.stringify(this.stats));
      return reply;
    });
    try {
      return write();
    } catch (e) {
      Object.assign(this.stats, before);
      throw e;
    }
  }

  /** The nonces seen by the gateway's authentication, kept in this state (see nonce-store.ts). */
  nonces(): NonceStore {
    return new SqliteNonces(this.db);
  }

  /** Every message sent, in order. */
  messages(): ReceivedMessage[] {
    return (this.q.messages.all() as string[]).map((b) => parseJsonText(b) as ReceivedMessage);
  }

  /** Writes the counters (some change without a message) and closes a state file; in memory, nothing. */
  close(): void {
    if (this.file === undefined) return;
    if (this.closed) {
      // A read-only copy opened to read a stopped gateway.
      if (this.db.open) this.db.close();
      return;
    }
    this.sql.meta.run('stats', JSON.stringify(this.stats));
    try {
      // Back to a rollback journal: the file alone is the whole state.
      this.db.pragma('journal_mode = DELETE');
    } catch {
      // Another connection has the file open (a second gateway on it): it stays a WAL database,
      // whole with its -wal file, and the last connection to close folds that in.
    }
    this.db.close();
    this.closed = true;
  }
}
