/**
 * Rows of one key in different pages. A cursor stream reads in (cursor, key) order, so two rows
 * of one key with different cursors can fall into different pages of one run: the older one was
 * a version, then the newer one, and every full re-read made both versions again — the license
 * flipping between two rows the source holds at once. Rows of one key with one cursor value are
 * one tie and never split (tied-rows.ts); those with different cursors are settled here.
 *
 * For a key column that is not alone a primary key or unique, each page asks the source, in the
 * page's own read transaction, how many rows hold each of the page's keys and their newest cursor
 * — one more query per page, on the key column (an index on it keeps it cheap), answered with one
 * row a key (`keyGroups`) — and a page row whose key the source holds more than once at a newer
 * cursor gives way to that row, in this page or a later one (repeated-keys.ts). A row read, then changed between two pages of the run, is held once:
 * nothing gives way, and it is read again at its newer cursor as before.
 *
 * A view's or a query's key is never known unique — the catalog shows neither their indexes nor
 * their constraints — so the query is made for each of their pages, and a view the database cannot
 * take the key filter into is evaluated whole every time. The stream's `keyUnique: true` declares
 * what the catalog cannot show; without it such a stream is named once (`unseenKeyNote`).
 */
import type { Knex } from 'knex';
import { dateKeyProblem } from './date-keys.js';
import type { ColumnMeta, SqlDialect } from './dialect.js';
import {
  CURSOR_TEXT_ALIAS,
  fromStream,
  KEY_TEXT_ALIAS,
  keySelection,
  type ResolvedStream,
  readBound,
  selectedColumn,
} from './keyset.js';
import { toCheckpointText } from './values.js';

type RawRow = Record<string, unknown>;

// SQL Server allows 2,100 bound parameters and Oracle 1,000 items in an IN list.
const KEYS_PER_QUERY = 1_000;

/** A row's cursor as checkpoint text (the dialect's text form where it has one); null when NULL. */
export function cursorTextOf(dialect: SqlDialect, s: ResolvedStream, row: RawRow): string | null {
  if (!s.cursor) return null;
  if (CURSOR_TEXT_ALIAS in row) {
    const text = row[CURSOR_TEXT_ALIAS];
    return text === null || text === undefined ? null : toCheckpointText(text, `cursor ${s.cursor.name}`);
  }
  const value = row[s.cursor.name];
  return value === null || value === undefined ? null : positionText(dialect, s, s.cursor, value, 'cursor');
}

/** A row's stored key as checkpoint text: bound back as the key's own type. */
export function storedKeyOf(dialect: SqlDialect, s: ResolvedStream, row: RawRow): string {
  // A date/time key's own text (keyset.ts `keyText`): bound back as the same value.
  const text = row[KEY_TEXT_ALIAS];
  if (typeof text === 'string') return text;
  const value = row[s.key.name];
  const own = dialect.positionText?.(value, s.key, { source: s.source, stream: s.table, role: 'key' });
  // A query stream's key the driver returned as a Date (a table stream's is refused before reading).
  if (value instanceof Date && !own)
    throw dateKeyProblem(s.source ?? '(unnamed)', dialect.kind, s.table, s.key.name, s.key.type);
  return own ?? toCheckpointText(value, `key ${s.key.name}`);
}

/** A driver value as checkpoint text that the dialect's `bind` reads back as the same value. */
function positionText(
  dialect: SqlDialect,
  s: ResolvedStream,
  column: ColumnMeta,
  value: unknown,
  role: 'key' | 'cursor',
): string {
  return (
    dialect.positionText?.(value, column, { source: s.source, stream: s.table, role }) ??
    toCheckpointText(value, `${role} ${column.name}`)
  );
}

/** Whether the stream's key is known to be on one row at most: by the catalog, or declared (`keyUnique`). */
export function keyKnownUnique(s: ResolvedStream): boolean {
  return s.key.primaryKey || s.key.unique || s.keyUnique === true;
}

