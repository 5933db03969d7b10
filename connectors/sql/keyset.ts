/**
 * Keyset (seek) queries. Pages are ordered by (cursor, key) and resume with a STRICT `>` on the
 * pair, never OFFSET: OFFSET re-reads or skips rows when rows change between pages, and costs
 * O(offset) on the department's server.
 *
 * NULL cursors: a row with a NULL cursor sorts before every non-NULL cursor, as if lowest. Such rows
 * are read first, in key order, with a checkpoint `{ cursor: null, key }`; then the non-NULL rows.
 * Two index-friendly queries replace one `ORDER BY CASE WHEN … IS NULL`, which defeats an index
 * on (cursor, key), and sidesteps dialects disagreeing on where NULLs sort (SQLite and SQL Server
 * first, PostgreSQL and Oracle last). A row whose cursor later goes from NULL to a value is read
 * again; one whose cursor is set to NULL after the NULL phase is not — only key-set comparison
 * (reconciliation) can see that, as it sees hard deletes.
 *
 * NULL keys: a row whose key is NULL has no place in key order — dialects put NULL first or last,
 * `key > ?` never holds for it, and a checkpoint cannot name it. Every keyset query leaves such
 * rows out (`key IS NOT NULL`); `keylessRows` reads them on their own, for the connector to
 * quarantine under a stand-in key (sql-source.ts, row-keys.ts).
 */
import type { Knex } from 'knex';
import type { KeyPosition } from '../../core/checkpoint.js';
import type { ColumnMeta, SqlDialect } from './dialect.js';
import { FINGERPRINT_ALIAS } from './fingerprint.js';
import { cursorLag, parseTableRef } from './resolve-stream.js';

/** A stream with its names resolved to the table's actual columns. */
export interface ResolvedStream {
  /** Table reference as knex should quote it (`schema.table` or `table`); a query stream's name. */
  table: string;
  /** The source's name, for messages about the stream's values. */
  source?: string;
  /** The table's columns; empty for a query stream (its columns are known only from its rows). */
  columns: ColumnMeta[];
  key: ColumnMeta;
  cursor?: ColumnMeta;
  /** A query stream's checked SELECT and its bound values. */
  query?: { sql: string; params: readonly unknown[] };
  /** Lag window, ms; only with a cursor. */
  lagMs?: number;
  /**
   * A query stream's cursor type as the database gives the query's column (query-cursor.ts), where
   * the dialect names it: a date/time one is bounded by the clock as a table stream's is
   * (`readBound`). The cursor itself stays untyped, read as a query's always was.
   */
  queryCursorType?: string;
  /** The dialect's in-database row fingerprint, selected with every page (table streams). */
  fingerprint?: Knex.Raw;
  /** The config declares the key on one row at most (`keyUnique`), where the catalog cannot tell. */
  keyUnique?: boolean;
  /**
   * A date/time key's text at the database's own precision (dialect.ts `keyAsText`), selected as
   * KEY_TEXT_ALIAS beside the key: the row's key and its checkpoint (date-keys.ts).
   */
  keyText?: Knex.Raw;
}

/** The alias under which a dialect's cursor-as-text expression is selected. */
export const CURSOR_TEXT_ALIAS = '__lb_cursor_text';
/** The alias under which a date/time key's text is selected (`keyText`). */
export const KEY_TEXT_ALIAS = '__lb_key_text';
/** The alias of a query stream's subquery. */
export const QUERY_ALIAS = 'lb_q';

/** `FROM table`, or `FROM (query) lb_q` — no `AS`, which Oracle refuses for table aliases. */
export function fromStream(db: Knex, s: Pick<ResolvedStream, 'table' | 'query'>): Knex.QueryBuilder {
  if (!s.query) return db.from(s.table);
  return db.from(db.raw(`(${s.query.sql}) ${QUERY_ALIAS}`, s.query.params as Knex.RawBinding[]));
}

/**
 * The stream's rows, with the cursor's text and the in-database fingerprint beside them where the
 * stream has them. Beside another entry, the stream's columns are selected as `table.*` (or
 * `lb_q.*`): Oracle and DM refuse a bare `*` with anything after it (ORA-00923).
 */
