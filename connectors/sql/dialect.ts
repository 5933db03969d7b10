/**
 * What a SQL dialect supplies to the shared SQL source: how to connect, how to read the catalog,
 * how to select a cursor as text and bind checkpoint text back in its native type, and how to
 * turn driver errors into licbridge errors. Knex types stay inside `connectors/sql/`.
 */
import type { Knex } from 'knex';
import type { SourceConfig } from '../../config/types.js';
import type { LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ResolvedStream } from './keyset.js';

/** A column as the database's catalog declares it. */
export interface ColumnMeta {
  name: string;
  /** The declared type as written in the DDL (`CHAR(20)`, `datetime2(7)`, …). */
  type: string;
  nullable: boolean;
  primaryKey: boolean;
  /** Alone covered by a unique index or constraint. */
  unique: boolean;
  /**
   * The first column of an index the planner can walk in order — a B-tree index, the primary key,
   * the clustered key — so a keyset page `(cursor, key) > (?, ?) ORDER BY cursor, key` reads only
   * its own rows. False: every page scans and sorts the whole table. Null when the catalog cannot
   * tell: a view (the indexes of the tables under it are not looked through), a query stream.
   * Partial (filtered), disabled and unusable indexes do not count.
   */
  leadsIndex: boolean | null;
  /**
   * The column's collation where the dialect reads it and the column has one (SQL Server
   * `sys.columns.collation_name`): a key bound into a non-Unicode column converts through its code
   * page (mssql/collated-bind.ts). Absent: the dialect does not need it, or the type has none.
   */
  collation?: string;
}

/**
 * A cursor compared as pages order it (`SqlDialect.cursorOrdinal`): an expression of the column
 * that orders as the column does and compares exactly with a checkpoint's value, and a bound on the
 * column itself, which an index on the cursor serves, below every row past the checkpoint.
 */
export interface CursorOrdinal {
  /** The expression compared in the column's place: `UNIX_TIMESTAMP(col)`. */
  expression: Knex.Raw;
  /** Checkpoint text (the cursor's text, or a form an earlier release wrote) as a value of `expression`. */
  value(text: string): Knex.Raw;
  /**
   * A value the column is at or above on every row whose `expression` is at or above `text`'s, to
   * compare the column itself with, so the index on it is used; null where none is needed.
   */
  floor(text: string): Knex.Raw | null;
  /** The database's clock minus `lagMs`, as a value of `expression`. */
  lagBound(lagMs: number): Knex.Raw;
}

/** Whose position a checkpoint text is: for a message about a value none can name. */
export interface PositionOf {
  source?: string;
  /** The stream's table, or a query stream's name. */
  stream: string;
  role: 'key' | 'cursor';
}

/** A table reference split into its optional schema and its name. */
export interface TableRef {
  schema?: string;
  name: string;
}

/** What a source is opened with that shapes the values its driver parses. */
export interface DriverReading {
  /**
   * IANA zone a list's instants (a PostgreSQL `timestamptz[]`'s elements, which reach the
   * mappings as text) are written in, on its wall clock with its offset, so a text step takes the
   * day a lone instant's `date` takes: the mappings' zone, `lifecycle.timeZone`.
   * @defaultValue `Asia/Shanghai`
   */
  timeZone?: string;
  /**
   * Where the driver's set-up tells what a person should know about the values read (a catalog
   * look-up that failed, so some arrays read as the server's text). @defaultValue the source's logger
   */
  logger?: () => Logger;
}

