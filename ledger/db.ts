/**
 * The ledger's internal handle on its database: the knex instance, which dialect it speaks, how
 * many bind parameters one statement may carry, and how write transactions are run. Internal to
 * `ledger/`; nothing outside this folder sees a knex type.
 */
import type { Knex } from 'knex';
import { isLicbridgeError } from '../core/errors.js';
import { parseJsonText } from '../core/json-text.js';
import type { Logger } from '../core/logger.js';
import { commitInDoubt, isConflictDbError, isRetryableDbError, wrapLedgerError } from './sql-errors.js';
import { SQLITE_CACHED_PARAMS_MAX } from './sqlite-connection.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly knex: Knex;
  readonly dialect: Dialect;
  /** Bind parameters one statement may carry; batched inserts and `IN` lists are chunked to it. */
  readonly maxParams: number;
  /**
   * Rows one multi-row insert may carry. knex writes a SQLite multi-row insert as
   * `SELECT … UNION ALL SELECT …`, and SQLite caps a compound select at 500 terms; the inserts
   * written as `values (…), (…)` text (values-insert.ts) keep the same pages of rows.
   */
  readonly maxRows: number;
  readonly log: Logger;
  /**
   * Runs `work` in one write transaction. On SQLite, writers in this process are serialised per
   * database file first (see write-lock.ts), and `work` must start with a write statement so the
   * transaction takes SQLite's write lock before it reads anything.
   */
  write<T>(op: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /** Runs `work` holding this process's write lock for the database, outside any transaction. */
  exclusive<T>(op: string, work: () => Promise<T>): Promise<T>;
  /**
   * Runs a read, turning driver errors into `LicbridgeError`s, on a connection of its own. Never
   * called inside `write`'s work (read through its `trx` there): it would hold the write's
   * connection while it waits for a second one, and with as many such writes at once as the pool
   * has connections none is ever handed back (each call then waits out the pool's acquire timeout).
   * Not routed onto the open write by async context: that would put async hooks on every promise
   * of the process (~20 % of a query's CPU) for a case no ledger call makes.
   */
  read<T>(op: string, work: (k: Knex) => Promise<T>): Promise<T>;
}

export interface CreateDbOptions {
  knex: Knex;
  dialect: Dialect;
  maxParams: number;
  maxRows: number;
  log: Logger;
  /** Serialises writers that share one database file in this process; identity for PostgreSQL. */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * How long `read` and `write` retry an error that may pass (connection lost, database busy)
   * before failing, ms. @defaultValue {@link DEFAULT_RETRY_BUDGET_MS}
   */
  retryBudgetMs?: number;
}

/**
 * The retry budget of a ledger opened without one (tools and tests; a run passes the config's
 * `ledger.retryBudgetMs`, always set). The ledger may not import config (docs/architecture.md),
 * so this equals the schema's default, and test/config/restated-defaults.test.ts holds them equal.
 */
export const DEFAULT_RETRY_BUDGET_MS = 120_000;

/** First and longest pause between two tries of a ledger call, ms. */
const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 5000;

/**
 * Runs `attempt` again while it fails with an error that may pass, for up to `budgetMs`, with
 * jittered exponential pauses — as BullMQ rides out a Redis outage. Only whole units are retried:
 * a read, or a write transaction, which the database rolled back when the connection broke.
 * (A connection lost during COMMIT itself leaves the outcome unknown: on PostgreSQL the next try
 * asks the server whether it committed, see {@link pgWrite}; an embedded SQLite has no
 * connection to lose.)
 */
