/**
 * Opens the ledger named by a URL and brings its schema up to date (unless told not to):
 * - `sqlite:///abs/path.db` (or `sqlite://./relative.db`, or `sqlite://:memory:`) — embedded, read
 *   by core/sqlite-ledger-url.ts (%-decoded, no query);
 * - `postgres://…` / `postgresql://…`, optionally `?schema=NAME` — production.
 * The database drivers are loaded by knex only when a URL of their kind is opened.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
// knex is CommonJS: under Node's ESM loader only its default export exists.
import knex, { type Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { type Logger, rootLogger } from '../core/logger.js';
import { readSqliteLedgerUrl } from '../core/sqlite-ledger-url.js';
import { tlsFailureKind } from '../core/tls.js';
import { explainTlsFailure } from '../core/tls-probe.js';
import { createDb, type Dialect } from './db.js';
import { KnexLedger } from './knex-ledger.js';
import type { Ledger } from './ledger.js';
import { appliedMigrations, pendingMigrations } from './migrate.js';
import { refuseMissingSqliteFile, refuseUnmigrated } from './pending-migrations.js';
import { withIsoDateStyle } from './pg-date-style.js';
import { type PgTimeouts, pgTimeouts } from './pg-timeouts.js';
import { wrapLedgerError } from './sql-errors.js';
import { configureSqliteConnection, type SqliteConnection } from './sqlite-connection.js';
import { fileWriteLock, noWriteLock } from './write-lock.js';

export interface OpenLedgerOptions {
  /** Parent logger; the ledger logs through a child with `component: ledger`. @defaultValue the root logger */
  logger?: Logger;
  /** How long a ledger call retries a lost connection or a busy database, ms (ledger/db.ts). @defaultValue `DEFAULT_RETRY_BUDGET_MS` */
  retryBudgetMs?: number;
  /** How long a SQLite write waits for another process's write lock before it is busy, ms. @defaultValue {@link DEFAULT_BUSY_TIMEOUT_MS} */
  busyTimeoutMs?: number;
  /** PostgreSQL: how long a statement, a connect or a wait for a pooled connection may take before the call fails and is retried, ms (./pg-timeouts.ts). @defaultValue {@link DEFAULT_QUERY_TIMEOUT_MS} */
  queryTimeoutMs?: number;
  /**
   * The zone whose calendar day a page committed without the day its rows were mapped on is
   * judged on (commit-page.ts): `lifecycle.timeZone`. @defaultValue `Asia/Shanghai` (core/local-date.ts `DEFAULT_TIME_ZONE`)
   */
  timeZone?: string;
  /** Whether to apply the migrations it lacks; `false` creates nothing (no schema, no SQLite file or folder) and refuses such a ledger (./pending-migrations.ts). @defaultValue true */
  migrate?: boolean;
}

/** `ledger.busyTimeoutMs` for a ledger opened without one; test/config/restated-defaults.test.ts holds them equal. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** `ledger.queryTimeoutMs` for a ledger opened without one; test/config/restated-defaults.test.ts holds them equal. */
export const DEFAULT_QUERY_TIMEOUT_MS = 60_000;

/** SQLite's default SQLITE_MAX_COMPOUND_SELECT; knex's multi-row inserts are compound selects. */
const SQLITE_MAX_COMPOUND_SELECT = 500;

/** PostgreSQL's wire protocol caps one statement at 65,535 bind parameters. */
const PG_MAX_PARAMS = 65_535;

interface Target {
  dialect: Dialect;
  config: Knex.Config;
  /** The SQLite file, or undefined for `:memory:` and PostgreSQL. */
  file?: string;
  schema?: string;
  /** PostgreSQL: the time limits on its statements. */
  timeouts?: PgTimeouts;
}

