/**
 * SQL Server through tedious (knex's `mssql` client). SQL Server has no read-only session or
 * transaction: use a login that holds only `db_datareader`; `ApplicationIntent=ReadOnly` routes to
 * a readable secondary where there is one (which refuses writes). Every read runs in a READ
 * COMMITTED transaction that is rolled back, so nothing a query's function wrote outlives it.
 * Statement timeout is tedious' `requestTimeout`.
 *
 * Dates: DATETIME and DATETIME2 carry no zone. tedious reads them as UTC (`useUTC: true`), so the
 * Date's UTC fields are exactly the stored fields on every host — the unshifted value that people
 * reach for `useUTC: false` to get, without depending on the licbridge host's time zone.
 * DATETIMEOFFSET is an instant (tedious returns the right one either way): it is marked as zoned
 * (core/local-date.ts) so the mapping takes its calendar day in the configured zone. Table streams
 * know it from the declared type; query streams from the column metadata tedious sends with the
 * rows, read by our knex client (mssql/knex-client.ts) before knex drops it.
 */
import type { Knex } from 'knex';
import type { SourceConfig } from '../../../../config/types.js';
import type { LicbridgeError } from '../../../../core/errors.js';
import { zonedInstant } from '../../../../core/local-date.js';
import { mssqlTlsOptions } from '../../../../core/tls-drivers.js';
import type { ColumnMeta, SqlDialect, TableRef } from '../../dialect.js';
import { classifyDriverError, type DriverCodes } from '../../driver-errors.js';
import { type KeptPrecision, valueSpanMs } from '../../lag-window.js';
import { inReadTransaction, type ReadTransactionShape } from '../../read-transaction.js';
import { numericText } from '../../values.js';
import { connectionOf, portOf, safeType, timeoutsOf } from '../common.js';
import { collatedCast, UnsafeCollationError, unsafeCollationProblem } from './collated-bind.js';
import { binaryCursorText, stringCursorText, TYPED_CURSOR_TEXT, UNTYPED_CURSOR_TEXT } from './cursor-text.js';
import { mssqlKind } from './kind.js';
import { mssqlKnexClient } from './knex-client.js';
import { prepareMssqlStream } from './query-collation.js';
import { mssqlQueryColumnTypes } from './query-columns.js';
import {
  DECIMAL_AS_TEXT,
  MONEY_AS_TEXT,
  moneyValue,
  RoundedDecimalError,
  roundedDecimalProblem,
} from './wide-decimal.js';

// tedious: ELOGIN (18456 login failed, 18486 locked), ESOCKET / ETIMEOUT / ECONNCLOSED network,
// 4060 cannot open database, 208 invalid object, 207 invalid column.
const CODES: DriverCodes = {
  auth: ['ELOGIN', 18456, 18486, 18488],
  noDatabase: [4060],
  schema: [208, 207],
  timeout: [],
  // ECLOSE: tedious' request on a connection that closed under it, which mssql hands on as `number`.
  unreachable: ['ESOCKET', 'ETIMEOUT', 'ECONNCLOSED', 'ECONNRESET', 'EINSTLOOKUP', 'ENOTOPEN', 'ECLOSE'],
};
// ETIMEOUT on a request (a RequestError; a connect's is a ConnectionError) is requestTimeout, the
// statement timeout: tedious cancelled the statement and the connection is fine. Taken as a lost
// connection, the read sent it again at once on a fresh one, twice, each running to the timeout.
const REQUEST_CODES: DriverCodes = { ...CODES, timeout: ['ETIMEOUT'] };

/** Whether tedious failed a request for outliving `requestTimeout`. */
function requestTimedOut(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.constructor.name === 'RequestError' &&
    (error as { code?: unknown }).code === 'ETIMEOUT'
  );
}