export function selectRows(db: Knex, dialect: SqlDialect, s: ResolvedStream): Knex.QueryBuilder {
  const q = fromStream(db, s);
  const text = s.cursor ? dialect.cursorAsText(db, s.cursor.name, s.cursor.type || undefined) : null;
  const select = dialect.selectColumn;
  if (select && s.columns.some((c) => select(db, c) !== null)) {
    q.select(s.columns.map((c) => select(db, c) ?? c.name));
  } else if (!text && !s.fingerprint && !s.keyText) {
    q.select('*');
  } else {
    // The query's alias unquoted, as fromStream writes it: Oracle folds it to upper case.
    q.select(s.query ? db.raw(`${QUERY_ALIAS}.*`) : `${s.table}.*`);
  }
  if (text) q.select(db.raw('? AS ??', [text, CURSOR_TEXT_ALIAS]));
  if (s.keyText) q.select(db.raw('? AS ??', [s.keyText, KEY_TEXT_ALIAS]));
  if (s.fingerprint) q.select(db.raw('? AS ??', [s.fingerprint, FINGERPRINT_ALIAS]));
  return q;
}

/** The key as selected alone (key chunks, ties, other rows of a key): its column, and its text where the stream has one. */
export function keySelection(db: Knex, dialect: SqlDialect, s: ResolvedStream): (string | Knex.Raw)[] {
  const column = selectedColumn(db, dialect, s, s.key);
  return s.keyText ? [column, db.raw('? AS ??', [s.keyText, KEY_TEXT_ALIAS])] : [column];
}

/**
 * A stream column as selected: the dialect's select-list entry where it reads the column another
 * way (SQL Server DECIMAL(18) as text), the name otherwise. Table streams only.
 */
export function selectedColumn(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  column: ColumnMeta,
): string | Knex.Raw {
  return (!s.query && dialect.selectColumn?.(db, column)) || column.name;
}

/**
 * The name to ORDER BY a stream column. A column the dialect selects under its own name in another
 * form (SQL Server `CAST([ID] AS varchar(50)) AS [ID]`) is shadowed by that alias: SQL Server (as
 * Oracle, MySQL and SQLite) resolves an ORDER BY name against the select list first, so pages were
 * sorted as text ('10' before '9') while the keyset predicate compares the column's numbers, and
 * rows were skipped. Qualified by the table's name, it names the column.
 */
export function orderColumn(db: Knex, dialect: SqlDialect, s: ResolvedStream, column: ColumnMeta): string {
  if (s.query || !dialect.selectColumn?.(db, column)) return column.name;
  return `${parseTableRef(s.table).name}.${column.name}`;
}

/** Leaves out rows whose key is NULL, unless the catalog says the key column cannot hold one. */
export function withKey(q: Knex.QueryBuilder, s: Pick<ResolvedStream, 'key'>): Knex.QueryBuilder {
  return s.key.nullable ? q.whereNotNull(s.key.name) : q;
}

/** Rows of a key-only stream after `afterKey`, in key order. */
export function keyOnlyPage(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  afterKey: string | null,
  limit: number,
): Knex.QueryBuilder {
  const q = withKey(selectRows(db, dialect, s), s);
  if (afterKey !== null) q.where(s.key.name, '>', dialect.bind(db, afterKey, s.key) as Knex.Value);
  return q.orderBy(orderColumn(db, dialect, s, s.key), 'asc').limit(limit);
}

/** Rows whose cursor IS NULL, after `afterKey`, in key order (the first phase of a cursor stream). */
export function nullCursorPage(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream & { cursor: ColumnMeta },
  afterKey: string | null,
  limit: number,
): Knex.QueryBuilder {
  const q = withKey(selectRows(db, dialect, s).whereNull(s.cursor.name), s);
  if (afterKey !== null) q.where(s.key.name, '>', dialect.bind(db, afterKey, s.key) as Knex.Value);
  return q.orderBy(orderColumn(db, dialect, s, s.key), 'asc').limit(limit);
}

/**
 * The newest cursor a read takes, as a condition on the cursor, computed by the database from its
 * own clock (dialect.ts `lagBound`); null where none applies.
 *
 * - The lag window (`lagMs` > 0): rows changed within the last lagMs wait for the next run. A row
 *   committing now with a cursor below the page's upper end would otherwise be skipped for good
 *   once a later checkpoint passes it (STANDARDS §6, boundary races).
 * - At lagMs 0, a table stream's date/time cursor is still bounded by the clock itself. A row whose
 *   cursor lies ahead of it — an application server's clock ahead of the database's, a mistyped
 *   year, a "never" placeholder such as 2038-01-19 or 9999-12-31 — sorts after every real change:
 *   read, it put the checkpoint there, and every row changed afterwards lay behind it, passed over
 *   until that time came (for a placeholder, for good), an update or a revocation lost without a
 *   word. Such a row now waits for its time, as it did under a lag window, and no other row with
 *   it. Kafka Connect's JDBC source bounds its reads by the database's time the same way.
 *   A query stream's cursor is bounded so by the type the database gives the query's column
 *   (`queryCursorType`): a query stream read such a row, and lost every change after it, as a
 *   table stream did. One whose type the dialect does not name is bounded under a lag window only.
 */