async function retrying<T>(op: string, budgetMs: number, log: Logger, attempt: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (e) {
      // Errors of our own (a caller's check inside a transaction) are not the database's to retry.
      const elapsed = Date.now() - started;
      if (isLicbridgeError(e) || !isRetryableDbError(e) || elapsed >= budgetMs) throw wrapLedgerError(op, e);
      const pause = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (tries - 1)) * (0.5 + Math.random() / 2);
      // One line on the first failure and then every tenth: an outage is visible, not a flood. A
      // conflict with another transaction is told apart: the ledger answered.
      if (tries === 1 || tries % 10 === 0) {
        log.warn(
          { op, tries, elapsedMs: elapsed, error: wrapLedgerError(op, e).message },
          isConflictDbError(e)
            ? 'ledger: a transaction met another (a deadlock or a lock it waited for); retrying'
            : 'ledger: unavailable; retrying',
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(1, budgetMs - elapsed))));
    }
  }
}

/**
 * One PostgreSQL write transaction as `retrying` tries it. A connection lost after COMMIT was sent
 * leaves the outcome unknown: the server may have committed and only its answer was lost. Run
 * again, an insert of a row without a natural key (an objection, a dead-letter action, an audit
 * entry) was written twice. So each transaction notes its id first, and the try after a lost
 * COMMIT asks the server what became of it (`txid_status`): committed gives back what `work`
 * returned, aborted runs it again, still in progress waits as a busy database does (a session left
 * idle in it by a lost connection is ended first, see {@link endAbandoned}).
 *
 * A try that failed before COMMIT (a statement not answered within `ledger.queryTimeoutMs`, a
 * connection reset by a firewall) rolled nothing forward, but on a network that drops packets the
 * server never hears of it: its session sits idle in the transaction holding its row locks, and
 * every later try waited on them until its own statements timed out. Each try first ends such
 * sessions of the tries before it.
 */
function pgWrite<T>(knex: Knex, work: (trx: Knex.Transaction) => Promise<T>): () => Promise<T> {
  let inDoubt: { tx: PgTry; result: T } | undefined;
  /** Transactions of earlier tries that failed before COMMIT; one may still hold its locks. */
  const abandoned: PgTry[] = [];
  return async () => {
    if (abandoned.length > 0) await endAbandoned(knex, abandoned);
    if (inDoubt) {
      const rows: { rows: { status: string | null }[] } = await knex.raw(
        'select txid_status(?::bigint) as status',
        [inDoubt.tx.xid],
      );
      const status = rows.rows[0]?.status ?? null;
      if (status === 'committed') return inDoubt.result;
      if (status === 'in progress') {
        await endAbandoned(knex, [inDoubt.tx]);
        throw commitInDoubt();
      }
      // Aborted (or, for an id far too old to be this one, unknown): nothing of it stands.
      inDoubt = undefined;
    }
    let tx: PgTry | undefined;
    let result: { value: T } | undefined;
    try {
      return await knex.transaction(async (trx) => {
        const ids: { rows: PgTry[] } = await trx.raw(
          'select txid_current()::text as xid, pg_backend_pid() as pid, pg_postmaster_start_time()::text as server',
        );
        tx = ids.rows[0];
        const value = await work(trx);
        result = { value };
        return value;
      });
    } catch (e) {
      // `work` finished, so the failure came with COMMIT; any other failure rolled back.
      if (result && tx !== undefined && isRetryableDbError(e)) inDoubt = { tx, result: result.value };
      else if (tx !== undefined && isRetryableDbError(e)) abandoned.push(tx);
      throw e;
    }
  };
}

/**
 * One try's transaction as the server named it: its id, and the session (its process id on that
 * server, and when that server started) that ran it.
 */
export interface PgTry {
  readonly xid: string;
  readonly pid: number;
  readonly server: string;
}

/**
 * Ends the sessions of transactions whose connections this process lost before their COMMIT arrived.
 * A network that drops packets leaves the server's side open: the session sits idle in its
 * transaction, "in progress" and holding its locks, until TCP keepalive gives up (two hours by
 * default), so waiting for it outlasted any retry budget. Idle in the transaction, it has not
 * received COMMIT and cannot now (its client is gone), so ending it loses nothing and settles it
 * as aborted. A session still working on COMMIT (`active`: writing, or waiting for a synchronous
 * standby) is left alone. Signalling a session of the same role needs no grant; if it is refused
 * anyway, the call waits as before.
 */