/** Whether a stream's rows of one key in different pages go unchecked: a cursor stream whose key column is not unique and leads no index. */
export function keyCursorsUnchecked(s: ResolvedStream): boolean {
  return s.cursor !== undefined && !keyKnownUnique(s) && s.key.leadsIndex === false;
}

/** Whether each page of the stream asks the source for the cursors of its keys' other rows. */
export function keyCursorsAsked(s: ResolvedStream): boolean {
  return s.cursor !== undefined && !keyKnownUnique(s) && s.key.leadsIndex !== false;
}

/** What to tell when that question took long on a run's first page. Names the stream and column only. */
export function slowKeyCursorsNote(stream: string, column: string, ms: number): string {
  return `asking the source for other rows of a page's keys (key column \`${column}\` of stream \`${stream}\`) took ${Math.round(ms)} ms on the first page, and every page asks once more: if each key is on one row, set \`keyUnique: true\` on the stream; otherwise ask for an index on \`${column}\` (or a view the database can filter by it)`;
}

/**
 * Whether each page asks the source for its keys' other rows without the catalog telling whether
 * that is cheap: a cursor stream over a view or a query, whose indexes cannot be seen, with a key
 * not declared unique. A view the database cannot take the key filter into (a MySQL TEMPTABLE view,
 * one with GROUP BY or DISTINCT) is then evaluated whole once more for every page.
 */
export function keyCursorsUnseen(s: ResolvedStream): boolean {
  return s.cursor !== undefined && !keyKnownUnique(s) && s.key.leadsIndex === null;
}

/** What to tell the person onboarding such a stream. Names the stream and column only. */
export function unseenKeyNote(stream: string, column: string, query: boolean): string {
  const what = query ? 'query stream' : 'stream';
  return `key column \`${column}\` of ${what} \`${stream}\` is not known to be unique (the indexes of a view or a query cannot be seen): every page asks the source once more for other rows of its keys, and a view the database cannot take that key filter into (a MySQL TEMPTABLE view, GROUP BY, DISTINCT) is evaluated whole each time; if each key is on one row, set \`keyUnique: true\` on the stream`;
}

/** What to tell the person onboarding such a stream. Names the table and column only. */
export function unindexedKeyNote(table: string, column: string): string {
  return `key column \`${column}\` of table \`${table}\` is not unique and leads no index: rows of one key in different pages (an older and a newer cursor) are not compared (so the older may become a version each full read), nor are keys that differ only by trailing spaces ('K1', 'K1 '); create an index on \`${column}\``;
}

/** What the source holds of a page's keys (`heldKeys`). */
export interface HeldKeys {
  /**
   * For the stored keys the source holds on more than one row: the newest cursor among those rows
   * (as checkpoint text; null when all are NULL), by stored key.
   */
  newest: Map<string, string | null>;
  /**
   * Every stored key (checkpoint text) the source holds equal to one asked for by its own
   * comparison: under a PAD SPACE collation `'K1 '` beside `'K1'`, which `trim` reads as one key
   * (row-keys.ts `flagHeldSpellings`) though a cursor placed them in different pages.
   */
  spellings: Set<string>;
}

/**
 * What the source holds of the page's stored keys. Empty for a stream without a cursor or a key
 * that is unique.
 */
export async function newestOfRepeatedKeys(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  page: readonly RawRow[],
): Promise<HeldKeys> {
  // A key column the catalog says leads no index would be scanned whole once per page — for a
  // million rows, quadratic work on the department's server: not asked (unindexedKeyNote).
  // Unknown (a view, a query stream): asked, the key of the table underneath is usually indexed.
  // Declared unique (`keyUnique`): not asked either — each key is on one row, nothing to compare.
  if (!keyCursorsAsked(s) || page.length === 0) return { newest: new Map(), spellings: new Set() };
  // Bounded as the page is: a row the read does not take yet (past the database's clock, or in the
  // lag window) is no newer row for a page row to give way to (keyGroups).
  return heldKeys(db, dialect, s, [...new Set(page.map((r) => storedKeyOf(dialect, s, r)))], true);
}

