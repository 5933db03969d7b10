/**
 * MySQL and MariaDB through mysql2. Every read runs in a transaction opened read-only
 * (`SET TRANSACTION READ ONLY` for the next transaction, then `BEGIN`: MySQL 5.6.5+, MariaDB
 * 10.0+), which nothing inside it can lift. Sessions are also `READ ONLY` with a server-side statement timeout
 * (MySQL `max_execution_time` in ms, MariaDB `max_statement_time` in s). Dates are read as text
 * and turned into wall-clock Dates here, so zero dates survive as `0000-00-00` for the repair, and
 * DECIMAL/BIGINT come as text so nothing past 2^53 is rounded.
 */
import type { Knex } from 'knex';
import type { SourceConfig } from '../../../../config/types.js';
import type { LicbridgeError } from '../../../../core/errors.js';
import { markLiteralMode, mysqlQueryFormat } from '../../../../core/mysql-literal-mode.js';
import { KEEPALIVE_IDLE_MS, SOURCE_ANSWER_MARGIN_MS } from '../../../../core/query-bound.js';
import { FINGERPRINT_MOD_SQL } from '../../../../core/reconcile-digest.js';
import { mysqlSslOptions } from '../../../../core/tls-drivers.js';
import type { ColumnMeta, SqlDialect, TableRef } from '../../dialect.js';
import { classifyDriverError, type DriverCodes } from '../../driver-errors.js';
import { jsonColumnValue } from '../../json-text.js';
import { inReadTransaction, type ReadTransactionShape } from '../../read-transaction.js';
import { checkpointHex, numericText, parseWallClock } from '../../values.js';
import { connectionOf, portOf, timeoutsOf } from '../common.js';
import { checkConnectionCharset, NarrowCharsetError, narrowCharsetProblem } from './connection-charset.js';
import { listPlace } from './enum-set.js';
import {
  FLOAT_TYPE,
  FloatCursorError,
  floatCursorProblem,
  floatValue,
  mysqlKnexClient,
  UNTYPED_CURSOR_TEXT,
  WIDENED,
} from './float-columns.js';
import { mysqlKind } from './kind.js';
import { boundMysqlQueries, type MysqlClient } from './query-bound.js';
import { mysqlQueryColumnTypes } from './query-columns.js';
import { mysqlRowFingerprint } from './row-fingerprint.js';
import {
  TIMESTAMP_TYPE,
  timestampCursorText,
  timestampOrdinal,
  valueSpanMicros,
} from './timestamp-cursor.js';

const CODES: DriverCodes = {
  auth: ['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR'],
  noDatabase: ['ER_BAD_DB_ERROR'],
  schema: ['ER_NO_SUCH_TABLE', 'ER_BAD_FIELD_ERROR'],
  // MySQL 5.7+ ER_QUERY_TIMEOUT (3024); MariaDB ER_STATEMENT_TIMEOUT (1969).
  timeout: ['ER_QUERY_TIMEOUT', 3024, 'ER_STATEMENT_TIMEOUT', 1969],
  // 1927 ER_CONNECTION_KILLED (MariaDB), 2006 gone away, 2013 lost during query.
  unreachable: [
    'PROTOCOL_CONNECTION_LOST',
    'ER_CON_COUNT_ERROR',
    'ER_SERVER_SHUTDOWN',
    'ER_CONNECTION_KILLED',
    1927,
    2006,
    2013,
    'ER_QUERY_INTERRUPTED',
  ],
};

/** A row of information_schema.STATISTICS: one column of one index. */
interface StatisticsRow {
  idx: string;
  /** NULL for a functional key part (MySQL 8.0.13+). */
  col: string | null;
  nonUnique: number | string;
  seq: number | string;
  /** The indexed prefix length of a prefix index, NULL when the whole value is indexed. */
  subPart: number | string | null;
  indexType: string;
}

interface MysqlField {
  type: string;
  /** `json` for a MariaDB JSON column (a LONGTEXT), named so in MariaDB's extended metadata. */
  extendedFormat?: string;
  string(encoding?: string): string | null;
}