export async function endAbandoned(knex: Knex, tries: readonly PgTry[]): Promise<void> {
  try {
    // A transaction id alone may name another's transaction: a standby promoted before the old
    // primary's last WAL reached it hands those ids out again. So the session must also be the one
    // that ran the try (its pid) on the server that ran it (that server's start time); the id,
    // unique among transactions in progress, keeps a pid reused since from matching.
    await knex.raw(
      `select pg_terminate_backend(a.pid) from pg_stat_activity a
         join json_to_recordset(?::json) as t(xid bigint, pid int, server timestamptz) on t.pid = a.pid
        where a.backend_xid = (t.xid % 4294967296)::text::xid
          and t.server = pg_postmaster_start_time()
          and a.state in ('idle in transaction', 'idle in transaction (aborted)')`,
      [JSON.stringify(tries)],
    );
  } catch {
    // Not allowed, or the server is away again: the next try asks once more.
  }
}

export function createDb(options: CreateDbOptions): Db {
  const { knex, exclusive } = options;
  const budgetMs = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  return {
    knex,
    dialect: options.dialect,
    maxParams: options.maxParams,
    maxRows: options.maxRows,
    log: options.log,
    write(op, work) {
      if (options.dialect === 'postgres') return retrying(op, budgetMs, options.log, pgWrite(knex, work));
      return retrying(op, budgetMs, options.log, () => exclusive(() => knex.transaction((trx) => work(trx))));
    },
    async exclusive(op, work) {
      try {
        return await exclusive(work);
      } catch (e) {
        throw wrapLedgerError(op, e);
      }
    },
    read(op, work) {
      return retrying(op, budgetMs, options.log, () => work(knex));
    },
  };
}

/** Splits `items` into slices small enough that `perItem` parameters each fit one statement. */
export function chunk<T>(items: readonly T[], maxParams: number, perItem = 1): T[][] {
  return slices(items, Math.floor(maxParams / perItem));
}

/**
 * Slices of rows for multi-row inserts of `columns` columns each. On SQLite, the rows past the
 * last full slice go in slices of powers of two (491 rows: 256, 128, 64, 32, 8, 2, 1), so an
 * insert's text is one of a few whatever a page holds, and the connection keeps the small ones
 * compiled (cacheStatements in sqlite-connection.ts, which leaves out texts past
 * SQLITE_CACHED_TEXT_MAX): a page whose count of new rows differs from the last page's had a text
 * of its own.
 */
export function rowChunks<T>(db: Db, rows: readonly T[], columns: number): T[][] {
  const max = Math.max(1, Math.min(db.maxRows, Math.floor(db.maxParams / columns)));
  if (db.dialect !== 'sqlite') return slices(rows, max);
  const out: T[][] = [];
  let at = 0;
  for (; rows.length - at >= max; at += max) out.push(rows.slice(at, at + max));
  // What is left is fewer than `max`, which is less than twice `size`: its binary digits.
  for (let size = 2 ** Math.floor(Math.log2(max)); at < rows.length; size /= 2) {
    if (rows.length - at < size) continue;
    out.push(rows.slice(at, at + size));
    at += size;
  }
  return out;
}

/**
 * The lengths a SQLite `IN (…)` list is padded to (inLists), and the rows of an insert that may
 * repeat one (paddedRowChunks): a few texts per statement, whatever a page holds.
 */
const SQLITE_LIST_LENGTHS = [8, 32, 128, 512, 2048] as const;

/**
 * Slices of `ids` for `IN (…)` lists, `reserved` parameters of each statement left to its other
 * bindings. On SQLite a slice is padded to the next of SQLITE_LIST_LENGTHS by repeating its last
 * id: `x in (a, b, b)` selects what `x in (a, b)` does, and the statement's text is one of a few,
 * which the connection keeps compiled (cacheStatements in sqlite-connection.ts). A page's lists
 * hold its versions less its quarantined rows, a count of its own nearly every page, and each
 * such text was compiled again (bench/pipeline.ts `--sql-stats`). A slice longer than the last
 * length is left as it is: its text is past what the connection keeps anyway.
 */
