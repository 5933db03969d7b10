/**
 * Discovery for onboarding: what tables exist, which columns could be the key, which the cursor.
 * It only suggests — the engineer writes the stream into the config.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { ColumnInfo, TableInfo } from '../source.js';
import { discoveryNotes } from './cursor-index.js';
import type { ColumnMeta, SqlDialect } from './dialect.js';
import { hostTime, inReadWindow, type ReadWindow } from './gentle.js';
import { cursorLag } from './resolve-stream.js';
import { timeOfDayType } from './time-of-day-cursor.js';

// Declared types that may hold a point in time or a change counter, guessed from the type's name
// where the dialect names none of its own (SQLite, whose declared types are free text).
const TIME_TYPE = /date|time|rowversion/i;
// Names used for "last changed": English ones and the pinyin abbreviations legacy Chinese schemas
// use (GXSJ 更新时间, XGSJ 修改时间, CZSJ 操作时间, …SJ 时间, …RQ 日期).
const TIME_NAME = /date|time|stamp|rowversion|(^|_)(ts|mtime)$|_(at|on)$|(sj|rq)$/i;
// Among candidates, names that say "updated" go first: an issue date (FZRQ) never moves on edit.
const UPDATE_NAME = /upd|modif|chang|last|^gx|^xg|^cz|_gx|_xg|_cz|rowversion/i;

/** Whether a column's declared type is one a cursor is made of: a date/time or a change counter. */
export type CursorType = (column: ColumnMeta) => boolean;

/**
 * The dialect's own answer, as a run reads the cursor (resolve-stream.ts `cursorLag`): one of its
 * date/time types (`dateTimeTypes`) or a counter (`settledBound`: SQL Server `rowversion`, and
 * `timestamp`, which is one). Not any type whose name holds `date` or `time`: a PostgreSQL enum
 * `update_stage` or a MySQL `enum('new','updated')` orders by its members, and no clock bounds it.
 * Undefined where the dialect names neither (SQLite): the type's name is guessed from.
 */
export function dialectCursorType(db: Knex, dialect: SqlDialect): CursorType | undefined {
  if (!dialect.dateTimeTypes && !dialect.settledBound) return undefined;
  return (c) => cursorLag(db, dialect, c) !== 'other';
}

const guessedCursorType: CursorType = (c) => TIME_TYPE.test(c.type);

// Each SQL kind's dialect, loaded only when asked for: none is loaded by importing this module.
const DIALECTS: Readonly<Record<string, () => Promise<SqlDialect>>> = {
  postgres: async () => (await import('./dialects/postgres/dialect.js')).postgresDialect,
  kingbase: async () => (await import('./dialects/kingbase/dialect.js')).kingbaseDialect,
  mysql: async () => (await import('./dialects/mysql/dialect.js')).mysqlDialect,
  mssql: async () => (await import('./dialects/mssql/dialect.js')).mssqlDialect,
  oracle: async () => (await import('./dialects/oracle/dialect.js')).oracleDialect,
  dm: async () => (await import('./dialects/dm/dialect.js')).dmDialect,
  sqlite: async () => (await import('./dialects/sqlite/dialect.js')).sqliteDialect,
};

/**
 * A SQL kind's own date/time types (dialect.ts `dateTimeTypes`), the ones its driver hands over
 * as dates: what the draft mapping suggests `date` for (pipelines/discover.ts). Undefined for a
 * kind whose dialect names none (SQLite) and for a kind that is not SQL.
 */
export async function kindDateTimeTypes(kind: string): Promise<RegExp | undefined> {
  return (await DIALECTS[kind]?.())?.dateTimeTypes;
}

/**
 * Column names that look like a cursor, the most likely first: by their type (`cursorType`, the
 * type's name guessed from when absent) or their name. Not a time of day without a date
 * (`GXSJ time` beside `GXRQ date`): a run refuses it as a cursor (time-of-day-cursor.ts).
 */
export function candidateCursors(
  columns: readonly ColumnMeta[],
  cursorType: CursorType = guessedCursorType,
): string[] {
  const found = columns
    .filter((c) => (cursorType(c) || TIME_NAME.test(c.name)) && !timeOfDayType(c.type))
    .map((c) => c.name);
  return [...found.filter((n) => UPDATE_NAME.test(n)), ...found.filter((n) => !UPDATE_NAME.test(n))];
}

/** Columns that are alone a primary key or unique — primary key first. */
export function candidateKeys(columns: readonly ColumnMeta[]): string[] {
  return [
    ...columns.filter((c) => c.primaryKey).map((c) => c.name),
    ...columns.filter((c) => c.unique && !c.primaryKey).map((c) => c.name),
  ];
}

/**
 * A note when the first key candidate is unique but allows NULL: a UNIQUE constraint lets NULL
 * stand in any number of rows, and a row without a key is quarantined, never licensed.
 */
export function nullableKeyCandidateNotes(columns: readonly ColumnMeta[], keys: readonly string[]): string[] {
  const key = columns.find((c) => c.name === keys[0]);
  if (!key?.nullable) return [];
  return [
    `key candidate \`${key.name}\` is unique but allows NULL: rows where it is NULL or empty are quarantined (LB_SOURCE_KEY_MISSING), not licensed; ask the department to make it NOT NULL, or check that no row lacks it`,
  ];
}