/** mysql2 typeCast: dates as wall-clock Dates (zero dates kept as text), exact numbers, JSON's too. */
function typeCast(field: MysqlField, next: () => unknown): unknown {
  // mysql2 parses a JSON column with JSON.parse, which rounded a number past a double's digits
  // (json-text.ts). MySQL sends JSON as binary: its text is UTF-8, as mysql2 reads it.
  if (field.type === 'JSON' || field.extendedFormat === 'json') {
    const text = field.type === 'JSON' ? field.string('utf8') : field.string();
    return text === null ? null : jsonColumnValue(text);
  }
  switch (field.type) {
    case 'DATE':
    case 'DATETIME':
    case 'TIMESTAMP': {
      const text = field.string();
      if (text === null) return null;
      // The zero date (and 2019-00-00-style partial dates MySQL accepts) is not a date: keep the
      // text so a `zeroDates` repair or the mapping's date transform can read it as "none".
      return parseWallClock(text) ?? text;
    }
    case 'NEWDECIMAL':
    case 'DECIMAL':
    case 'LONGLONG': {
      const text = field.string();
      return text === null ? null : numericText(text);
    }
    default:
      return next();
  }
}

interface RawMysqlConnection {
  query(sql: string, cb: (error: Error | null, rows?: unknown) => void): void;
}

const run = (conn: RawMysqlConnection, sql: string): Promise<unknown> =>
  new Promise((resolve, reject) => conn.query(sql, (e, rows) => (e ? reject(e) : resolve(rows))));

/** Opened as `START TRANSACTION READ ONLY`, in one round trip (read-begin.ts). */
export const MYSQL_READ: ReadTransactionShape = { config: { readOnly: true } };

// Sources whose server is too old for READ ONLY transactions (found on the first read).
const noReadOnlyTransactions = new WeakSet<Knex>();