export async function openLedger(url: string, options: OpenLedgerOptions = {}): Promise<Ledger> {
  const log = (options.logger ?? rootLogger()).child({ component: 'ledger' });
  const target = parseLedgerUrl(
    url,
    options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
  );
  if (target.file) {
    if (options.migrate === false) refuseMissingSqliteFile(target.file);
    try {
      prepareSqliteFile(target.file, log);
    } catch (e) {
      throw sqliteFileError(target.file, e);
    }
  }
  // compileSqlOnError: false, as for the sources and the front databases: by default knex pastes
  // every bound value into a failed statement's message (a license's JSON, a holder's contacts, a
  // source key, an objection's note), and errors would carry personal data into logs and Redis.
  // SQLite's did; PostgreSQL's kept `$1` only because knex numbers the placeholders before it
  // pastes. SQL with its placeholders is kept, which names the statement that failed.
  const k = knex({ ...target.config, compileSqlOnError: false, log: knexLog(log) });
  try {
    const migrate = options.migrate !== false;
    if (target.schema && migrate) await createSchema(k, target.schema);
    const db = createDb({
      knex: k,
      dialect: target.dialect,
      maxParams: target.dialect === 'postgres' ? PG_MAX_PARAMS : await sqliteMaxParams(k),
      maxRows: target.dialect === 'postgres' ? Number.POSITIVE_INFINITY : SQLITE_MAX_COMPOUND_SELECT,
      log,
      exclusive: target.file ? fileWriteLock(target.file) : noWriteLock,
      ...(options.retryBudgetMs === undefined ? {} : { retryBudgetMs: options.retryBudgetMs }),
    });
    const ledger = new KnexLedger(db, target.schema, options.timeZone);
    if (migrate) await migrateLedger(ledger, k, target);
    else await refuseUnmigrated(k, target.schema);
    log.debug({ dialect: target.dialect, schema: target.schema }, 'ledger: open');
    return ledger;
  } catch (e) {
    await k.destroy().catch(() => undefined);
    if (tlsFailureKind(e) && target.dialect === 'postgres') {
      const explained = await explainTlsFailure(
        e,
        { connection: 'ledger', code: ErrorCodes.LEDGER },
        pgEndpoint(url),
      );
      if (explained) throw explained;
    }
    const code = (e as { code?: unknown }).code;
    if (
      target.file &&
      typeof code === 'string' &&
      /^SQLITE_(CANTOPEN|READONLY|IOERR|PERM|NOTADB)/.test(code)
    ) {
      throw sqliteFileError(target.file, e);
    }
    throw openError(e);
  }
}

/**
 * The ledger's error of a failed open, its code said once: wrapLedgerError puts the driver's code
 * before its message, and Node's file errors begin with theirs (`ENOENT: no such file or
 * directory, open '…'`, a PostgreSQL URL's `sslrootcert` naming no file), which read
 * `open failed: ENOENT: ENOENT: …`.
 */
function openError(e: unknown): LicbridgeError {
  const wrapped = wrapLedgerError('open', e);
  const once = wrapped.message.replace(/^(ledger: open failed: )(\w+): \2: /, '$1$2: ');
  if (once === wrapped.message) return wrapped;
  return new LicbridgeError(wrapped.code, once, {
    retryable: wrapped.retryable,
    context: wrapped.context,
    cause: e,
  });
}

/**
 * SQLite's "unable to open database file" names no file, and the folder's troubles (not a
 * folder, not writable, no shared memory for the `-wal` and `-shm` files beside the database on
 * a network file system) surface as the same few codes: say which file, and what it needs.
 */
function sqliteFileError(file: string, e: unknown): LicbridgeError {
  const detail = e instanceof Error ? openError(e).message.replace(/^ledger: open failed: /, '') : String(e);
  return new LicbridgeError(
    ErrorCodes.LEDGER,
    `ledger: open failed: SQLite file ${file}: ${detail}; the path must name a file in a local folder this user can write (SQLite keeps its -wal and -shm files beside it)`,
    { cause: e },
  );
}