/**
 * For those of `stored` (stored keys, as checkpoint text) that the source holds on more than one
 * row: the cursor of the row a run reads the key from, by stored key — asked whatever the catalog
 * says. Empty for a stream without a cursor. That is the newest of the key's rows a read takes now
 * (keyset.ts `readBound` at lagMs 0, the database's clock), or of its rows if none is: a row ahead of
 * the clock (a 9999-12-31 placeholder) waits for its time and makes no older row of its key give way
 * in a run (`newestOfRepeatedKeys`). Taken as the newest here, reconciliation compared the row a
 * run cannot read with the license read from the older one (a `content-mismatch` no re-read
 * changes), and a key missed on its older row passed as waiting ahead of the clock. The lag
 * window is not applied: a check compares what the source holds now, as for a key on one row.
 */
export async function newestOfKeys(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  stored: readonly string[],
): Promise<Map<string, string | null>> {
  const { newest } = await heldKeys(db, dialect, s, stored);
  const cursor = s.cursor;
  const clock = { ...s, lagMs: 0 };
  if (!cursor || newest.size === 0 || !readBound(db, dialect, clock)) return newest;
  const repeated = [...newest.keys()];
  for (let i = 0; i < repeated.length; i += KEYS_PER_QUERY) {
    const part = repeated.slice(i, i + KEYS_PER_QUERY);
    // The rows a read takes now, one group a key that has any (keyGroups).
    const groups: RawRow[] = await keyGroups(db, dialect, { ...clock, cursor }, part, true);
    for (const g of groups) {
      const key = storedKeyOf(dialect, s, g);
      if (newest.has(key)) newest.set(key, cursorTextOf(dialect, s, g));
    }
  }
  return newest;
}

/**
 * Those of `stored` (stored keys, as checkpoint text) that the source holds on a row a read takes
 * now (keyset.ts `readBound` at lagMs 0, and a NULL cursor): a key also held on a row ahead of the
 * clock is read from that row meanwhile, not left for its time (`aheadOfClockKeys`).
 */
export async function keysReadNow(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  stored: readonly string[],
): Promise<Set<string>> {
  return (await heldKeys(db, dialect, { ...s, lagMs: 0 }, stored, true)).spellings;
}

/** What the source holds of `stored` (stored keys, as checkpoint text), asked whatever the catalog says. */
async function heldKeys(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  stored: readonly string[],
  bounded = false,
): Promise<HeldKeys> {
  const newest = new Map<string, string | null>();
  const spellings = new Set<string>();
  const cursor = s.cursor;
  if (!cursor || stored.length === 0) return { newest, spellings };
  for (let i = 0; i < stored.length; i += KEYS_PER_QUERY) {
    const part = stored.slice(i, i + KEYS_PER_QUERY);
    // One row per stored key, however many rows hold it (keyGroups).
    const groups: RawRow[] = await keyGroups(db, dialect, { ...s, cursor }, part, bounded);
    for (const g of groups) {
      const key = storedKeyOf(dialect, s, g);
      spellings.add(key);
      if (Number(g[ROWS_ALIAS]) > 1) newest.set(key, cursorTextOf(dialect, s, g));
    }
  }
  return { newest, spellings };
}

/** The alias of a key group's row count (`keyGroups`). */
export const ROWS_ALIAS = '__lb_rows';

/**
 * One row for each stored key among `stored`: the key as a page selects it, the number of rows
 * holding it (ROWS_ALIAS), and their newest cursor under the cursor's own name (with its text
 * where the dialect has one). A legacy key column that is not unique (STANDARDS, legacy databases)
 * can hold thousands of rows of one key: reading them all put every one in memory at once, for
 * a count and a maximum the database gives in one row. The maximum (`newestCursor`) orders as a
 * page's ORDER BY does (the column's type and collation) and passes NULLs over, so a key whose rows
 * all have a NULL cursor has none, as a NULL cursor is older than any value (keyset.ts). It is
 * taken in a derived table so that its text is made of the column's own value, as a page makes it.
 */