/**
 * A note when the suggested cursor allows NULL: only a read from the start goes through the
 * NULL-cursor rows, so a row inserted later with a NULL cursor (or whose cursor is set to NULL)
 * lies before every checkpoint and no incremental run reads it (docs/connectors.md).
 */
export function nullableCursorCandidateNotes(
  columns: readonly ColumnMeta[],
  cursors: readonly string[],
): string[] {
  const cursor = columns.find((c) => c.name === cursors[0]);
  if (!cursor?.nullable) return [];
  return [
    `cursor candidate \`${cursor.name}\` allows NULL: a row inserted later without it, or whose \`${cursor.name}\` is set to NULL, is read by no incremental run, only by the check after each run (reported missed) and by \`licbridge run --full\`; ask the department whether every insert and update sets it, or to make it NOT NULL`,
  ];
}

// Declared types holding text: `varchar`, `character varying`, `nvarchar`, `VARCHAR2`, `CLOB`, `TEXT`.
const TEXT_TYPE = /char|text|clob|string/i;

/**
 * A note when the suggested cursor is text (a `GXSJ varchar(19)` suggested by its name): only a
 * date/time cursor is bounded by the database's clock or takes a lag window (keyset.ts
 * `readBound`, resolve-stream.ts `checkLag`), and text orders as text (docs/connectors.md, A text
 * cursor).
 */
export function textCursorCandidateNotes(
  columns: readonly ColumnMeta[],
  cursors: readonly string[],
): string[] {
  const cursor = columns.find((c) => c.name === cursors[0]);
  if (!cursor || !TEXT_TYPE.test(cursor.type)) return [];
  return [
    `cursor candidate \`${cursor.name}\` is \`${cursor.type}\`, text: no clock bounds it and it takes no lag window (lagMs is refused on it), so a row stamped ahead of the real time (\`9999-12-31\`, a mistyped year) moves the checkpoint past every row changed after it, and a row committed late with an earlier value lies behind the checkpoint: a new key there is reported missed by the check after each run, a changed row only by a full check, and \`licbridge run --full\` reads them; it orders as text too, so every value must be written in one fixed-width form (\`2024-03-01 08:00:00\`, not \`2024-3-1 8:00\`). Prefer a date/time column of last change, or ask the department for one`,
  ];
}

export function columnInfo(column: ColumnMeta): ColumnInfo {
  return { name: column.name, type: column.type, nullable: column.nullable };
}

/**
 * Notes for the unique columns of a date/time type the source does not read as a key
 * (dialect.ts `dateKeyTypes`, date-keys.ts): discovery leaves them out of the candidate keys.
 */
export function dateKeyCandidateNotes(
  columns: readonly ColumnMeta[],
  dateKeys: RegExp | undefined,
): string[] {
  if (!dateKeys) return [];
  return candidateKeys(columns)
    .map((n) => columns.find((c) => c.name === n) as ColumnMeta)
    .filter((c) => dateKeys.test(c.type))
    .map(
      (c) =>
        `unique column \`${c.name}\` is \`${c.type}\`, a date/time, which is not read as a key: key the stream by another column that identifies each row, or by the key selected as text in a query stream (docs/connectors.md, Date and time keys)`,
    );
}

/**
 * What discovery tells of a table: its columns, rows, candidate keys and cursors, and notes on them.
 * `dateKeys`: the declared types the source does not read as a key, left out of the candidates.
 * `cursorType`: the types a cursor is made of (`dialectCursorType`); absent, guessed from the name.
 */
export function tableInfo(
  name: string,
  columns: readonly ColumnMeta[],
  rowCount: number,
  dateKeys?: RegExp,
  cursorType?: CursorType,
): TableInfo {
  const keys = candidateKeys(columns.filter((c) => !dateKeys?.test(c.type)));
  const cursors = candidateCursors(columns, cursorType);
  const notes = [
    ...discoveryNotes(name, columns, keys, cursors),
    ...nullableKeyCandidateNotes(columns, keys),
    ...nullableCursorCandidateNotes(columns, cursors),
    ...textCursorCandidateNotes(columns, cursors),
    ...dateKeyCandidateNotes(columns, dateKeys),
  ];
  return {
    name,
    columns: columns.map(columnInfo),
    rowCount,
    candidateKeys: keys,
    candidateCursors: cursors,
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/**
 * Before each table's count (a full scan each): once the source's read window has closed,
 * discovery stops there, as a run's read stops at its next page, rather than scan on into the
 * department's working day.
 */
export function refuseClosedWindow(
  source: string,
  window: ReadWindow | undefined,
  now: Date,
  counted: number,
  total: number,
): void {
  if (!window || inReadWindow(window, now)) return;
  const hhmm = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const shown = `${hhmm(window.start)}-${hhmm(window.end)}`;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `source ${source}: readWindow \`${shown}\` closed (host time ${hostTime(now)}) after ${counted} of ${total} tables were counted; no further table was counted. Discover again inside the window, or name one table with --table`,
    { context: { source } },
  );
}