function parseLedgerUrl(url: string, busyTimeoutMs: number, queryTimeoutMs: number): Target {
  // A relative file is taken against the working folder: the config loader made its own absolute.
  const sqlite = readSqliteLedgerUrl(url);
  if (sqlite !== undefined) {
    if ('problem' in sqlite)
      throw new LicbridgeError(ErrorCodes.CONFIG_INVALID, `ledger: open failed: ${sqlite.problem}`);
    return sqliteTarget('file' in sqlite ? sqlite.file : undefined, busyTimeoutMs);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return postgresTarget(url, queryTimeoutMs);
  // Show the scheme only: the rest of a URL may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
  throw new LicbridgeError(
    ErrorCodes.LEDGER,
    `ledger: open failed: expected a URL starting with sqlite://, postgres:// or postgresql://, got \`${scheme}\``,
  );
}

/** `file` undefined: `sqlite://:memory:`. */
function sqliteTarget(file: string | undefined, busyTimeoutMs: number): Target {
  return {
    dialect: 'sqlite',
    ...(file ? { file } : {}),
    config: {
      client: 'better-sqlite3',
      connection: { filename: file ?? ':memory:' },
      useNullAsDefault: true,
      pool: {
        // One connection per ledger (knex's SQLite default), set up as it is created.
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          try {
            configureSqliteConnection(conn, busyTimeoutMs);
            done(null, conn);
          } catch (e) {
            done(e as Error, conn);
          }
        },
      },
    },
  };
}

/**
 * TLS of a PostgreSQL ledger comes from the URL, as libpq's: `sslmode=verify-full` (or `require`,
 * `verify-ca`: node-postgres verifies the certificate and host name for all three) with
 * `sslrootcert=/path/ca.pem`, and `sslcert`/`sslkey` for a client certificate. `sslmode=no-verify`
 * is the one way to skip verification; config check and status flag it.
 */
function pgEndpoint(url: string) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432), startTls: 'postgres' as const };
}

/**
 * node-postgres reads `sslrootcert` into `ssl.ca` as it is; an empty file (or `sslrootcert=` with
 * nothing) gives `ca: ''`, which Node reads as no `ca`: the public roots are trusted instead of
 * the one CA the URL names, as for an empty `tls.ca` (core/tls.ts trustedCa). A file that cannot
 * be read is left to the driver, whose error names it.
 */
function refuseEmptyRootCert(file: string | null): void {
  if (file === null) return;
  let text: string | undefined;
  if (file.trim() !== '') {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
  }
  if (text !== undefined && text.trim() !== '') return;
  const got = text === undefined ? 'no file' : `\`${file}\`, an empty file`;
  throw new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `ledger: open failed: expected \`sslrootcert\` to name a file of PEM CA certificates, got ${got}; left so, the connection would trust the public roots instead of that CA`,
  );
}

function postgresTarget(url: string, queryTimeoutMs: number): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: open failed: the postgres URL does not parse', {
      cause: e,
    });
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new LicbridgeError(
      ErrorCodes.LEDGER,
      `ledger: open failed: expected \`schema\` to be a plain SQL identifier (letters, digits, _), got \`${schema.slice(0, 70)}\``,
    );
  }
  refuseEmptyRootCert(parsed.searchParams.get('sslrootcert'));
  const timeouts = pgTimeouts(queryTimeoutMs);
  return {
    dialect: 'postgres',
    ...(schema ? { schema } : {}),
    timeouts,
    config: {
      client: 'pg',
      // node-postgres reads the URL as it read it alone; the object carries the timeouts beside it.
      connection: { connectionString: parsed.toString(), ...timeouts.connection },
      ...(schema ? { searchPath: [schema] } : {}),
      // Each session prints timestamps as node-postgres reads them, whatever the server,
      // database or role sets (./pg-date-style.ts).
      pool: { min: 0, max: 10, ...timeouts.pool, afterCreate: withIsoDateStyle(timeouts.pool.afterCreate) },
      acquireConnectionTimeout: timeouts.acquireConnectionTimeout,
    },
  };
}