export function readBound(
  db: Knex,
  dialect: SqlDialect,
  s: Pick<ResolvedStream, 'cursor' | 'lagMs' | 'query' | 'queryCursorType'>,
): Knex.Raw | null {
  const cursor =
    s.cursor && s.queryCursorType !== undefined ? { ...s.cursor, type: s.queryCursorType } : s.cursor;
  if (!cursor || !dialect.lagBound) return null;
  const lagMs = s.lagMs && s.lagMs > 0 ? s.lagMs : 0;
  // An untyped cursor (a query stream's, its type not named) is no date/time here.
  if (lagMs === 0 && cursorLag(db, dialect, cursor) !== 'date/time') return null;
  const ordinal = dialect.cursorOrdinal?.(db, cursor) ?? null;
  return ordinal
    ? db.raw('? <= ?', [ordinal.expression, ordinal.lagBound(lagMs)])
    : db.raw('?? <= ?', [cursor.name, dialect.lagBound(db, lagMs, cursor)]);
}

/**
 * How many rows a read leaves for their time (`readBound` at lagMs 0: a cursor ahead of the
 * database's clock, not merely inside the lag window), as `{ n }`; null where no clock bounds the
 * stream.
 */
export function aheadOfClock(db: Knex, dialect: SqlDialect, s: ResolvedStream): Knex.QueryBuilder | null {
  const bound = readBound(db, dialect, { ...s, lagMs: 0 });
  if (!bound || !s.cursor) return null;
  return withKey(fromStream(db, s), s)
    .whereNotNull(s.cursor.name)
    .whereNot((w) => w.where(bound))
    .count({ n: '*' });
}

/**
 * The keys of the rows `aheadOfClock` counts (as `keyChunk` selects them): the light check tells
 * them apart from rows missed. Null where no clock bounds the stream.
 */
export function aheadOfClockKeys(db: Knex, dialect: SqlDialect, s: ResolvedStream): Knex.QueryBuilder | null {
  const bound = readBound(db, dialect, { ...s, lagMs: 0 });
  if (!bound || !s.cursor) return null;
  return withKey(fromStream(db, s).select(keySelection(db, dialect, s)), s)
    .whereNotNull(s.cursor.name)
    .whereNot((w) => w.where(bound));
}

/** Rows with a non-NULL cursor strictly after the (cursor, key) pair, in (cursor, key) order. */
export function cursorPage(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream & { cursor: ColumnMeta },
  after: (KeyPosition & { cursor: string }) | null,
  limit: number,
): Knex.QueryBuilder {
  const c = s.cursor.name;
  const k = s.key.name;
  const q = withKey(selectRows(db, dialect, s).whereNotNull(c), s);
  // A cursor the column's comparison does not order as pages do (a MySQL TIMESTAMP): compared by
  // the dialect's ordinal of it (dialect.ts `cursorOrdinal`).
  const ordinal = dialect.cursorOrdinal?.(db, s.cursor) ?? null;
  const bound = readBound(db, dialect, s);
  if (bound) q.where(bound);
  // A cursor handed out at write time (SQL Server rowversion): rows of transactions still open
  // hold lower values than rows committed since, and wait for the next run (dialect.ts).
  const settled = dialect.settledBound?.(db, s.cursor);
  if (settled) q.where(c, '<', settled);
  if (after && ordinal) {
    const floor = ordinal.floor(after.cursor);
    if (floor) q.where(c, '>=', floor);
    const [cv, kv] = [ordinal.value(after.cursor), dialect.bind(db, after.key, s.key)];
    q.where((w) => {
      w.whereRaw('? > ?', [ordinal.expression, cv]).orWhere((eq) => {
        eq.whereRaw('? = ?', [ordinal.expression, cv]).andWhere(k, '>', kv as Knex.Value);
      });
    });
  } else if (after) {
    const cv = dialect.bind(db, after.cursor, s.cursor);
    const kv = dialect.bind(db, after.key, s.key);
    if (dialect.rowValues) {
      q.where(db.raw('(??, ??) > (?, ?)', [c, k, cv, kv] as Knex.RawBinding[]));
    } else {
      // Expanded form of the same strict pair comparison for dialects without row values.
      q.where((w) => {
        w.where(c, '>', cv as Knex.Value).orWhere((eq) => {
          eq.where(c, '=', cv as Knex.Value).andWhere(k, '>', kv as Knex.Value);
        });
      });
    }
  }
  return q
    .orderBy([
      { column: orderColumn(db, dialect, s, s.cursor), order: 'asc' },
      { column: orderColumn(db, dialect, s, s.key), order: 'asc' },
    ])
    .limit(limit);
}

