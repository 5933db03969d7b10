/**
 * Whether a failed insert is the database refusing the row's values (a value longer than its
 * column, a NULL into a NOT NULL column, a number out of range, a duplicate in a unique column)
 * as against a database that cannot be written at all, and how that refusal is named: by the
 * driver's code and the column it names, never by the driver's message, which quotes the value.
 */
import { COLUMNS } from './exchange-table.js';

/**
 * Oracle's errors of a row's values. Oracle gives no SQLSTATE: oracledb sets `errorNum` and
 * `code` `ORA-NNNNN`. ORA-00001 unique constraint, 01400 NULL into NOT NULL, 01401/12899 value too
 * large for its column, 01407 NULL on update, 01438 number larger than its precision, 01461 a
 * long text bound to a short column, 01465 invalid hex, 01722 invalid number, 01830-01878 a date
 * or time that is none, 02290 CHECK, 02291 parent key not found, 29275 a partial multibyte character.
 */
const ORACLE_ROW = new Set([
  1, 1400, 1401, 1407, 1438, 1461, 1465, 1722, 1830, 1839, 1840, 1841, 1843, 1847, 1850, 1851, 1852, 1858,
  1861, 1878, 2290, 2291, 12899, 29275,
]);

/**
 * SQL Server's errors of a row's values, by number (tedious `number`, mssql `number` or
 * `originalError.info.number`): 2627/2601 a duplicate in a unique constraint or index, 2628/8152
 * string or binary data would be truncated, 515 NULL into NOT NULL, 547 CHECK or FOREIGN KEY,
 * 220/232/244/248/8115 arithmetic overflow, 241/242/295 a date or time that is none, 245/8114/8169
 * a conversion that failed.
 */
const MSSQL_ROW = new Set([
  2627, 2601, 2628, 8152, 515, 547, 220, 232, 244, 248, 8115, 241, 242, 295, 245, 8114, 8169,
]);

/**
 * MySQL's errors of a row's values whose SQLSTATE is of neither class 22 nor 23, by mysql2's
 * `code` and `errno`: 1366 an incorrect value for its column (a character a 3-byte `utf8` column
 * cannot hold, a rare character of a holder's name), 1300 an invalid character string (HY000 both;
 * MariaDB gives 1366 as 22007), 1265 data truncated (01000, an error in strict mode).
 */
const MYSQL_ROW: ReadonlyMap<string, number> = new Map([
  ['ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', 1366],
  ['ER_INVALID_CHARACTER_STRING', 1300],
  ['WARN_DATA_TRUNCATED', 1265],
]);

/**
 * DM's errors of a row's values, by dmdb's `errCode` (the server's are negative; DM gives no
 * SQLSTATE): -6169 a value longer than its column (`列[C]长度超出定义`), -6111 a text that does not
 * convert to its column's type, -6121 a number past its precision, -6602, -6610, -6611 and -6612 a
 * duplicate in a unique constraint or index.
 */
const DM_ROW = new Set([-6169, -6111, -6121, -6602, -6610, -6611, -6612]);

type Fields = Record<string, unknown>;

function fieldsOf(e: unknown): Fields {
  return e !== null && typeof e === 'object' ? (e as Fields) : {};
}

/** The SQLSTATE of classes 22 (data exception) and 23 (integrity): PostgreSQL's `code`, MySQL's `sqlState`. */
function sqlState(f: Fields): string | undefined {
  const state = typeof f.sqlState === 'string' ? f.sqlState : f.code;
  return typeof state === 'string' && /^2[23][0-9A-Z]{3}$/.test(state) ? `SQLSTATE ${state}` : undefined;
}

function oracle(f: Fields): string | undefined {
  const fromCode = typeof f.code === 'string' ? /^ORA-(\d{5})$/.exec(f.code)?.[1] : undefined;
  const num =
    typeof f.errorNum === 'number' ? f.errorNum : fromCode === undefined ? undefined : Number(fromCode);
  // An oracledb error carries both; a code of another prefix (NJS-, DPI-) is the driver's own.
  if (num === undefined || (typeof f.code === 'string' && fromCode === undefined)) return undefined;
  return ORACLE_ROW.has(num) ? `ORA-${String(num).padStart(5, '0')}` : undefined;
}