export const mysqlDialect: SqlDialect = {
  kind: 'mysql',
  rowValues: true,
  // Column names are case-insensitive in MySQL; table names depend on lower_case_table_names.
  caseInsensitiveIdentifiers: true,
  // TIMESTAMP(n): a Date from typeCast, and its text is in the session's time zone, which changes
  // with the server's setting (and repeats an hour where it keeps summer time): no stable key.
  dateKeyTypes: /^timestamp\b/i,
  // As COLUMN_TYPE writes them (`datetime(6)`); not TIME (a time of day), YEAR, nor an ENUM or SET,
  // whose members COLUMN_TYPE writes into its type (`enum('new','updated')`).
  dateTimeTypes: /^(date|datetime|timestamp)(\s*\(\s*\d\s*\))?$/i,

  async readTransaction<T>(db: Knex, read: (trx: Knex) => PromiseLike<T>): Promise<T> {
    if (noReadOnlyTransactions.has(db)) return read(db);
    try {
      return await inReadTransaction(db, MYSQL_READ, read);
    } catch (error) {
      // MySQL < 5.6.5 and MariaDB < 10.0 do not know the syntax (1064 at the statement opening
      // it); their reads rely on the login's grants, as they always did.
      const e = error as { errno?: number; sql?: string };
      if (e?.errno !== 1064 || !/^(START|SET) TRANSACTION READ ONLY/i.test(e.sql ?? '')) throw error;
      noReadOnlyTransactions.add(db);
      return read(db);
    }
  },

  queryColumnTypes: mysqlQueryColumnTypes,
  // Bound by the type (`bind`): bytes as bytes, a BIT as its number.
  queryColumnTyped: (type: string) => BINARY_TYPE.test(type) || BIT_TYPE.test(type),
  // Its place in the type's list, by which pages are bound (enum-set.ts), is not in a query's metadata.
  queryColumnProblem: (type: string, column: string) =>
    /^(enum|set)$/i.test(type)
      ? `MySQL sorts it by the place of its value in the type's list but compares it with text as text, and a query's column does not show the list: pages would resume at the wrong place and pass rows over; select it as text, \`CAST(${column} AS CHAR) AS ${column}\``
      : null,

  async knexConfig(name: string, config: SourceConfig): Promise<Knex.Config> {
    const c = connectionOf(name, config);
    const timeoutMs = timeoutsOf(config).statementMs;
    return {
      // knex's mysql2 client, refusing a query stream's FLOAT cursor (float-columns.ts).
      client: mysqlKnexClient(),
      connection: {
        host: c.host,
        port: portOf(c.port, mysqlKind.defaultPort),
        database: c.database,
        user: c.user,
        password: c.password,
        ...(c.charset ? { charset: c.charset } : {}),
        // Verified TLS (core/tls-drivers.ts): certificate chain and host name, never silently skipped.
        ...(mysqlSslOptions(c) ? { ssl: mysqlSslOptions(c) } : {}),
        connectTimeout: timeoutsOf(config).connectMs,
        supportBigNumbers: true,
        bigNumberStrings: true,
        typeCast,
        // Bound values as literals the session's sql_mode reads as bound (core/mysql-literal-mode.ts).
        queryFormat: mysqlQueryFormat,
        enableKeepAlive: true,
        keepAliveInitialDelay: KEEPALIVE_IDLE_MS,
      } as Knex.MySql2ConnectionConfig,
      pool: {
        min: 0,
        max: 2,
        afterCreate(
          conn: RawMysqlConnection & MysqlClient,
          done: (error: Error | null, conn: unknown) => void,
        ) {
          // The server's max_statement_time cannot answer over a network that went silent: past it
          // and a margin for its answer, the client gives up and drops the connection
          // (query-bound.ts), where the page's job waited as long as TCP (hours) in a live worker.
          boundMysqlQueries(
            conn,
            () => timeoutMs + SOURCE_ANSWER_MARGIN_MS,
            `sources.${name}.statementTimeoutMs`,
          );
          setupSession(conn, timeoutMs, c.charset).then(
            () => done(null, conn),
            (e: Error) => done(e, conn),
          );
        },
      },
      acquireConnectionTimeout: timeoutsOf(config).connectMs + 5_000,
    };
  },

  async listTables(db: Knex, schema?: string): Promise<string[]> {
    const [rows] = (await db.raw(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = coalesce(?, DATABASE()) ORDER BY TABLE_NAME`,
      [schema ?? null],
    )) as [{ name: string }[]];
    return rows.map((r) => r.name);
  },

  async describeTable(db: Knex, table: TableRef): Promise<ColumnMeta[]> {
    const [cols] = (await db.raw(
      `SELECT c.COLUMN_NAME AS name, c.COLUMN_TYPE AS type, c.IS_NULLABLE AS nullable, t.TABLE_TYPE AS kind
         FROM information_schema.COLUMNS c
         LEFT JOIN information_schema.TABLES t
           ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
        WHERE c.TABLE_SCHEMA = coalesce(?, DATABASE()) AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION`,
      [table.schema ?? null, table.name],
    )) as [{ name: string; type: string; nullable: string; kind: string | null }[]];
    if (cols.length === 0) return [];
    const [index] = (await db.raw(
      `SELECT INDEX_NAME AS idx, COLUMN_NAME AS col, NON_UNIQUE AS nonUnique, SEQ_IN_INDEX AS seq,
              SUB_PART AS subPart, INDEX_TYPE AS indexType
         FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = coalesce(?, DATABASE()) AND TABLE_NAME = ?
        ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
      [table.schema ?? null, table.name],
    )) as [StatisticsRow[]];
    const byIndex = new Map<string, { cols: (string | null)[]; unique: boolean }>();
    const leading = new Set<string>();
    for (const r of index) {
      const entry = byIndex.get(r.idx) ?? { cols: [], unique: Number(r.nonUnique) === 0 };
      entry.cols.push(r.col);
      byIndex.set(r.idx, entry);
      // Only a B-tree returns rows in order (a MEMORY table's HASH index, FULLTEXT and SPATIAL do
      // not); a prefix index (`GXSJ(10)`) cannot order by the whole value. InnoDB's PRIMARY is
      // the clustered key itself.
      if (Number(r.seq) === 1 && r.col && r.subPart === null && r.indexType === 'BTREE') leading.add(r.col);
    }
    const single = (pred: (idx: string, e: { cols: (string | null)[]; unique: boolean }) => boolean) =>
      new Set([...byIndex].filter(([i, e]) => e.cols.length === 1 && pred(i, e)).map(([, e]) => e.cols[0]));
    const pk = single((i) => i === 'PRIMARY');
    const uq = single((_i, e) => e.unique);
    // A view has no indexes of its own: the catalog cannot tell.
    const view = cols[0]?.kind === 'VIEW';
    return cols.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable === 'YES',
      primaryKey: pk.has(c.name),
      unique: uq.has(c.name),
      leadsIndex: view ? null : leading.has(c.name),
    }));
  },

  cursorAsText(db: Knex, column: string, type?: string): Knex.Raw | null {
    // Bytes: mysql2 hands them over exactly, written `\x` and hex in the checkpoint (values.ts). A
    // BIT too: cast to text, its bytes made characters, no value.
    if (type && (BINARY_TYPE.test(type) || BIT_TYPE.test(type))) return null;
    // A FLOAT prints six digits; widened to a double, every digit (float-columns.ts).
    if (type && FLOAT_TYPE.test(type)) return db.raw(`CAST(${WIDENED} AS CHAR)`, [column]);
    // A TIMESTAMP as the instant it holds; its wall clock repeats an hour (timestamp-cursor.ts).
    if (type && TIMESTAMP_TYPE.test(type)) return timestampCursorText(db, column);
    // CAST(DATETIME(6) AS CHAR) keeps the microseconds; DATE_FORMAT would need the precision.
    return db.raw(UNTYPED_CURSOR_TEXT, [column]);
  },

  selectColumn(db: Knex, column: ColumnMeta): Knex.Raw | null {
    // A FLOAT as the double of its value, which mysql2 reads exactly (a key's checkpoint included);
    // `normalise` hands it over as the single it is (a FLOAT(M,D) at its scale, as printed).
    return FLOAT_TYPE.test(column.type) ? db.raw(`${WIDENED} AS ??`, [column.name, column.name]) : null;
  },

  normalise(value: unknown, type: string | undefined): unknown {
    return type && FLOAT_TYPE.test(type) ? floatValue(value, type) : value;
  },

  keyAsText(db: Knex, key: ColumnMeta): Knex.Raw | null {
    // DATE and DATETIME(n) keys come from typeCast as Dates (milliseconds); their text keeps the
    // column's fractional digits and binds back as the same value (date-keys.ts).
    return /^(date|datetime)\b/i.test(key.type) ? db.raw('CAST(?? AS CHAR)', [key.name]) : null;
  },

  bind(db: Knex, text: string, column: ColumnMeta): unknown {
    // A BINARY or VARBINARY key or cursor: its checkpoint is `\x` and hex, bound back as the bytes.
    // As a string it compared its ASCII (`\x41` is 0x5C 0x78 0x34 0x31) with the column's bytes: a
    // page resumed at another key, passing keys over or reading pages again for ever.
    const hex = BINARY_TYPE.test(column.type) ? checkpointHex(text) : undefined;
    if (hex !== undefined) return Buffer.from(hex, 'hex');
    // A BIT as the number its bytes are, which MySQL compares as it orders a BIT. As text, `\x0005`
    // read as the number 0, `key > ?` held for every key, and a read of several pages never ended.
    const bits = BIT_TYPE.test(column.type) ? checkpointHex(text) : undefined;
    if (bits !== undefined) return db.raw('CAST(? AS UNSIGNED)', [BigInt(`0x0${bits}`).toString()]);
    // An ENUM or SET as its place in the type's list (its members' bits), which MySQL compares as
    // its ORDER BY sorts; as text it compared as text (enum-set.ts).
    const place = listPlace(column.type, text);
    if (place !== undefined) return db.raw('CAST(? AS UNSIGNED)', [place]);
    // A string compared with an integer column is converted to a double: exact only below 2^53.
    // Bind integer keys as DECIMAL(65,0), which compares exactly with every integer type.
    if (/int/i.test(column.type) && /^-?\d+$/.test(text)) return db.raw('CAST(? AS DECIMAL(65,0))', [text]);
    // So is one compared with a DECIMAL column on MySQL before 5.6.22 / 5.7.6 (Bug #18411494):
    // DECIMAL(20,0) ids and DECIMAL(20,6) update times that round to one double were skipped or
    // read again. At the column's own scale the comparison is exact.
    const decimal = DECIMAL_TYPE.exec(column.type);
    if (decimal && /^-?\d+(\.\d+)?$/.test(text))
      return db.raw(`CAST(? AS DECIMAL(65,${Math.min(Number(decimal[1] ?? 0), 30)}))`, [text]);
    return text;
  },

  lagBound(db: Knex, lagMs: number, cursor?: ColumnMeta): Knex.Raw {
    // A DATE is lagMs old once its whole day is: the day before the bound's (as PostgreSQL's). At
    // lagMs 0 (the clock alone, keyset.ts `readBound`) today's date is taken.
    if (lagMs > 0 && cursor && /^date$/i.test(cursor.type))
      return db.raw('DATE(NOW(6) - INTERVAL ? MICROSECOND) - INTERVAL 1 DAY', [Math.round(lagMs * 1000)]);
    // A DATETIME is lagMs old once the last instant it stands for is (valueSpanMicros). At lagMs 0
    // only a value ahead of now waits.
    return db.raw('NOW(6) - INTERVAL ? MICROSECOND', [
      Math.round(lagMs * 1000) + valueSpanMicros(lagMs, cursor),
    ]);
  },

  cursorOrdinal: timestampOrdinal,

  rowFingerprint: mysqlRowFingerprint,

  keyBucket(db: Knex, key: ColumnMeta, trim: boolean, buckets: number): Knex.Raw {
    // A key of bytes as the run keys it, `\x` and lowercase hex (values.ts `rowKeyText`), never
    // trimmed: its raw bytes bucketed it apart from the ledger, and every check read it all.
    // A BIT's HEX is its number's, without the leading zeros of the bytes mysql2 hands over.
    const bitBytes = bitBytesOf(key.type);
    const text = BINARY_TYPE.test(key.type)
      ? "CONCAT(X'5C78', LOWER(HEX(??)))"
      : bitBytes !== undefined
        ? `CONCAT(X'5C78', LPAD(LOWER(HEX(??)), ${bitBytes * 2}, '0'))`
        : trim
          ? "TRIM(TRAILING ' ' FROM CAST(?? AS CHAR))"
          : 'CAST(?? AS CHAR)';
    return db.raw(`(CAST(CONV(SUBSTR(MD5(${text}), 1, 7), 16, 10) AS UNSIGNED) % ${Math.trunc(buckets)})`, [
      key.name,
    ]);
  },

  fingerprintSum(db: Knex, alias: string): Knex.Raw {
    // SUM over UNSIGNED is DECIMAL: exact, never a double.
    return db.raw(
      `CAST(COALESCE(SUM(CAST(CONV(SUBSTR(??, 1, 13), 16, 10) AS UNSIGNED)), 0) % ${FINGERPRINT_MOD_SQL} AS CHAR)`,
      [alias],
    );
  },

  classifyError(error: unknown, source: string, user?: string): LicbridgeError {
    if (error instanceof FloatCursorError) return floatCursorProblem(error, source);
    if (error instanceof NarrowCharsetError) return narrowCharsetProblem(error, source);
    return classifyDriverError(error, source, CODES, user);
  },
};

