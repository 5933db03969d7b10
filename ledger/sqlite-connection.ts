/**
 * How each SQLite ledger connection is set up (ledger/open-ledger.ts opens them): its pragmas and
 * the statements it keeps compiled; and a page's large statements run on a transaction's
 * connection without knex's raw (runOnSqliteTransaction).
 */
import type { Knex } from 'knex';

/**
 * Sets up one SQLite ledger connection as it is created: WAL lets readers run beside the writer;
 * busy_timeout makes another process's writer wait for the lock instead of failing; foreign keys
 * are off in SQLite unless asked for.
 */
export function configureSqliteConnection(conn: SqliteConnection, busyTimeoutMs: number): void {
  cacheStatements(conn);
  // Pages of 16 KiB for a new file (a no-op on one that has tables: SQLite changes the page size
  // only by VACUUM, never in WAL mode). A version row is ~1.3 KB: on the default 4 KiB pages two
  // or three fit with the rest left empty, ~25 % of the table. Set before WAL, which fixes the
  // page size once the file is created.
  conn.pragma('page_size = 16384');
  conn.pragma('journal_mode = WAL');
  // The WAL is checkpointed at SQLite's default, every 1,000 pages (16 MiB here): a COMMIT's CPU
  // goes to writing its frames and syncing them, not to copying them back into the file. The
  // ledger's COMMIT took 32 µs of CPU a license with a checkpoint every 1,000 pages, 32 every 8,192
  // and 33 with none at all, while the WAL grew to 21, 139 and 198 MB (bench/pipeline.ts, 20,000
  // rows). What it writes is what costs: ~10 KB of frames a license, two fifths of them leaf pages
  // of the indexes by license id, which a page's licenses reach all over.
  // Every commit synced to disk before it returns, also on a file opened again: better-sqlite3
  // is built to open a file already in WAL mode with synchronous=NORMAL, where a power cut can
  // undo the last commits (a delivery the platform holds, its audit entries), while the run that
  // created the file ran FULL. One rule for every run: a commit that returned is on disk.
  conn.pragma('synchronous = FULL');
  conn.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  // A 16 MiB page cache instead of SQLite's 2 MiB: a run looks licenses up by their id, scattered
  // over the file, and with 2 MiB those lookups went to the file more as the ledger grew
  // (bench/pipeline.ts, 50,000 rows: ~7 % less CPU per license; ~10 MB more peak RSS).
  conn.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  conn.pragma('foreign_keys = ON');
  // Statement journals in memory. A write statement that may fail partway (a multi-row insert, one
  // that fires a trigger or checks a foreign key) keeps a copy of every page it changes, so that
  // it alone can be undone; SQLite keeps that copy in memory up to 64 KiB, four of our pages, and
  // then spills it to a temporary file. A page's inserts touch hundreds of index pages (license ids
  // come in no order), so each statement wrote megabytes to a file created and deleted in
  // /var/tmp, a write call per page (bench/commit-page.ts --shuffle, 20,000: 92 µs a new license
  // against 79 in memory). The copy is freed as the statement ends and is no part of crash
  // safety: recovery reads the WAL alone. Temporary tables and indexes are kept in memory too;
  // the sorter of ORDER BY and GROUP BY still spills to files.
  conn.pragma('temp_store = MEMORY');
}

/** The SQLite ledger connection's page cache, KiB. */
export const SQLITE_CACHE_KIB = 16384;

/** The part of a better-sqlite3 connection the pool's `afterCreate` touches. */
export interface SqliteConnection {
  pragma(source: string): unknown;
  prepare(source: string): unknown;
}

/** Statements one SQLite connection keeps compiled (see {@link cacheStatements}). */
export const SQLITE_STATEMENT_CACHE = 128;

/**
 * The text, in characters, of all statements one SQLite connection keeps compiled. A compiled
 * statement takes ~8 (knex's multi-row insert, `? as col` per value) to ~62 (an `IN (?, ?, …)`
 * list) bytes of memory per character of its text (RSS, better-sqlite3 on the ledger's tables).
 */
export const SQLITE_CACHED_TEXT_BUDGET = 1024 * 1024;

/**
 * A longer statement is compiled each time: a page's `IN` lists (500 ids, ~1,600 characters) and
 * the smaller slices of its inserts are kept; its 500-row inserts are not (knex's, ~113,000-131,000
 * characters; the version and license inserts written as `values (?, …)` text by values-insert.ts,
 * ~18,000-20,000). Kept too, knex's added ~28 MB to the peak RSS of a 100,000-row run (404 against
 * 376 MB, bench/pipeline.ts, one sitting) and took no measurable time off it (the ledger's
 * main-thread CPU 489 µs a license either way).
 */
export const SQLITE_CACHED_TEXT_MAX = 16 * 1024;

/**
 * Bind parameters (`?`) of all statements one SQLite connection keeps compiled. Memory follows
 * them more closely than text (~160 bytes a parameter for a multi-row insert, ~200 for an `IN`
 * list): ~10-13 MB at most whatever the shape, where the text budget alone would let long `IN`
 * lists hold ~65 MB.
 */
