/**
 * DM8 (达梦) through its official Node driver `dmdb` (pure JavaScript) and knex's Oracle SQL
 * (dm/knex-client.ts). DM keeps Oracle's dictionary views (ALL_TABLES, ALL_TAB_COLUMNS,
 * ALL_CONSTRAINTS, ALL_IND_COLUMNS, ALL_VIEWS), ROWNUM, `SET TRANSACTION READ ONLY` and the
 * TO_CHAR/TO_TIMESTAMP formats, so the catalog, paging and read-only transaction are Oracle's.
 * What is DM's own:
 * - numbers and dates are fetched as text (`fetchAsString`): dmdb otherwise hands BIGINT and
 *   DECIMAL over as JavaScript numbers (exact only below 2^53) and dates in the host's zone;
 *   text becomes a number only when exact, and a date/time its wall-clock fields;
 * - TIMESTAMP/DATETIME WITH [LOCAL] TIME ZONE text carries its offset (`2024-03-01 07:00:00 +08:00`):
 *   it becomes the instant, marked as zoned (core/local-date.ts) so the mapping takes its day in
 *   the configured zone; text without an offset stays text. Table streams know such a column by
 *   its declared type, query streams by the type dmdb reports with the result (knex-client.ts);
 * - DATE is a date without time; DATETIME and TIMESTAMP carry up to six fractional digits;
 * - the default port is 5236; an instance holds one database, so `connection.database` names
 *   the schema unqualified names resolve in (the login's own schema when absent);
 * - the statement timeout is dmdb's `socketTimeout` (every round trip);
 * - errors carry `errCode`: negative numbers from the server, positive ones from the driver.
 * TLS: dmdb reads certificates from a directory (`sslPath`), not as the other drivers do;
 * `connection.tls` is refused for DM rather than silently ignored.
 */
import type { Knex } from 'knex';
import type { SourceConfig } from '../../../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import type { ColumnMeta, SqlDialect, TableRef } from '../../dialect.js';
import { classifyDriverError, type DriverCodes } from '../../driver-errors.js';
import { numericText, parseWallClock } from '../../values.js';
import { connectionOf, portOf, timeoutsOf } from '../common.js';
import { describeOracleFamilyTable } from '../oracle/describe-table.js';
import { oracleDialect } from '../oracle/dialect.js';
import { dmKind } from './kind.js';
import { type DmConnectionSettings, dmKnexClient } from './knex-client.js';
import { DM_ZONED_TYPE, zonedText } from './zoned-text.js';

const CODES: DriverCodes = {
  // Server: -2501 invalid user name or password, -2504 account locked.
  auth: [-2501, -2504],
  noDatabase: [],
  // Server: -2106 invalid table or view name, -2111 invalid column name, -2103 no such schema.
  schema: [-2106, -2111, -2103],
  // Driver: 20010 socket timeout (the statement timeout).
  timeout: [20010],
  // Those dmdb reconnects after (its DBError.isReconnectErrorCode): 6001 communication error, 6060
  // connection closed, 6091 server mode mismatch (a primary switched to standby), -6001 the server's
  // session limit, -6007 an out-of-band receive (session dropped); those its reconnect throws:
  // 20013 connection switched, 20014 switch failed; and 20009 connect timeout. Unmapped, a standby
  // switch failed the read for good as `query failed`.
  unreachable: [6001, 6060, 6091, -6001, -6007, 20009, 20013, 20014],
};

/**
 * The indexes each column leads, from DM's Oracle-compatible ALL_IND_COLUMNS — the clustered key
 * and the indexes behind primary keys and unique constraints included. Only the column list is
 * read: whether DM's ALL_INDEXES spells index types, states and visibility as Oracle's does
 * cannot be checked without a server. Read apart from the columns (describeOracleFamilyTable):
 * a build without the view leaves index detection off, never a table unreadable.
 */