export function keyGroups(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream & { cursor: ColumnMeta },
  stored: readonly string[],
  bounded = false,
): Knex.QueryBuilder {
  const [key, cursor] = [s.key.name, s.cursor.name];
  const groups = fromStream(db, s).select(key, db.raw('COUNT(*) AS ??', [ROWS_ALIAS]));
  // A key column that is its own cursor (an id appended in order): the group's key is its newest
  // cursor, and a MAX of it under the same name made the derived table's column twice (PostgreSQL:
  // ambiguous, MySQL: duplicate column name).
  const same = dialect.caseInsensitiveIdentifiers
    ? key.toUpperCase() === cursor.toUpperCase()
    : key === cursor;
  if (!same) groups.select(db.raw('? AS ??', [newestCursor(db, dialect, cursor), cursor]));
  groups
    .whereIn(
      key,
      stored.map((k) => dialect.bind(db, k, s.key) as Knex.Value),
    )
    .groupBy(key);
  // `bounded` (a run's page): only the rows a read takes now, by the page's own bound on the cursor
  // (keyset.ts `readBound`), and those with a NULL cursor, read before any. A row past the
  // database's clock (a "never" placeholder of 2038 or 9999) made the page's row of its key give
  // way, and itself waited for its time: the license was read from neither.
  const bound = bounded ? readBound(db, dialect, s) : null;
  if (bound) groups.where((w) => w.whereNull(cursor).orWhere(bound));
  const exact = exactKey(db, dialect, s.key);
  if (exact) groups.groupByRaw(exact);
  // knex puts the subquery in parentheses; no `AS`, which Oracle refuses for table aliases.
  const q = db.from(db.raw(`? ${GROUP_ALIAS}`, [groups]));
  q.select(...keySelection(db, dialect, s), ROWS_ALIAS, selectedColumn(db, dialect, s, s.cursor));
  const text = dialect.cursorAsText(db, cursor, s.cursor.type || undefined);
  if (text) q.select(db.raw('? AS ??', [text, CURSOR_TEXT_ALIAS]));
  return q;
}

const GROUP_ALIAS = 'lb_g';

/**
 * One row for each stored key the source holds equal to one of `stored` by its own comparison
 * (`'K1 '` for `'K1'` under PAD SPACE), the key as a page selects it, however many rows hold it:
 * a legacy key column that is not unique holds thousands of rows of one key, and reading them all
 * put every one in memory (padded-keys.ts). Grouped by the key's bytes too (`exactKey`), so that
 * each stored spelling is a row of its own.
 */
export function keySpellings(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  stored: readonly string[],
): Knex.QueryBuilder {
  const key = s.key.name;
  const groups = fromStream(db, s)
    .select(key)
    .whereIn(
      key,
      stored.map((k) => dialect.bind(db, k, s.key) as Knex.Value),
    )
    .groupBy(key);
  const exact = exactKey(db, dialect, s.key);
  if (exact) groups.groupByRaw(exact);
  return db.from(db.raw(`? ${GROUP_ALIAS}`, [groups])).select(...keySelection(db, dialect, s));
}

/** Oracle's character types, the ones a collation applies to: CHAR, VARCHAR2, NCHAR, NVARCHAR2. */
const ORACLE_TEXT = /CHAR/i;

/**
 * The newest of a key group's cursors, compared as a page's ORDER BY compares them, NULLs passed
 * over. PostgreSQL and KingbaseES define MAX for some types only: a page orders a `uuid` (UUIDv7)
 * or `bytea` cursor, but `MAX` of it failed every page (function max(uuid) does not exist). There
 * the first of the group's cursors sorted by the type's own order, as a page sorts them, is taken
 * instead: a sort of each key's rows in the database, for every type a page can read.
 */