export interface SqlDialect {
  readonly kind: string;
  /**
   * Row-value comparison `(c, k) > (?, ?)`: one range predicate the planner can drive through an
   * index on (c, k). Dialects without it (SQL Server, Oracle) get the expanded OR form.
   */
  readonly rowValues: boolean;
  /**
   * Declared date/time types not read as a key (date-keys.ts): the driver hands them over as a Date
   * and `keyAsText` has no text for them. Such a stream is refused before reading. Absent: every
   * key type is read (Oracle and DM select theirs as text; SQLite stores text or numbers).
   */
  readonly dateKeyTypes?: RegExp;
  /**
   * Declared types (as `describeTable` and `queryColumnTypes` spell them) that hold a point in time,
   * a date or a date and time of day: a cursor of one is bounded by the database's clock and takes a
   * lag window (resolve-stream.ts `cursorLag`). Each dialect names its own, whole: a type whose name
   * merely holds `date` or `time` (a PostgreSQL enum `update_stage`, a MySQL
   * `enum('new','updated')`) is none. Absent: none is (a database without a lag bound).
   */
  readonly dateTimeTypes?: RegExp;
  /**
   * Whether the driver decodes stored text itself and puts U+FFFD for bytes it cannot read
   * (better-sqlite3 reading TEXT that is not UTF-8): such a value lost them, and its row is
   * quarantined (source-rows.ts). Absent: the server converts the text, or checks it is valid.
   */
  readonly replacesUndecodedBytes?: boolean;
  /** Whether `t_spxk_xkz` names the same table as `T_SPXK_XKZ` (SQLite, MySQL on Windows, …). */
  readonly caseInsensitiveIdentifiers: boolean;
  /**
   * Whether the database compares all text without case, in a way the grouping of a page's keys
   * cannot tell apart (a DM instance initialised `CASE_SENSITIVE = N`): a stream that would need
   * it is refused (case-blind-keys.ts). Asked once a source. Absent: the dialect tells keys apart
   * itself (key-cursors.ts `exactKey`) or compares them as stored.
   */
  caseBlindText?(db: Knex): Promise<boolean>;
  /**
   * Runs one read (a page, a count, a key chunk) inside a transaction that is read-only from its
   * start and rolled back at its end (read-transaction.ts). Absent: the connection itself cannot
   * write (SQLite opens the file read-only).
   */
  readTransaction?<T>(db: Knex, read: (trx: Knex) => PromiseLike<T>): Promise<T>;
  /**
   * A resolved stream checked, or adjusted, before its first page is read; once a stream. `read`
   * runs one read in the read transaction. SQL Server refuses a key's or cursor's collation that
   * its binds would write into SQL, and selects a query stream's varchar key or cursor in a SQL
   * collation as nvarchar, so that pages compare and order it by one set of rules
   * (mssql/query-collation.ts). Absent: the stream as resolved.
   */
  prepareStream?(
    s: ResolvedStream,
    read: <T>(query: (db: Knex) => PromiseLike<T>) => Promise<T>,
  ): Promise<ResolvedStream>;
  /**
   * The declared types of a query's columns by the names a read gives them, spelt as
   * `describeTable` spells a table column's, from the one-row probe that reads none of the query's
   * rows (column-list.ts): a query stream's cursor is checked by its type as a table stream's is
   * (query-cursor.ts). At least every date and time type is named; a column of a type the dialect
   * does not name is left out. `read` runs one read in the read transaction. Absent: a query's
   * types are not known before its rows are read.
   */
  queryColumnTypes?(
    query: { sql: string; params: readonly unknown[] },
    read: <T>(query: (db: Knex) => PromiseLike<T>) => Promise<T>,
  ): Promise<ReadonlyMap<string, string>>;
  /**
   * Whether a query stream's key or cursor of `type` (as `queryColumnTypes` spells it) takes that
   * type, for `bind`, `cursorAsText` and `positionText` to read and bind it as a table column's of
   * the type (MySQL bytes and BIT). Absent, or false: it stays untyped (query-cursor.ts).
   */
  queryColumnTyped?(type: string): boolean;
  /**
   * Why a query stream's key or cursor `column` of `type` (as `queryColumnTypes` spells it) cannot
   * be read, and what to select instead; null where it can (MySQL ENUM and SET: query-cursor.ts).
   * Absent: every type is read.
   */
  queryColumnProblem?(type: string, column: string): string | null;
  /**
   * Knex settings for this source; checks what can be checked before connecting (a file exists).
   * `reading` says how values the driver parses are handed over (the zone a list's instants are
   * written in).
   */
  knexConfig(name: string, config: SourceConfig, reading?: DriverReading): Promise<Knex.Config>;
  /** Tables and views readable by the connection, in the default schema or `schema`. */
  listTables(db: Knex, schema?: string): Promise<string[]>;
  /** The columns of a table in ordinal order; an empty list when the table does not exist. */
  describeTable(db: Knex, table: TableRef): Promise<ColumnMeta[]>;
  /**
   * An expression selecting `column` as text at the database's own precision, or null when the
   * driver already returns an exact value (SQLite hands back the stored text or integer).
   */
  cursorAsText(db: Knex, column: string, type?: string): Knex.Raw | null;
  /**
   * A select-list entry for a column the driver would hand over inexactly (SQL Server DECIMAL(38)
   * as a rounded double), or null to select it as is. Table streams only.
   */
  selectColumn?(db: Knex, column: ColumnMeta): Knex.Raw | null;
  /**
   * A date/time key column as text at the database's own precision, which `bind` reads back as the
   * same value and which sorts as the column does: the row's key and its checkpoint (date-keys.ts).
   * Null for other types, and where the dialect has none (`dateKeyTypes` then refuses the key).
   */
  keyAsText?(db: Knex, key: ColumnMeta): Knex.Raw | null;
  /** Turns checkpoint text back into a parameter of the column's native type. */
  bind(db: Knex, text: string, column: ColumnMeta): unknown;
  /**
   * A key or cursor value as the driver returned it, as checkpoint text that `bind` turns back
   * into the same value, where the shared form (values.ts `toCheckpointText`) would not: in SQLite
   * the text `00042` in a column without TEXT affinity would bind back as the integer 42.
   * Undefined (or absent): the shared form. `at` names the source, the stream and the column's
   * role (`key`, `cursor`) for a value no checkpoint can name, which the dialect refuses.
   */
  positionText?(value: unknown, column: ColumnMeta, at?: PositionOf): string | undefined;
  /**
   * Maps a driver error to SOURCE_UNREACHABLE / SOURCE_AUTH / SOURCE_QUERY; `user` is the configured
   * login, named in an authentication error (the password never is).
   */
  classifyError(error: unknown, source: string, user?: string): LicbridgeError;
  /**
   * The database's own clock minus `lagMs`, comparable with a date/time cursor column. Computed by
   * the database, so the licbridge host's clock and zone play no part. Absent: no lag window.
   */
  lagBound?(db: Knex, lagMs: number, cursor?: ColumnMeta): Knex.Raw;
  /**
   * For a cursor column that compares with a bound value otherwise than pages order it (a MySQL
   * `TIMESTAMP`: ordered by the instant it holds, compared in the session zone's wall clock, which
   * repeats an hour where the zone keeps summer time): what the keyset predicates compare in its
   * place (mysql/timestamp-cursor.ts). Null or absent: the column and `bind`, `lagBound`.
   */
  cursorOrdinal?(db: Knex, cursor: ColumnMeta): CursorOrdinal | null;
  /**
   * For a cursor whose values the database hands out when a row is written, not when it commits
   * (SQL Server `rowversion`): the value below which every row is committed, computed by the
   * database. Pages take only rows below it; a transaction still open holds a lower value than
   * rows committed since, and a page ending past them left its row behind the checkpoint for good.
   * Such a cursor is a counter: no lag window applies to it. Null or absent: no such bound.
   */
  settledBound?(db: Knex, cursor: ColumnMeta): Knex.Raw | null;
  /**
   * Turns a driver-specific shape into a plain value before the shared normalisation (SQL Server
   * rowversion bytes to hex, Oracle NUMBER text to a number when exact, …). `type` is the declared
   * type when known (table streams), undefined for query streams.
   */
  normalise?(value: unknown, type: string | undefined): unknown;
  /**
   * In-database row fingerprint (see connectors/sql/fingerprint.ts): md5 hex, lowercase, over
   * `prefix` and every column as stored, injective per column (NULL distinct from any value).
   * Absent: the fingerprint is computed in JavaScript and bucket digests stream the rows.
   */
  rowFingerprint?(db: Knex, columns: readonly ColumnMeta[], prefix: string): Knex.Raw;
  /** `int(md5(key text)[0..7]) mod buckets` inside the database; key text as `rowKeyText` gives it. */
  keyBucket?(db: Knex, key: ColumnMeta, trim: boolean, buckets: number): Knex.Raw;
  /** Aggregate: sum mod 2^52 of the first 13 hex digits of the fingerprint column `alias`, as text. */
  fingerprintSum?(db: Knex, alias: string): Knex.Raw;
}