const DM_LEADS = `SELECT ic.column_name AS name, COUNT(*) AS leads
  FROM all_ind_columns ic
 WHERE ic.table_owner = ? AND ic.table_name = ? AND ic.column_position = 1
 GROUP BY ic.column_name`;

const DATE_ONLY = /^DATE$/i;
const oracleLagBound = oracleDialect.lagBound as NonNullable<SqlDialect['lagBound']>;
const DATE_TIME = /^(TIMESTAMP|DATETIME)(\(\d\))?$/i;
const NUMERIC = /^(NUMBER|NUMERIC|DECIMAL|DEC|INTEGER|INT|BIGINT|SMALLINT|TINYINT|BYTE)\b/i;
/** DM's binary floats: REAL is single precision; FLOAT, DOUBLE and DOUBLE PRECISION are doubles. */
const FLOATING = /^(REAL|FLOAT|DOUBLE|DOUBLE PRECISION|BINARY_FLOAT|BINARY_DOUBLE)(\(\d+\))?$/i;
/** DM's text types, as ALL_TAB_COLUMNS names them (with or without a length). */
const TEXT_TYPE = /^(N?(VAR)?CHAR(ACTER)?2?(\s+VARYING)?|TEXT|LONGVARCHAR|N?CLOB)\b/i;

