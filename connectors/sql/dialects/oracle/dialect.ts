/**
 * Oracle through node-oracledb. Thin mode (pure JavaScript) by default; Oracle 11g needs thick
 * mode (`connection.thickMode: true`, with Oracle Instant Client in `libDir`), because thin mode
 * refuses servers older than 12.1 (NJS-138).
 *
 * NUMBER is fetched as text and made a number only when exact; CLOB as text and BLOB as bytes,
 * read fully and bounded by `maxValueBytes`. Unquoted Oracle identifiers are stored upper-case:
 * `t_spxk_xkz` in the config finds `T_SPXK_XKZ`.
 */
import type { Knex } from 'knex';
import type { SourceConfig } from '../../../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import { isZonedInstant, zonedInstant } from '../../../../core/local-date.js';
import { startOracleThickMode } from '../../../../core/oracle-thick.js';
import { oracleConnectionTls } from '../../../../core/oracle-tls.js';
import type { ColumnMeta, SqlDialect, TableRef } from '../../dialect.js';
import { classifyDriverError, type DriverCodes } from '../../driver-errors.js';
import { type KeptPrecision, valueSpanMs } from '../../lag-window.js';
import { inReadTransaction, type ReadTransactionShape } from '../../read-transaction.js';
import { checkpointHex, numericText, wallClockUtc } from '../../values.js';
import { connectionOf, portOf, timeoutsOf } from '../common.js';
import { describeOracleFamilyTable } from './describe-table.js';
import { oracleKind } from './kind.js';
import { oracleKnexClient } from './knex-client.js';
import { oracleQueryColumnTypes } from './query-columns.js';
import {
  isFetchedWallClock,
  type OracledbFetchTypes,
  SESSION_FORMATS,
  signedWallClock,
  sourceFetchTypeHandler,
  zonedCursorBind,
  zonedCursorText,
} from './session-formats.js';
import { installZonedFetch } from './zoned-fetch.js';

const CODES: DriverCodes = {
  // ORA-01017 invalid username/password, ORA-28000 account locked, ORA-28001 password expired.
  auth: ['ORA-01017', 1017, 'ORA-28000', 28000, 'ORA-28001', 28001],
  // ORA-12514 / ORA-12505: the listener does not know the service / SID.
  noDatabase: ['ORA-12514', 12514, 'ORA-12505', 12505],
  schema: ['ORA-00942', 942, 'ORA-00904', 904],
  // NJS-123 / DPI-1067: callTimeout expired (the statement timeout); ORA-01013 user cancel.
  timeout: ['NJS-123', 'DPI-1067', 'ORA-01013', 1013],
  unreachable: [
    'NJS-500',
    'NJS-501',
    'NJS-503',
    'NJS-510',
    'NJS-511',
    'NJS-521',
    'DPI-1080',
    'ORA-12541',
    12541,
    'ORA-12170',
    12170,
    'ORA-03113',
    3113,
    'ORA-03114',
    3114,
    'ORA-03135',
    3135,
    'ORA-12537',
    12537,
  ],
};

const DATE_ONLY = /^DATE$/i;
const TIMESTAMP = /^TIMESTAMP(\(\d\))?$/i;
/**
 * A DATE holds whole seconds; a TIMESTAMP(p) or DM DATETIME(p) is kept to p digits (rounded as
 * stored), of which the lag bound counts six.
 */
const KEPT: KeptPrecision = {
  fixed: [[DATE_ONLY, 1000]],
  digits: /^(?:DATETIME|TIMESTAMP)\s*\(\s*(\d)\s*\)/i,
  finest: 6,
};
const ZONED = /WITH (LOCAL )?TIME ZONE/i;
const NUMBER = /^(NUMBER|FLOAT|INTEGER|DECIMAL)/i;
// IEEE floats (Oracle 10g on); FLOAT(p) is a NUMBER.
const [BINARY_DOUBLE, BINARY_FLOAT] = [/^BINARY_DOUBLE$/i, /^BINARY_FLOAT$/i];
// The national character set (AL16UTF16): what a database whose own set is not Unicode
// (WE8MSWIN1252, ZHS16GBK) keeps its Chinese, or the characters GBK lacks, in.
const NATIONAL = /^N(?:VAR)?CHAR2?\b/i;

/**
 * Text as the ASCII of Oracle's `UNISTR` escapes: `\XXXX` for each UTF-16 code unit outside
 * printable ASCII, `\\` for a backslash. Every database character set holds it unchanged.
 */