/** SQL Server's number, of the error itself or of the driver error mssql wraps. */
function mssqlNumber(f: Fields): number | undefined {
  if (typeof f.number === 'number') return f.number;
  const info = fieldsOf(fieldsOf(f.originalError).info);
  return typeof info.number === 'number' ? info.number : undefined;
}

function mssql(f: Fields): string | undefined {
  const n = mssqlNumber(f);
  return n !== undefined && MSSQL_ROW.has(n) ? `SQL Server error ${n}` : undefined;
}

function dm(f: Fields): string | undefined {
  return typeof f.errCode === 'number' && DM_ROW.has(f.errCode) ? `DM error ${f.errCode}` : undefined;
}

function mysqlRow(f: Fields): string | undefined {
  // Both, as mysql2 sets them: the number alone is another driver's (SQL Server's 1300 is no refusal).
  const errno = typeof f.code === 'string' ? MYSQL_ROW.get(f.code) : undefined;
  return errno !== undefined && f.errno === errno ? `MySQL error ${errno}` : undefined;
}

/**
 * The errors one failure holds: SQL Server answers a refused insert with two (2628, then 3621 "the
 * statement has been terminated"), which tedious hands over as an `AggregateError` and mssql as
 * `precedingErrors`.
 */
function eachError(e: unknown): unknown[] {
  const f = fieldsOf(e);
  const inner = [
    ...(Array.isArray(f.errors) ? f.errors : []),
    ...(Array.isArray(f.precedingErrors) ? f.precedingErrors : []),
  ];
  return [e, ...inner];
}

/**
 * How the database named its refusal of the row's values (`SQLSTATE 22001`, `ORA-12899`,
 * `SQL Server error 2628`, `MySQL error 1366`, `DM error -6169`), or undefined when the failure is not one (the database gone, the time
 * up, a table not there): such a failure is the batch's, not the row's.
 */
export function refusalCode(e: unknown): string | undefined {
  for (const one of eachError(e)) {
    const f = fieldsOf(one);
    const code = sqlState(f) ?? oracle(f) ?? mssql(f) ?? mysqlRow(f) ?? dm(f);
    if (code !== undefined) return code;
  }
  return undefined;
}

/**
 * Ways a driver's message names the column: Oracle's `"S"."T"."C"` (ORA-12899 `value too large for
 * column …`, ORA-01400 `cannot insert NULL into (…)`, in any language the session speaks), SQL
 * Server's and MySQL's `column 'C'` (`列 'C'` in Chinese), MariaDB's ``column `db`.`T`.`C` ``,
 * DM's `列[C]` (`Column [C]` in English).
 */
const NAMED_COLUMN = [
  /(?:"[^"]*"\.){2}"([^"]+)"/g,
  /(?:column|列)\s*'(?:[^']*\.)?([^'.]+)'/gi,
  // MariaDB's 1366: column `db`.`table`.`C`.
  /(?:column|列)\s*(?:`[^`]*`\.)*`([^`]+)`/gi,
  // DM's -6169: 列[C].
  /(?:column|列)\s*\[([^\]]+)\]/gi,
];

/**
 * The exchange-table column the refusal names, taken only when it is one licbridge writes: a
 * driver's message may quote the row's values (knex puts the statement before it), so nothing
 * else of it is ever repeated. PostgreSQL names the column in `column` (a NOT NULL violation).
 */
export function refusedColumn(e: unknown): string | undefined {
  const written = new Map(Object.values(COLUMNS).map((c) => [c.toUpperCase(), c]));
  for (const one of eachError(e)) {
    const f = fieldsOf(one);
    if (typeof f.column === 'string' && written.has(f.column.toUpperCase()))
      return written.get(f.column.toUpperCase());
    const message = typeof f.message === 'string' ? f.message : '';
    for (const pattern of NAMED_COLUMN) {
      for (const m of message.matchAll(pattern)) {
        const column = written.get((m[1] ?? '').toUpperCase());
        if (column !== undefined) return column;
      }
    }
  }
  return undefined;
}