export function inLists<T>(db: Db, ids: readonly T[], reserved = 1): T[][] {
  const max = db.maxParams - reserved;
  const parts = slices(ids, max);
  if (db.dialect !== 'sqlite') return parts;
  // Never past the statement's bind limit: a list that fills it is one text already.
  const length = (n: number) => SQLITE_LIST_LENGTHS.find((l) => l >= n && l <= max);
  return parts.map((part) => padded(part, length(part.length)));
}

/**
 * Slices of rows for a SQLite multi-row insert whose every row is a no-op a second time in the
 * same statement (`on conflict … do nothing` over a key the row holds): each slice is padded to
 * the next of SQLITE_LIST_LENGTHS below the slice's bound (else to the bound) by repeating its last
 * row, so the insert's text is one of a few and stays compiled; the copy finds the row it repeats
 * and writes nothing. No slice holds more parameters than the connection keeps compiled
 * (SQLITE_CACHED_PARAMS_MAX), nor more rows than `db.maxRows`. Other dialects: rowChunks' slices.
 */
export function paddedRowChunks<T>(db: Db, rows: readonly T[], columns: number): T[][] {
  if (db.dialect !== 'sqlite') return rowChunks(db, rows, columns);
  const params = Math.min(db.maxParams, SQLITE_CACHED_PARAMS_MAX);
  const bound = Math.max(1, Math.min(db.maxRows, Math.floor(params / columns)));
  // Full slices of `bound` rows; the rest padded to a length below it, else to `bound` too.
  const length = (n: number) => SQLITE_LIST_LENGTHS.find((l) => l >= n && l < bound) ?? bound;
  return slices(rows, bound).map((part) => padded(part, length(part.length)));
}

/** `part` with its last item repeated up to `length` (a copy); as it is without a length. */
function padded<T>(part: T[], length: number | undefined): T[] {
  if (length === undefined || part.length >= length || part.length === 0) return part;
  const last = part[part.length - 1] as T;
  const out = part.slice();
  while (out.length < length) out.push(last);
  return out;
}

function slices<T>(items: readonly T[], max: number): T[][] {
  const size = Math.max(1, max);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Timestamps are always written as ISO-8601 UTC text. PostgreSQL stores them in `timestamptz`
 * columns and hands back `Date`s; SQLite keeps the text, which sorts in time order. Readers go
 * through `toDate` so both backends give callers a `Date`.
 */
/** The rows of a `knex.raw` answer: PostgreSQL's driver answers `{ rows }`, better-sqlite3 the rows themselves. */
export function rawRows<T>(res: unknown): T[] {
  return (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  throw new TypeError(`ledger: expected a timestamp, got ${typeof value}`);
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** PostgreSQL returns `bigint` and `count(*)` as strings; SQLite as numbers. */
export function toInt(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new TypeError(`ledger: expected an integer, got ${typeof value}`);
  return n;
}

/** A copy as a plain `Uint8Array`, whatever the driver returned (a `Buffer` on both backends). */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  throw new TypeError(`ledger: expected bytes, got ${typeof value}`);
}

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A column's JSON text parsed. Text that does not parse fails without quoting it (core/json-text.ts):
 * the columns hold licenses, lineages and receipts, and the failure travels as a cause into logs.
 */
export function parseJson<T>(value: unknown): T {
  if (typeof value !== 'string') throw new TypeError(`ledger: expected JSON text, got ${typeof value}`);
  return parseJsonText(value) as T;
}

/**
 * Caps free text we store (error messages) so a driver's long message cannot bloat a row. The cut
 * keeps whole characters: one outside the BMP (a rare name character) that would be cut in half is
 * left out whole, as a half is no character (core/lone-surrogate.ts).
 */
export function truncate(text: string, max = 500): string {
  if (text.length <= max) return text;
  let end = max - 3;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}...`;
}