export function unistrEscaped(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x5c) out += '\\\\';
    else if (unit >= 0x20 && unit <= 0x7e) out += text[i];
    else out += `\\${unit.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/**
 * The indexes each column leads, by column name. Only a B-tree returns rows in order: `NORMAL`,
 * and `IOT - TOP`, the primary key of an index-organized table, which is the table itself. A
 * bitmap or reverse-key (`NORMAL/REV`) index cannot serve a range in order; an `UNUSABLE` or
 * `INVISIBLE` one (11g+) is not used by the optimizer. A primary key or unique constraint is
 * enforced through an index, which is listed here too. Read apart from the columns (see
 * describe-table.ts `describeOracleFamilyTable`): `visibility` is 11g+, and a server without it
 * must still be read.
 */
const ORACLE_LEADS = `SELECT ic.column_name AS name, COUNT(*) AS leads
  FROM all_ind_columns ic JOIN all_indexes ix
    ON ix.owner = ic.index_owner AND ix.index_name = ic.index_name
 WHERE ic.table_owner = ? AND ic.table_name = ? AND ic.column_position = 1
   AND ix.index_type IN ('NORMAL', 'IOT - TOP') AND ix.status <> 'UNUSABLE' AND ix.visibility = 'VISIBLE'
 GROUP BY ic.column_name`;

/** knex's Oracle transaction only turns autocommit off; READ ONLY first, then writes fail (ORA-01456). */
export const ORACLE_READ: ReadTransactionShape = { config: {}, first: 'SET TRANSACTION READ ONLY' };

export const oracleDialect: SqlDialect = {
  kind: 'oracle',
  // Oracle has row-value comparison only for equality; keyset.ts expands the pair comparison.
  rowValues: false,
  caseInsensitiveIdentifiers: true,
  // As ALL_TAB_COLUMNS writes them (`TIMESTAMP(6) WITH LOCAL TIME ZONE`); not an INTERVAL (a
  // duration), nor an object type of the user's whose name holds DATE or TIME.
  dateTimeTypes: /^(DATE|TIMESTAMP(\s*\(\s*\d\s*\))?(\s+WITH(\s+LOCAL)?\s+TIME\s+ZONE)?)$/i,

  readTransaction: (db, read) => inReadTransaction(db, ORACLE_READ, read),

  queryColumnTypes: oracleQueryColumnTypes,

  async knexConfig(name: string, config: SourceConfig): Promise<Knex.Config> {
    const c = connectionOf(name, config);
    const callTimeout = timeoutsOf(config).statementMs;
    // Imported by a name TypeScript does not resolve: node-oracledb ships no type declarations.
    const driver = 'oracledb';
    const { default: oracledb } = (await import(driver)) as {
      default: OracledbFetchTypes & { thin: boolean };
    };
    installZonedFetch(oracledb);
    if (c.thickMode) {
      try {
        startOracleThickMode(c.libDir);
      } catch (cause) {
        throw new LicbridgeError(
          ErrorCodes.SOURCE_UNREACHABLE,
          `source ${name}: cannot load Oracle Instant Client for thick mode${c.libDir ? ` from ${c.libDir}` : ''}: ${(cause as Error).message}`,
          { context: { source: name }, cause },
        );
      }
    }
    const port = portOf(c.port, oracleKind.defaultPort);
    // With `tls`, the built address uses TCPS and the wallet holds the client's certificate, its
    // key and the CA; what the driver cannot honour is refused before anything is sent, as for an
    // Oracle front database (core/oracle-tls.ts). A written `connectString` says its own protocol.
    const tls = oracleConnectionTls(
      { label: `source ${name}`, on: 'an Oracle source', context: { source: name } },
      { ...c, port },
      c,
      oracledb.thin,
    );
    return {
      // knex's own client hands the driver none of the wallet's attributes (./knex-client.ts).
      client: oracleKnexClient() as Knex.Config['client'],
      connection: {
        user: c.user,
        password: c.password,
        connectString: c.connectString ?? `${c.host ?? 'localhost'}:${port}/${c.database ?? ''}`,
        connectTimeout: Math.ceil(timeoutsOf(config).connectMs / 1000),
        // Default fetch is ~100 rows per round trip; a page comes in one or two.
        fetchArraySize: 1000,
        prefetchRows: 1000,
        // Each statement of the source's connections (knex-client.ts): a query stream's DATE and
        // TIMESTAMP as text in the session's formats (session-formats.ts).
        fetchTypeHandler: sourceFetchTypeHandler(oracledb),
        ...tls,
      } as unknown as Knex.OracleDbConnectionConfig,
      fetchAsString: ['number', 'clob'],
      fetchAsBuffer: ['blob'],
      pool: {
        min: 0,
        max: 2,
        afterCreate(conn: OracleRawConnection, done: (e: Error | null, conn: unknown) => void) {
          // callTimeout bounds every round trip of the connection: the statement timeout.
          conn.callTimeout = callTimeout;
          // licbridge's own formats for text <-> dates and numbers, not the login's NLS settings.
          conn.execute(SESSION_FORMATS, [], {}, (error: Error | null) => done(error ?? null, conn));
        },
      },
    } as Knex.Config;
  },

  async listTables(db: Knex, schema?: string): Promise<string[]> {
    const rows: { NAME: string }[] = await db.raw(
      `SELECT table_name AS name FROM all_tables WHERE owner = NVL(?, USER)
       UNION SELECT view_name FROM all_views WHERE owner = NVL(?, USER) ORDER BY 1`,
      [schema ?? null, schema ?? null],
    );
    return rows.map((r) => r.NAME);
  },

  describeTable: (db: Knex, table: TableRef) =>
    describeOracleFamilyTable(db, table, { kind: oracleKind.kind, leads: ORACLE_LEADS }),

  cursorAsText(db: Knex, column: string, type?: string): Knex.Raw | null {
    // Explicit formats: TO_CHAR without one follows the session's NLS settings, which differ
    // between the DBA's client and licbridge. FF9 carries every fractional digit a TIMESTAMP has.
    // A query stream's cursor has no declared type: TO_CHAR in the session's formats, which every
    // connection of the source sets to licbridge's own (session-formats.ts), as the server reads
    // the checkpoint text bound back.
    if (type && DATE_ONLY.test(type)) return db.raw(`TO_CHAR(??, 'YYYY-MM-DD HH24:MI:SS')`, [column]);
    if (type && ZONED.test(type)) return zonedCursorText(db, column, type);
    if (type && TIMESTAMP.test(type)) return db.raw(`TO_CHAR(??, 'YYYY-MM-DD HH24:MI:SS.FF9')`, [column]);
    if (type && NUMBER.test(type)) return db.raw(`TO_CHAR(??, 'TM9')`, [column]);
    // A binary float: the text of the number fetched (session-formats.ts binaryFloatText). TO_CHAR
    // prints "its significant digits", undefined for a binary float; a format goes through NUMBER.
    if (type && (BINARY_DOUBLE.test(type) || BINARY_FLOAT.test(type))) return null;
    // NCHAR, NVARCHAR2: the text node-oracledb reads, whole. TO_CHAR converts it to the database
    // character set, `?` for each character that set lacks (STANDARDS §6, national charsets).
    if (type && NATIONAL.test(type)) return null;
    return db.raw('TO_CHAR(??)', [column]);
  },

  bind(db: Knex, text: string, column: ColumnMeta): unknown {
    if (DATE_ONLY.test(column.type)) return db.raw(`TO_DATE(?, 'YYYY-MM-DD HH24:MI:SS')`, [text]);
    if (ZONED.test(column.type)) return zonedCursorBind(db, text);
    if (TIMESTAMP.test(column.type)) return db.raw(`TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS.FF9')`, [text]);
    if (NUMBER.test(column.type)) return db.raw('TO_NUMBER(?)', [text]);
    // Read as the float itself (INF and NaN included), never through NUMBER's narrower range.
    if (BINARY_DOUBLE.test(column.type)) return db.raw('TO_BINARY_DOUBLE(?)', [text]);
    if (BINARY_FLOAT.test(column.type)) return db.raw('TO_BINARY_FLOAT(?)', [text]);
    // A RAW key (SYS_GUID()): its checkpoint `\x…` as text, HEXTORAW refused it (ORA-01465).
    const hex = /^RAW\b/i.test(column.type) ? checkpointHex(text) : undefined;
    if (hex !== undefined) return db.raw('HEXTORAW(?)', [hex]);
    // node-oracledb binds a string as VARCHAR2, which the server converts to the database character
    // set before comparing it with an NCHAR or NVARCHAR2 column: in WE8MSWIN1252 `食字002` compared
    // as `??002`, and pages resumed before rows they had read, for ever, or past rows never read.
    // UNISTR of ASCII escapes is national-character text, whatever the database character set.
    if (NATIONAL.test(column.type)) return db.raw('UNISTR(?)', [unistrEscaped(text)]);
    return text;
  },

  lagBound(db: Knex, lagMs: number, cursor?: ColumnMeta): Knex.Raw {
    // The database server's own clock. LOCALTIMESTAMP is the session zone's, which node-oracledb
    // (and dmdb, for DM, which shares this) sets at login to the licbridge host's offset: with
    // licbridge on UTC and the server at +08:00 every run held back eight hours of changes, the
    // other way round the bound lay ahead of now. SYSDATE is the server's wall clock, which the
    // application writes zone-less cursors with; SYSTIMESTAMP the instant a zoned cursor holds.
    const now = cursor && ZONED.test(cursor.type) ? 'SYSTIMESTAMP' : 'SYSDATE';
    // A DATE holds whole seconds, a TIMESTAMP(p) p digits (rounded as stored): `08:00:00` stands for
    // a change made as late as 08:00:00.999, and is lagMs old once that is. From the value's own
    // instant, a row written at 08:00:00.9 and committed inside the window, after a read took that
    // second's rows, lay behind the checkpoint with a lower key. The bound lies one unit further back.
    const span = valueSpanMs(lagMs, cursor, KEPT);
    return db.raw(`${now} - NUMTODSINTERVAL(?, 'SECOND')`, [(lagMs + span) / 1000]);
  },

  selectColumn(db: Knex, column: ColumnMeta): Knex.Raw | null {
    // node-oracledb builds DATE and TIMESTAMP Dates with `new Date(year, month, …)` in the host's
    // zone: years 0-99 become 1900-1999 (0001-01-01, a common "no date", read 1901-01-01) and a
    // time the host's zone skipped moves (1940-06-01 00:00 in Asia/Shanghai read 01:00). As text
    // in an explicit format, no Date of the host's zone is ever made, nor the session's NLS asked.
    if (DATE_ONLY.test(column.type))
      return db.raw(`TO_CHAR(??, 'SYYYY-MM-DD HH24:MI:SS') AS ??`, [column.name, column.name]);
    if (TIMESTAMP.test(column.type))
      return db.raw(`TO_CHAR(??, 'SYYYY-MM-DD HH24:MI:SS.FF9') AS ??`, [column.name, column.name]);
    return null;
  },

  positionText(value: unknown, column: ColumnMeta): string | undefined {
    // A DATE or TIMESTAMP key selected as text (selectColumn): bound back in bind's format, which
    // has no sign place.
    if (typeof value === 'string' && (DATE_ONLY.test(column.type) || TIMESTAMP.test(column.type)))
      return value.trimStart();
    return undefined;
  },

  normalise(value: unknown, type: string | undefined): unknown {
    if (typeof value === 'string' && type && (DATE_ONLY.test(type) || TIMESTAMP.test(type)))
      return signedWallClock(value) ?? value;
    if (typeof value === 'string' && (type === undefined || NUMBER.test(type))) {
      // fetchAsString NUMBER: exact text. A query stream does not know its types: only text that
      // looks numeric is touched there, and VARCHAR2 values that look numeric are left as text.
      if (type !== undefined) return numericText(value);
      return value;
    }
    // TIMESTAMP WITH [LOCAL] TIME ZONE is an instant, and node-oracledb returns the right one:
    // the same Date, marked (core/local-date.ts), so the mapping takes its day in the configured
    // zone. Query streams declare no types: their zoned Dates come marked from the fetch hook
    // (zoned-fetch.ts), and their DATE and TIMESTAMP already read as the wall clock from the
    // server's text (session-formats.ts); neither must be re-read as a host-zone Date below.
    if (isZonedInstant(value) || isFetchedWallClock(value)) return value;
    if (value instanceof Date && type && ZONED.test(type)) return zonedInstant(value);
    if (value instanceof Date) {
      // node-oracledb builds DATE and TIMESTAMP Dates in the host's zone; Oracle DATE has none.
      // Re-express the local fields as UTC fields (the wall-clock convention).
      return wallClockUtc(
        value.getFullYear(),
        value.getMonth() + 1,
        value.getDate(),
        value.getHours(),
        value.getMinutes(),
        value.getSeconds(),
        value.getMilliseconds(),
      );
    }
    return value;
  },

  classifyError(error: unknown, source: string, user?: string): LicbridgeError {
    const code = (error as { code?: unknown })?.code;
    if (code === 'NJS-138' || code === 'NJS-116') {
      return new LicbridgeError(
        ErrorCodes.SOURCE_UNREACHABLE,
        `source ${source}: the server is too old for node-oracledb thin mode (Oracle 11g and older): set \`connection.thickMode: true\` and install Oracle Instant Client`,
        { retryable: false, context: { source, driverCode: String(code) }, cause: error },
      );
    }
    return classifyDriverError(error, source, CODES, user);
  },
};

/** A raw node-oracledb connection, as the pool's afterCreate gets it. */
interface OracleRawConnection {
  callTimeout: number;
  execute(sql: string, binds: unknown[], options: object, done: (error: Error | null) => void): void;
}