export const dmDialect: SqlDialect = {
  ...oracleDialect,
  kind: dmKind.kind,
  // Oracle's, and DATETIME(p) [WITH TIME ZONE]; not TIME [WITH TIME ZONE] (a time of day).
  dateTimeTypes: /^(DATE|(TIMESTAMP|DATETIME)(\s*\(\s*\d\s*\))?(\s+WITH(\s+LOCAL)?\s+TIME\s+ZONE)?)$/i,
  // Oracle's reads the metadata node-oracledb hands knex's Oracle client (oracle/query-columns.ts);
  // dmdb's client has no such path: a DM query's cursor stays untyped.
  queryColumnTypes: undefined,

  describeTable: (db: Knex, table: TableRef) =>
    describeOracleFamilyTable(db, table, { kind: dmKind.kind, leads: DM_LEADS }),

  async knexConfig(name: string, config: SourceConfig): Promise<Knex.Config> {
    const c = connectionOf(name, config);
    if (c.tls !== undefined || c.ssl === true) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `source ${name}: \`connection.tls\` is not supported for DM (dmdb reads its certificates from a directory); reach the server over a protected network or a TLS tunnel`,
        { context: { source: name } },
      );
    }
    const connection: DmConnectionSettings = {
      connectString: c.connectString ?? `${c.host ?? 'localhost'}:${portOf(c.port, dmKind.defaultPort)}`,
      ...(c.user === undefined ? {} : { user: c.user }),
      ...(c.password === undefined ? {} : { password: c.password }),
      ...(c.database === undefined ? {} : { schema: c.database }),
      connectTimeout: timeoutsOf(config).connectMs,
      socketTimeout: timeoutsOf(config).statementMs,
      appName: `licbridge:${name}`.slice(0, 63),
    };
    return {
      client: dmKnexClient(),
      connection,
      fetchAsString: ['number', 'date', 'clob'],
      pool: { min: 0, max: 2 },
    } as unknown as Knex.Config;
  },

  cursorAsText(db: Knex, column: string, type?: string): Knex.Raw | null {
    // Explicit formats, whatever the session's NLS settings; DM keeps at most six fractional digits.
    if (type && DATE_ONLY.test(type)) return db.raw(`TO_CHAR(??, 'YYYY-MM-DD')`, [column]);
    if (type && DATE_TIME.test(type)) return db.raw(`TO_CHAR(??, 'YYYY-MM-DD HH24:MI:SS.FF6')`, [column]);
    // A binary float: the text dmdb makes of the number it decodes (JavaScript's shortest text that
    // reads back as it; a REAL widened), exact by construction, rather than the server's CAST,
    // whose digits for a float DM does not document.
    if (type && FLOATING.test(type)) return null;
    // Text: the value dmdb reads, whole. DM's CAST to a VARCHAR shorter than the value cuts it to
    // the length's bytes without an error, as Oracle's does: CAST AS VARCHAR(128) saved the first
    // 128 bytes of a longer remark (or of 60 CJK characters under LENGTH_IN_CHAR=1) as the
    // checkpoint, which names no row, and the page's last rows were read again, for ever where a
    // page's rows shared those bytes.
    if (type && TEXT_TYPE.test(type)) return null;
    // A number prints in 128 bytes. A query stream's cursor declares no type and may be text: as
    // long as a VARCHAR holds (8188 bytes, VARCHAR's length when none is given); a value of up to
    // 128 bytes prints as it did.
    return db.raw(type ? 'CAST(?? AS VARCHAR(128))' : 'CAST(?? AS VARCHAR(8188))', [column]);
  },

  lagBound(db: Knex, lagMs: number, cursor?: ColumnMeta): Knex.Raw {
    // DM's DATE holds no time of day, unlike Oracle's: it stands for its whole day, and is lagMs old
    // once the day is, the day before the bound's (as PostgreSQL's). Compared as a time, from the
    // day's first instant, today's rows were read while the day was still being written. At lagMs
    // 0 (the clock alone, keyset.ts `readBound`) today's date is taken.
    if (lagMs > 0 && cursor && DATE_ONLY.test(cursor.type))
      return db.raw(`TRUNC(SYSDATE - NUMTODSINTERVAL(?, 'SECOND')) - 1`, [lagMs / 1000]);
    return oracleLagBound(db, lagMs, cursor);
  },

  async caseBlindText(db: Knex): Promise<boolean> {
    // 1 case-sensitive (as initialised by default), 0 not: CASE_SENSITIVE is fixed when the
    // instance is made (dminit), and no session changes it on the builds in service. The column
    // is read by position: a case-insensitive instance keeps an alias's case, others upper-case it.
    const rows: Record<string, unknown>[] = await db.raw(
      'SELECT SF_GET_CASE_SENSITIVE_FLAG() AS lb_case FROM dual',
    );
    const flag = rows[0] === undefined ? undefined : Object.values(rows[0])[0];
    return flag !== undefined && flag !== null && Number(flag) === 0;
  },

  // dmdb fetches dates as text itself (fetchAsString): nothing is selected another way, and no
  // position text differs from the value's (Oracle's TO_CHAR of dates is node-oracledb's need).
  selectColumn: () => null,
  positionText: () => undefined,

  bind(db: Knex, text: string, column: ColumnMeta): unknown {
    if (DATE_ONLY.test(column.type)) return db.raw(`TO_DATE(?, 'YYYY-MM-DD')`, [text]);
    if (DATE_TIME.test(column.type)) return db.raw(`TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS.FF6')`, [text]);
    if (NUMERIC.test(column.type)) return db.raw('TO_NUMBER(?)', [text]);
    // As a double, which a REAL column widens to exactly to compare: the text is a double's.
    if (FLOATING.test(column.type)) return db.raw('CAST(? AS DOUBLE)', [text]);
    return text;
  },

  normalise(value: unknown, type: string | undefined): unknown {
    if (typeof value !== 'string' || type === undefined) return value;
    // fetchAsString: exact text. Query streams (no declared type) keep text as text.
    if (NUMERIC.test(type)) return numericText(value);
    if (DM_ZONED_TYPE.test(type)) return zonedText(value) ?? value;
    if (DATE_ONLY.test(type) || DATE_TIME.test(type)) return parseWallClock(value) ?? value;
    return value;
  },

  classifyError(error: unknown, source: string, user?: string): LicbridgeError {
    // dmdb puts its code in `errCode`; the shared classifier reads `code`.
    const errCode = (error as { errCode?: unknown })?.errCode;
    const shaped =
      typeof errCode === 'number' && error instanceof Error
        ? Object.assign(new Error(error.message, { cause: error }), { code: errCode })
        : error;
    return classifyDriverError(shaped, source, CODES, user);
  },
};