/** Key values only, after `afterKey`, in key order — for `keys()`. */
export function keyChunk(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  afterKey: string | null,
  limit: number,
): Knex.QueryBuilder {
  // As pages select it: SQL Server hands a DECIMAL(18) key over as a double, rounded past 2^53.
  const q = withKey(fromStream(db, s).select(keySelection(db, dialect, s)), s);
  if (afterKey !== null) q.where(s.key.name, '>', dialect.bind(db, afterKey, s.key) as Knex.Value);
  return q.orderBy(orderColumn(db, dialect, s, s.key), 'asc').limit(limit);
}

/**
 * The rows whose key is NULL, in no particular order, at most `limit`. `since`, for a cursor
 * stream, is where the read started: rows with a cursor before it were read by an earlier run,
 * which kept its checkpoint where it was; rows AT it are read again rather than risk missing one
 * that committed at the same instant. From the start (null, or still in the NULL-cursor phase)
 * every such row is read. The lag window applies as to keyed rows. `until`, a keyed page's
 * checkpoint cursor, keeps the rows at or before it (none with a NULL cursor): those a run's
 * checkpoint passes, which the clock that bounded its first read of them may have left out
 * (page-reads.ts). `blank`, for the in-database bucket queries, adds rows whose key reads as empty
 * text (see `blankKey`).
 */
export function keylessRows(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  options: { since?: KeyPosition | null; until?: string; blank?: Knex.Raw | null },
  limit: number,
): Knex.QueryBuilder {
  const k = s.key.name;
  const q = selectRows(db, dialect, s).where((w) => {
    w.whereNull(k);
    if (options.blank) w.orWhere(options.blank);
  });
  const c = s.cursor?.name;
  if (c && s.cursor) {
    const since = options.since?.cursor ?? null;
    const ordinal = dialect.cursorOrdinal?.(db, s.cursor) ?? null;
    if (since !== null && ordinal) {
      const floor = ordinal.floor(since);
      if (floor) q.where(c, '>=', floor);
      q.whereRaw('? >= ?', [ordinal.expression, ordinal.value(since)]);
    } else if (since !== null) q.where(c, '>=', dialect.bind(db, since, s.cursor) as Knex.Value);
    // Compared as the next run's `since` is, so the two meet at the checkpoint.
    const until = options.until;
    if (until !== undefined && ordinal) q.whereRaw('? <= ?', [ordinal.expression, ordinal.value(until)]);
    else if (until !== undefined) q.where(c, '<=', dialect.bind(db, until, s.cursor) as Knex.Value);
    const bound = readBound(db, dialect, s);
    if (bound) {
      q.where((w) => {
        if (since === null) w.whereNull(c);
        w.orWhere(bound);
      });
    }
    const settled = dialect.settledBound?.(db, s.cursor);
    if (settled) {
      q.where((w) => {
        if (since === null) w.whereNull(c);
        w.orWhere(c, '<', settled);
      });
    }
  }
  return q.limit(limit);
}

/** The rows whose stored key is one of `stored` (checkpoint text, bound in the key's type). */
export function selectRowsWithKeys(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  stored: readonly string[],
): Knex.QueryBuilder {
  return selectRows(db, dialect, s).whereIn(
    s.key.name,
    stored.map((t) => dialect.bind(db, t, s.key) as Knex.Value),
  );
}

const TEXT_TYPE = /char|text|clob|string/i;

/**
 * Rows whose key is text that is empty, or only spaces under `trim` — they hold no key once read
 * (values.ts `missingKey`). A superset is harmless: the connector decides row by row. Null when
 * the key is not declared as text (a number is never blank) or its type is unknown (query streams).
 */
export function blankKey(db: Knex, s: ResolvedStream, trim: boolean): Knex.Raw | null {
  if (s.query || !TEXT_TYPE.test(s.key.type)) return null;
  return trim ? db.raw("RTRIM(??) = ''", [s.key.name]) : db.raw("?? = ''", [s.key.name]);
}