function newestCursor(db: Knex, dialect: SqlDialect, cursor: string): Knex.Raw {
  if (dialect.kind === 'postgres' || dialect.kind === 'kingbase')
    return db.raw('(array_agg(?? ORDER BY ?? DESC NULLS LAST))[1]', [cursor, cursor]);
  return db.raw('MAX(??)', [cursor]);
}

/**
 * What groups a key's rows by its stored value where the database's own comparison takes other
 * values for it (tied-rows.ts): `'K1 '` with `'K1'` under a PAD SPACE collation (MySQL's and
 * MariaDB's but their NO PAD ones, SQL Server's always), `'k1'` with `'K1'` under a
 * case-insensitive one, SQLite's RTRIM and NOCASE. Each stored spelling is a key of its own, with
 * its own rows (row-keys.ts `flagHeldSpellings`). PostgreSQL and KingbaseES compare as stored
 * under a deterministic collation, but a key column under a nondeterministic one (`CREATE
 * COLLATION … deterministic = false`, an ICU case- or accent-insensitive one) or of type `citext`
 * takes `'a1'` for `'A1'`: one group of two rows, and the older license gave way to the other's
 * row as if it were an older row of its own key, never read again. Its text under "C" (byte
 * order) tells them apart, for a key of any type: `COLLATE` alone is refused for a number.
 * Oracle's sessions compare BINARY (session-formats.ts), but a column declared with a collation of
 * its own (12.2+, `COLLATE BINARY_CI`, `BINARY_AI`, a linguistic `_CI` one) compares and groups
 * by it whatever the session says: `'a1'` and `'A1'` were one group. `NLSSORT(key, 'NLS_SORT =
 * BINARY')` is the key's own bytes as RAW (its first 2,000 bytes at most), an explicit collation the column's does not override
 * (12.2+; before, the session's BINARY was the only one there was), and reads on every Oracle
 * licbridge reaches, where `COLLATE BINARY` is refused before 12.2. Only a character key (or a
 * query stream's, whose type is unknown) is so grouped: a number or a date has no collation. The
 * page statements keep the column's own comparison (`ORDER BY key`, `key > ?`), which the key's
 * index serves — through a function it would serve none — and a tie at a page's end is read
 * whole (tied-rows.ts), as for the other dialects.
 * Null where the database compares keys as stored: DM, as initialised by default; an instance
 * initialised case-insensitive (`CASE_SENSITIVE = N`) is refused where it would need this
 * (case-blind-keys.ts), its binary comparisons (the `BINARY` prefix, a session's
 * `CASE_SENSITIVE`) being those of recent builds only, and unverifiable without a server.
 */
function exactKey(db: Knex, dialect: SqlDialect, keyColumn: ColumnMeta): Knex.Raw | null {
  const key = keyColumn.name;
  switch (dialect.kind) {
    case 'mysql':
      return db.raw('CAST(?? AS BINARY)', [key]);
    case 'mssql':
      // Its bytes and their count: SQL Server takes two varbinary values that differ only by
      // trailing zero bytes as equal, and a Windows collation (Chinese_PRC_CI_AS) gives NCHAR(0)
      // no weight, so 'K1' and 'K1' + NCHAR(0) were one group by the bytes alone.
      return db.raw('CAST(?? AS varbinary(max)), DATALENGTH(??)', [key, key]);
    case 'sqlite':
      return db.raw('?? COLLATE BINARY', [key]);
    case 'postgres':
    case 'kingbase':
      return db.raw('CAST(?? AS text) COLLATE "C"', [key]);
    case 'oracle':
      return keyColumn.type === '' || ORACLE_TEXT.test(keyColumn.type)
        ? db.raw("NLSSORT(??, 'NLS_SORT = BINARY')", [key])
        : null;
    default:
      return null;
  }
}