/**
 * Migrates the ledger. Applying migrations may take long (an index built over a whole table), so
 * their statements run without `queryTimeoutMs`; a ledger already up to date (every start of a
 * run or worker) keeps it, so a silent database fails the start instead of hanging it.
 */
async function migrateLedger(ledger: KnexLedger, k: Knex, target: Target): Promise<void> {
  const timeouts = target.timeouts;
  if (!timeouts) return ledger.migrate();
  if (pendingMigrations(await appliedMigrations(k, target.schema)).length === 0) return ledger.migrate();
  return timeouts.unbounded(() => ledger.migrate());
}

/**
 * The SQLite ledger holds holder names and credit codes, so it is owner-only. Folders licbridge
 * creates are 0700 and a new database file is created 0600 before SQLite opens it; SQLite gives
 * its `-wal` and `-shm` files the mode of the database file, so they are owner-only too. An
 * existing file keeps the mode its owner gave it, but a file others can read is reported.
 */
function prepareSqliteFile(file: string, log: Logger): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    // 'a' creates without truncating, should another process create it in between.
    closeSync(openSync(file, 'a', 0o600));
    // openSync's mode passes through the umask, which can only take bits away; say it exactly.
    chmodSync(file, 0o600);
    return;
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    log.warn(
      { mode: mode.toString(8) },
      'ledger: the SQLite file can be read by other users; it holds personal data, make it owner-only (chmod 600, also its -wal and -shm files)',
    );
  }
}

async function createSchema(k: Knex, schema: string): Promise<void> {
  // PostgreSQL checks the right to create schemas in the database before it looks whether the
  // schema exists, so `create schema if not exists` failed (42501) for a ledger role given only
  // its own schema, as least privilege has it: create only what is missing.
  const found: { rows: unknown[] } = await k.raw('select 1 from pg_namespace where nspname = ?', [schema]);
  if (found.rows.length > 0) return;
  try {
    await k.raw('create schema if not exists ??', [schema]);
  } catch (e) {
    // Two processes creating the schema at once: the loser sees the catalog's unique violation.
    if ((e as { code?: unknown }).code !== '23505') throw e;
  }
}

/**
 * knex prints its own warnings (and failed migrations, with their SQL) to the console; route them
 * through our logger instead. They carry SQL text and knex's words, never bound values: a failed
 * statement's message holds its SQL with placeholders only, as `compileSqlOnError` is off.
 */
function knexLog(log: Logger): Knex.Config['log'] {
  const text = (m: unknown): string =>
    typeof m === 'string' ? m : m instanceof Error ? m.message : 'knex message';
  return {
    warn: (m: unknown) => {
      const detail = text(m);
      // knex's words for a migration lock it could not take: another process is migrating (or, on
      // SQLite, writing), and migrate.ts waits for it, logs the wait and says what to clear if it
      // never ends. Its advice to run `knex migrate:unlock`, a command licbridge does not have,
      // would have an operator clear the lock of a migration still running.
      if (/^If you are sure migrations are not running/.test(detail)) return;
      if (/^Can't take lock to run migrations/.test(detail)) {
        log.debug({ detail }, 'ledger: knex warning');
        return;
      }
      log.warn({ detail }, 'ledger: knex warning');
    },
    error: (m: unknown) => log.error({ detail: text(m) }, 'ledger: knex error'),
    deprecate: (m: unknown) => log.warn({ detail: text(m) }, 'ledger: knex deprecation'),
    debug: (m: unknown) => log.debug({ detail: text(m) }, 'ledger: knex debug'),
  };
}

/** SQLite before 3.32 allowed 999 bind parameters per statement; from 3.32 on, 32,766. */
async function sqliteMaxParams(k: Knex): Promise<number> {
  const rows: { v: string }[] = await k.raw('select sqlite_version() as v');
  const [major = 0, minor = 0] = (rows[0]?.v ?? '0.0').split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 32) ? 32_766 : 999;
}