export const SQLITE_CACHED_PARAMS_BUDGET = 64 * 1024;

/**
 * A statement with more parameters is compiled each time: an `IN` list chunked to SQLite's
 * parameter limit (up to 32,766 ids, a one-off of a large operation) would push a page's
 * statements out. A page's `IN` lists have 500; its version and license inserts go in slices of
 * 256, 128, … rows (db.ts rowChunks) of 14-15 values, and the two largest slices, 1,800-3,900
 * parameters, were compiled again each page (4 of a page's ~5 compilations, ~8 µs a license of
 * the ledger's main-thread CPU, bench/pipeline.ts); kept, they take ~2 MB.
 */
export const SQLITE_CACHED_PARAMS_MAX = 4096;

function paramsOf(source: string): number {
  let n = 0;
  for (let i = source.indexOf('?'); i !== -1; i = source.indexOf('?', i + 1)) n += 1;
  return n;
}

/**
 * knex compiles every statement it sends to better-sqlite3 afresh (`connection.prepare` per
 * query), and a page of a run sends the same few dozen statements every time, the `IN (…)` lists
 * and multi-row inserts of its batches included (a run's pages are of one size, so their texts
 * repeat): compiling them was a tenth of the ledger's time on the main thread. The connection
 * keeps the most recently used statements by their text instead, at most
 * {@link SQLITE_STATEMENT_CACHE} of them, {@link SQLITE_CACHED_TEXT_BUDGET} characters of text
 * and {@link SQLITE_CACHED_PARAMS_BUDGET} bind parameters in all. knex runs each with `all` or `run`, which finish before they return, and sets no mode
 * on them (`raw`, `pluck`, `expand`), so a statement is reusable as it is; SQLite recompiles one
 * by itself after a schema change. better-sqlite3 has no call to finalise a statement: one pushed
 * out is finalised when it is garbage-collected, and none is running then.
 */
export function cacheStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, { statement: unknown; params: number }>();
  let chars = 0;
  let params = 0;
  conn.prepare = (source: string) => {
    const hit = cache.get(source);
    if (hit !== undefined) {
      // Most recently used last: a Map iterates in insertion order.
      cache.delete(source);
      cache.set(source, hit);
      return hit.statement;
    }
    const statement = prepare(source);
    if (source.length > SQLITE_CACHED_TEXT_MAX) return statement;
    const own = paramsOf(source);
    if (own > SQLITE_CACHED_PARAMS_MAX) return statement;
    cache.set(source, { statement, params: own });
    chars += source.length;
    params += own;
    while (
      cache.size > SQLITE_STATEMENT_CACHE ||
      chars > SQLITE_CACHED_TEXT_BUDGET ||
      params > SQLITE_CACHED_PARAMS_BUDGET
    ) {
      const [oldest, entry] = cache.entries().next().value as [string, { params: number }];
      cache.delete(oldest);
      chars -= oldest.length;
      params -= entry.params;
    }
    return statement;
  };
}

/** The part of a better-sqlite3 connection a statement runs on. */
interface SqliteStatements {
  prepare(source: string): {
    readonly reader: boolean;
    all(bindings: readonly unknown[]): unknown;
    run(bindings: readonly unknown[]): unknown;
  };
}

/** Whether `trx` is a knex transaction on a SQLite ledger connection (runOnSqliteTransaction takes it). */
export function isSqliteTransaction(trx: Knex.Transaction): boolean {
  return trx.isTransaction === true && trx.client.config?.client === 'better-sqlite3';
}

/**
 * Runs `text` with `bindings` on the connection the SQLite transaction `trx` holds, in the
 * transaction, as knex would run it (better-sqlite3's `all` for a statement that answers rows,
 * else `run`), compiled once (cacheStatements). Answers the rows, or none. Each binding must be
 * a value better-sqlite3 binds as it is (a string, number, bigint, Buffer or null): nothing is
 * converted. knex's raw walks the text once per `?` to rewrite bindings SQLite takes as they
 * are, searches the list for undefined and copies it twice more: for a page's multi-row
 * inserts (thousands of values) that was ~15 µs a license of the ledger's main-thread CPU
 * (bench/pipeline.ts). An error is the driver's, without knex's prefix of the text with the
 * values written in (sql-errors.ts keeps only the driver's part of either).
 */
export async function runOnSqliteTransaction<Row>(
  trx: Knex.Transaction,
  text: string,
  bindings: readonly unknown[],
): Promise<Row[]> {
  if (!isSqliteTransaction(trx)) throw new Error('runOnSqliteTransaction: not a SQLite transaction');
  // A transaction's client hands out the one connection the transaction holds (knex's makeTxClient).
  const conn = (await trx.client.acquireConnection()) as SqliteStatements;
  // Told as knex tells its own statements ('query' on the transaction, passed on to the knex
  // instance), so what watches a ledger's statements (a plan check, a debug hook) sees these too.
  trx.client.emit('query', { method: 'raw', sql: text, bindings });
  const statement = conn.prepare(text);
  if (statement.reader) return statement.all(bindings) as Row[];
  statement.run(bindings);
  return [];
}