/** `binary(16)`, `varbinary(32)`, `blob`: bytes, which mysql2 hands over as a Buffer. */
const BINARY_TYPE = /^(?:var)?binary\b|^(?:tiny|medium|long)?blob\b/i;
/** `bit(12)`, `bit`: mysql2 hands a BIT over as its bytes, ceil(n / 8) of them. */
const BIT_TYPE = /^bit\b/i;

/** The bytes a BIT(n) is handed over as; undefined for other types. */
function bitBytesOf(type: string): number | undefined {
  if (!BIT_TYPE.test(type)) return undefined;
  const width = /^bit\s*\(\s*(\d+)\s*\)/i.exec(type)?.[1];
  return Math.ceil(Number(width ?? 1) / 8);
}
/** `decimal(20,6)`, `numeric(20)`, `decimal(20,6) unsigned`: the scale, when written. */
const DECIMAL_TYPE = /^(?:decimal|numeric|dec|fixed)\s*\(\s*\d+\s*(?:,\s*(\d+)\s*)?\)/i;

/**
 * READ ONLY session and a statement timeout; servers too old for either still get read. The
 * session's sql_mode, as the server (its config, `init_connect`) set it, tells how bound values
 * are written (core/mysql-literal-mode.ts).
 */
async function setupSession(conn: RawMysqlConnection, timeoutMs: number, charset?: string): Promise<void> {
  // A narrower character set than the server's utf8mb4 loses characters (connection-charset.ts).
  await checkConnectionCharset(charset, (sql) => run(conn, sql));
  const rows = (await run(conn, 'SELECT VERSION() AS v, @@SESSION.sql_mode AS m')) as {
    v: string;
    m: unknown;
  }[];
  markLiteralMode(conn, rows[0]?.m);
  const mariadb = /mariadb/i.test(rows[0]?.v ?? '');
  // MySQL < 5.6.5 and MariaDB < 10.0 lack READ ONLY transactions; the login's grants still hold.
  await run(conn, 'SET SESSION TRANSACTION READ ONLY').catch(() => undefined);
  // A page is several statements (the page, the rows level with its last, the look-up of its keys'
  // other rows); at REPEATABLE READ InnoDB reads them all from one snapshot. A server set to
  // READ-COMMITTED gave each its own: an update committed between the page and its tie read moved
  // the page's last row away, and the other rows of the tie were passed over for good.
  await run(conn, 'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  const timeout = mariadb
    ? `SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}`
    : `SET SESSION max_execution_time = ${Math.round(timeoutMs)}`;
  await run(conn, timeout).catch(() => undefined);
}