const ROWVERSION = /^(rowversion|timestamp)$/i;
const BINARY = /^(binary|varbinary)\b/i;
// DECIMAL/NUMERIC wider than a double's 15 exact digits: tedious would hand them over as a rounded
// JS number, so they are selected as text. A query stream's are checked value by value as they
// arrive, and a value not held exactly fails the read (wide-decimal.ts).
const WIDE_DECIMAL = /^(decimal|numeric)\s*\(\s*(1[6-9]|[23]\d)\b/i;
// MONEY is 19 digits, four of them decimals, and tedious divides its stored integer by 10^4 into a
// double: from 549,755,813,888 (2^39) up doubles lie further apart than 0.0001 and amounts come out
// rounded. It is selected as text too, in CONVERT style 2: CAST to varchar (style 0) prints two
// decimals. SMALLMONEY (ten digits) is read exactly, but its cursor text needs the style as well.
const MONEY = /^money$/i;
const ANY_MONEY = /^(small)?money$/i;
const ZONED = /^datetimeoffset\b/i;
/**
 * A DATETIME2(p) or DATETIMEOFFSET(p) is kept to p digits (seven at most), rounded as stored; the
 * bound moves by whole milliseconds (DATEADD counts in them). A DATETIME stands for 2 ms: 1/600 s
 * (half a tick) and the 1/3 ms its printed milliseconds lie below it, in whole ms (lagBound).
 */
const KEPT: KeptPrecision = {
  fixed: [[/^datetime$/i, 2]],
  digits: /^(?:datetime2|datetimeoffset)\s*\(\s*(\d)\s*\)/i,
  finest: 7,
  step: 1,
};

/** READ COMMITTED (snapshot, where the database has READ_COMMITTED_SNAPSHOT on), then ROLLBACK. */
export const MSSQL_READ: ReadTransactionShape = { config: { isolationLevel: 'read committed' } };

export const mssqlDialect: SqlDialect = {
  kind: 'mssql',
  // No row-value comparison in T-SQL: keyset.ts expands (c, k) > (?, ?) into c > ? OR (c = ? AND k > ?).
  rowValues: false,
  caseInsensitiveIdentifiers: true,
  // tedious hands these over as Dates; `timestamp` is rowversion (bytes), read as hex.
  dateKeyTypes: /^(date|datetime|datetime2|smalldatetime|datetimeoffset|time)\b/i,
  // Not `time` (a time of day) nor `timestamp`, which is rowversion (settledBound).
  dateTimeTypes: /^(date|datetime|smalldatetime|(datetime2|datetimeoffset)(\s*\(\s*\d\s*\))?)$/i,

  readTransaction: (db, read) => inReadTransaction(db, MSSQL_READ, read),

  prepareStream: prepareMssqlStream,

  queryColumnTypes: mssqlQueryColumnTypes,

  async knexConfig(name: string, config: SourceConfig): Promise<Knex.Config> {
    const c = connectionOf(name, config);
    return {
      client: mssqlKnexClient(),
      connection: {
        server: c.host ?? 'localhost',
        ...(c.instanceName ? {} : { port: portOf(c.port, mssqlKind.defaultPort) }),
        database: c.database,
        user: c.user,
        password: c.password,
        connectionTimeout: timeoutsOf(config).connectMs,
        requestTimeout: timeoutsOf(config).statementMs,
        options: {
          useUTC: true,
          readOnlyIntent: true,
          appName: `licbridge:${name}`,
          // Encrypted and verified by default (core/tls-drivers.ts).
          ...mssqlTlsOptions(c),
          ...(c.instanceName ? { instanceName: c.instanceName } : {}),
        },
      } as Knex.MsSqlConnectionConfig,
      pool: { min: 0, max: 2 },
    };
  },

  async listTables(db: Knex, schema?: string): Promise<string[]> {
    const rows: { name: string }[] = await db.raw(
      `SELECT TABLE_NAME AS name FROM INFORMATION_SCHEMA.TABLES
        WHERE TABLE_SCHEMA = coalesce(?, SCHEMA_NAME()) ORDER BY TABLE_NAME`,
      [schema ?? null],
    );
    return rows.map((r) => r.name);
  },

  /**
   * A column of an alias type (`CREATE TYPE UpdTime FROM smalldatetime`, common in legacy schemas)
   * is described by the system type it stands for. Named by its alias, a SMALLDATETIME cursor's
   * lag bound had no margin for its rounding to the minute, one whose alias names no date or time
   * was refused a lag window, a date/time key was no date key (dateKeyTypes), and a key was bound
   * as text, not in its type and collation. So is a column of SQL Server's own alias `sysname`
   * (nvarchar(128)): a system type (is_user_defined 0) whose user_type_id is not its system type's,
   * described as `sysname` while only a user's alias was resolved. CLR types (hierarchyid,
   * geography, a user's own) keep their names; every other system type is its own system type.
   */
  async describeTable(db: Knex, table: TableRef): Promise<ColumnMeta[]> {
    const rows: {
      name: string;
      type: string;
      nullable: number | boolean;
      pk: number;
      uq: number;
      leads: number;
      isView: number;
      collation: string | null;
    }[] = await db.raw(
      `SELECT c.name AS name,
                t.name + CASE
                  WHEN t.name IN ('varchar','char','varbinary','binary')
                    THEN '(' + CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length AS varchar(10)) END + ')'
                  WHEN t.name IN ('nvarchar','nchar')
                    THEN '(' + CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length / 2 AS varchar(10)) END + ')'
                  WHEN t.name IN ('decimal','numeric')
                    THEN '(' + CAST(c.precision AS varchar(3)) + ',' + CAST(c.scale AS varchar(3)) + ')'
                  WHEN t.name IN ('datetime2','datetimeoffset','time')
                    THEN '(' + CAST(c.scale AS varchar(3)) + ')'
                  ELSE '' END AS type,
                c.is_nullable AS nullable,
                CASE WHEN EXISTS (SELECT 1 FROM sys.indexes i JOIN sys.index_columns ic
                        ON ic.object_id = i.object_id AND ic.index_id = i.index_id
                       WHERE i.object_id = c.object_id AND i.is_primary_key = 1 AND ic.column_id = c.column_id
                         AND (SELECT COUNT(*) FROM sys.index_columns x WHERE x.object_id = i.object_id
                               AND x.index_id = i.index_id AND x.key_ordinal > 0) = 1)
                     THEN 1 ELSE 0 END AS pk,
                CASE WHEN EXISTS (SELECT 1 FROM sys.indexes i JOIN sys.index_columns ic
                        ON ic.object_id = i.object_id AND ic.index_id = i.index_id
                       WHERE i.object_id = c.object_id AND i.is_unique = 1 AND ic.column_id = c.column_id
                         AND i.has_filter = 0
                         AND (SELECT COUNT(*) FROM sys.index_columns x WHERE x.object_id = i.object_id
                               AND x.index_id = i.index_id AND x.key_ordinal > 0) = 1)
                     THEN 1 ELSE 0 END AS uq,
                CASE WHEN EXISTS (SELECT 1 FROM sys.indexes i JOIN sys.index_columns ic
                        ON ic.object_id = i.object_id AND ic.index_id = i.index_id
                       WHERE i.object_id = c.object_id AND ic.column_id = c.column_id AND ic.key_ordinal = 1
                         AND i.type IN (1, 2) AND i.is_disabled = 0 AND i.is_hypothetical = 0
                         AND i.has_filter = 0)
                     THEN 1 ELSE 0 END AS leads,
                CASE WHEN o.type = 'V' THEN 1 ELSE 0 END AS isView,
                c.collation_name AS collation
           FROM sys.columns c JOIN sys.types u ON u.user_type_id = c.user_type_id
           JOIN sys.types t ON t.user_type_id =
                CASE WHEN u.is_assembly_type = 0 THEN u.system_type_id
                     ELSE u.user_type_id END
           JOIN sys.objects o ON o.object_id = c.object_id
          WHERE c.object_id = OBJECT_ID(?)
          ORDER BY c.column_id`,
      [table.schema ? `${table.schema}.${table.name}` : table.name],
    );
    return rows.map((r) => ({
      name: r.name,
      type: r.type,
      nullable: Boolean(r.nullable),
      primaryKey: r.pk === 1,
      unique: r.pk === 1 || r.uq === 1,
      // key_ordinal 1: the first key column (0 marks an INCLUDE column, which orders nothing).
      // Types 1 and 2 are the clustered and nonclustered B-trees; a columnstore, XML, spatial or
      // in-memory hash index returns no order. A filtered index holds only some rows. A view is
      // read through the indexes of its tables, which are not looked through: the catalog cannot tell.
      leadsIndex: r.isView === 1 ? null : r.leads === 1,
      // NULL for types that are not character strings.
      ...(r.collation ? { collation: r.collation } : {}),
    }));
  },

  cursorAsText(db: Knex, column: string, type?: string): Knex.Raw {
    // Style 1: binary as 0x-prefixed hex. Style 121: ODBC canonical with every fractional digit the
    // type has — 3 for DATETIME (its 1/300 s ticks), 7 for DATETIME2(7). Integers and DECIMAL print
    // every digit in any style; MONEY, FLOAT and REAL take 121 as style 0 and print few.
    if (type && (ROWVERSION.test(type) || BINARY.test(type))) return db.raw(binaryCursorText(type), [column]);
    // MONEY takes styles 0, 1, 2 and 126; only style 2 prints all four decimals. A query stream's
    // cursor has no type: a MONEY one is made exact as it is read (cursor-text.ts). So is a FLOAT or
    // REAL one of either kind of stream: no style prints every digit before SQL Server 2016.
    if (type && ANY_MONEY.test(type)) return db.raw(MONEY_AS_TEXT, [column]);
    // A string cursor whole and as stored, not cut to 40 bytes nor through a code page (cursor-text.ts).
    const string = type ? stringCursorText(type) : null;
    if (string) return db.raw(string, [column]);
    return db.raw(type ? TYPED_CURSOR_TEXT : UNTYPED_CURSOR_TEXT, [column]);
  },

  bind(db: Knex, text: string, column: ColumnMeta): unknown {
    if (ROWVERSION.test(column.type) || BINARY.test(column.type)) {
      const hex = text.replace(/^(0x|\\x)/i, '');
      return Buffer.from(hex, 'hex');
    }
    // Bind in the column's own type. An nvarchar parameter against a varchar key converts the
    // column side and scans the index; a DATETIME2 parameter against a DATETIME column compares
    // `.003` as `.0033333` (SQL Server 2016+) and the last row of a page would be read forever.
    // A char/varchar one converts through its own collation's code page (collated-bind.ts).
    const collated = collatedCast(column);
    if (collated) return db.raw(collated, [text]);
    const type = safeType(column.type);
    return type ? db.raw(`CAST(? AS ${type})`, [text]) : text;
  },

  lagBound(db: Knex, lagMs: number, cursor?: ColumnMeta): Knex.Raw {
    // A DATETIMEOFFSET cursor holds instants. SYSDATETIME() is a datetime2, which SQL Server
    // converts to DATETIMEOFFSET with the offset +00:00 to compare: on a server at +08:00 the bound
    // lay eight hours ahead, and rows committing during a read passed it. Zone-less cursors hold the
    // server's wall clock, as SYSDATETIME() does.
    const now = cursor && ZONED.test(cursor.type) ? 'SYSDATETIMEOFFSET()' : 'SYSDATETIME()';
    // A DATE is lagMs old once its whole day is: the day before the bound's (as PostgreSQL's). At
    // lagMs 0 (the clock alone, keyset.ts `readBound`) today's date is taken.
    if (lagMs > 0 && cursor && /^date$/i.test(cursor.type))
      return db.raw(`DATEADD(day, -1, CAST(DATEADD(millisecond, ?, ${now}) AS date))`, [-Math.round(lagMs)]);
    // SMALLDATETIME is rounded to the minute: a row written at 08:01:29 holds 08:01:00, as does one
    // of 08:00:30. A value is lagMs old once the last instant it stands for is, 30 s after it: from
    // now - lagMs, a row written later in that half minute with a lower key lay behind the page.
    // At lagMs 0 (the clock alone, keyset.ts `readBound`) only a value ahead of now waits.
    if (lagMs > 0 && cursor && /^smalldatetime$/i.test(cursor.type))
      return db.raw(`DATEADD(second, -30, DATEADD(millisecond, ?, ${now}))`, [-Math.round(lagMs)]);
    // A DATETIME2(p) or DATETIMEOFFSET(p) of fewer than seven digits is rounded to p as stored:
    // `08:00:00` (p 0) stands for a change made as late as 08:00:00.5, and is lagMs old once that
    // is. From its own instant, a row written at 08:00:00.4 and committed inside the window, after
    // a read took that second's rows, lay behind the checkpoint with a lower key. The bound lies
    // one unit of p further back (a whole millisecond at the least: DATEADD counts in them).
    // A DATETIME is kept in ticks of 1/300 s, rounded to the nearest (`.000`, `.003`, `.007`): a
    // change written up to 1/600 s after a tick holds it, and below compatibility level 130 it is
    // compared with the DATETIME2 bound as the milliseconds it prints, up to 1/3 ms below the tick.
    // 2 ms cover both (mssql-datetime-lag.test.ts); without them a row written just after
    // now - lagMs and committed inside the window could hold a tick the read took, behind the checkpoint.
    return db.raw(`DATEADD(millisecond, ?, ${now})`, [-Math.round(lagMs) - valueSpanMs(lagMs, cursor, KEPT)]);
  },

  settledBound(db: Knex, cursor: ColumnMeta): Knex.Raw | null {
    // A rowversion is given when a row is written: an open transaction's rows hold values below
    // those committed since. MIN_ACTIVE_ROWVERSION() (SQL Server 2005 SP2+) is the lowest value of
    // a transaction still open, @@DBTS + 1 when none is: every row below it is committed.
    return ROWVERSION.test(cursor.type) ? db.raw('MIN_ACTIVE_ROWVERSION()') : null;
  },

  selectColumn(db: Knex, column: ColumnMeta): Knex.Raw | null {
    if (WIDE_DECIMAL.test(column.type)) return db.raw(`${DECIMAL_AS_TEXT} AS ??`, [column.name, column.name]);
    if (MONEY.test(column.type)) return db.raw(`${MONEY_AS_TEXT} AS ??`, [column.name, column.name]);
    return null;
  },

  normalise(value: unknown, type: string | undefined): unknown {
    if (value instanceof Uint8Array && type && ROWVERSION.test(type)) {
      // rowversion is a change counter, not data: hand it over as the hex SQL Server prints.
      return `0x${Buffer.from(value).toString('hex').toUpperCase()}`;
    }
    // tedious returns BIGINT as text; wide DECIMALs arrive as text through selectColumn.
    if (typeof value === 'string' && type && /^(bigint|decimal|numeric)/i.test(type))
      return numericText(value);
    // MONEY text (selectColumn): the number tedious read where it was exact, the text where not.
    if (typeof value === 'string' && type && MONEY.test(type)) return moneyValue(value);
    // The same Date, marked: a copy would not carry the mark.
    if (value instanceof Date && type && ZONED.test(type)) return zonedInstant(value);
    return value;
  },

  classifyError(error: unknown, source: string, user?: string): LicbridgeError {
    if (error instanceof RoundedDecimalError) return roundedDecimalProblem(error, source);
    if (error instanceof UnsafeCollationError) return unsafeCollationProblem(error, source);
    return classifyDriverError(error, source, requestTimedOut(error) ? REQUEST_CODES : CODES, user);
  },
};
