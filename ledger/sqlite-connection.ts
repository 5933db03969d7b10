/**
 * How each SQLite ledger connection is set up (ledger/open-ledger.ts opens them): its pragmas and
 * the statements it keeps compiled.
 */

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
 * A statement with more parameters is compiled each time: a page's `IN` list has 500; an `IN`
 * list chunked to SQLite's parameter limit (up to 32,766 ids, a one-off of a large operation)
 * would push a page's statements out.
 */
export const SQLITE_CACHED_PARAMS_MAX = 1024;

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
