/**
 * The widths the exchange table declares, against what licbridge writes on every row: a
 * `dataSource` or a batch number wider than its column would have every row refused and every
 * batch retried, or, on MySQL without strict mode, stored cut.
 */
import type { Knex } from 'knex';
import { MAX_VERSION } from '../../../catalog/identifier.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { ExchangeColumnsCheck } from './exchange-columns.js';
import { BATCH_LENGTH, COLUMNS, ISO_TIME_LENGTH } from './exchange-table.js';

/**
 * What the database says of a column: its width and its type, as it names them, (Oracle) the
 * width's unit: `B` bytes, `C` characters, (SQL Server) its collation, and a decimal type's digits
 * (`precision`) and those after the point (`scale`).
 */
export interface ColumnInfo {
  maxLength?: unknown;
  type?: unknown;
  charUsed?: unknown;
  collation?: unknown;
  precision?: unknown;
  scale?: unknown;
}

/** What `info` says of `column`, found whatever the case the database lists it in. */
export function infoOf(info: Record<string, ColumnInfo>, column: string): ColumnInfo | undefined {
  const name = Object.keys(info).find((c) => c.toUpperCase() === column);
  return name === undefined ? undefined : info[name];
}

/** A collation's name, safe to write into a statement (it cannot be bound). */
const COLLATION_NAME = /^[A-Za-z0-9_]+$/;

/**
 * The statement measuring `dataSource` in bytes of the database's own encoding of the column,
 * where its width counts bytes; none where it counts characters:
 * - Oracle, a column of byte semantics (`CHAR_USED` `B`, the default): `LENGTHB` (3 a Chinese
 *   character in AL32UTF8, 2 in ZHS16GBK);
 * - SQL Server, a `varchar` or `char` column: bytes of its collation's code page, the value
 *   converted as an insert converts it (`COLLATE` on the input, so the conversion uses its code
 *   page: 2 a Chinese character in Chinese_PRC_CI_AS, 3 in a `_UTF8` collation, and a character
 *   the code page lacks 1, as the `?` it becomes); `nvarchar` counts characters;
 * - DM, unless the instance counts characters (`LENGTH_IN_CHAR`, fixed when it is made;
 *   `SF_GET_LENGTH_IN_CHAR()`): `LENGTHB` in the database's GB18030 or UTF-8.
 */
export function dataSourceBytesQuery(
  k: Knex,
  client: ExchangeColumnsCheck['client'],
  column: ColumnInfo | undefined,
  dataSource: string,
): Knex.QueryBuilder | undefined {
  const type = String(column?.type ?? '').trim();
  if (client === 'oracle' && column?.charUsed === 'B')
    return k.first(k.raw('lengthb(?) as "bytes"', [dataSource])).from('DUAL');
  if (client === 'mssql' && /^(var)?char$/i.test(type)) {
    const collation = String(column?.collation ?? '');
    if (!COLLATION_NAME.test(collation)) return undefined;
    return k.first(
      k.raw(`datalength(cast(? collate ${collation} as varchar(8000))) as [bytes]`, [dataSource]),
    );
  }
  // An explicit `VARCHAR(n CHAR)` on DM counts characters whatever the instance does.
  if (client === 'dm' && column?.charUsed !== 'C' && /^(var)?char2?$/i.test(type))
    return k
      .first(k.raw('case when sf_get_length_in_char() = 0 then lengthb(?) end as "bytes"', [dataSource]))
      .from('DUAL');
  return undefined;
}

/**
 * `dataSource`'s length in the unit `DATA_SOURCE`'s width counts: characters, or where the column
 * counts bytes (`dataSourceBytesQuery`) its bytes, which the database itself counts. Counted in
 * characters there, a unit's name twice as long as the column passed and every row was refused.
 */
async function dataSourceLength(
  k: Knex,
  info: Record<string, ColumnInfo>,
  check: ExchangeColumnsCheck,
): Promise<{ length: number; unit: 'characters' | 'bytes' }> {
  const { client, dataSource, deadline } = check;
  const characters = { length: [...dataSource].length, unit: 'characters' as const };
  // Plain ASCII is as many bytes as characters in every character set.
  if (/^[\x20-\x7e]*$/.test(dataSource)) return characters;
  const query = dataSourceBytesQuery(k, client, infoOf(info, COLUMNS.dataSource), dataSource);
  if (query === undefined) return characters;
  const row: Record<string, unknown> | undefined = await query
    .timeout(deadline.remainingMs(), { cancel: deadline.cancel })
    .catch(() => undefined);
  const bytes = Number(row?.bytes ?? Number.NaN);
  return Number.isInteger(bytes) && bytes > 0 ? { length: bytes, unit: 'bytes' } : characters;
}

/**
 * Throws when `DATA_SOURCE` is declared narrower than the configured `dataSource`: every row would
 * be refused (SQLSTATE 22001, ORA-12899, SQL Server 2628) and retried, or, on MySQL without strict mode, stored cut
 * with only a warning and taken by the exchange system as another unit's. SQLite holds any length
 * whatever it declares; a width the database does not give, or a failed lookup, decides nothing.
 */
export async function checkDataSourceWidth(
  k: Knex,
  info: Record<string, ColumnInfo>,
  check: ExchangeColumnsCheck,
): Promise<void> {
  const { target, table, dataSource } = check;
  const width = Number(infoOf(info, COLUMNS.dataSource)?.maxLength);
  if (!Number.isInteger(width) || width <= 0) return;
  const { length, unit } = await dataSourceLength(k, info, check);
  if (length <= width) return;
  throw new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `target ${target}: \`targets.${target}.dataSource\` is ${length} ${unit} (\`${dataSource}\`), and column ${COLUMNS.dataSource} of exchange table ${table} holds ${width}${unit === 'bytes' ? ' bytes' : ''}: every row would be refused or stored cut; fix the value, or widen the column; nothing was delivered`,
    { context: { target } },
  );
}

/**
 * Throws when `BATCH_NO`, or `EXCHANGE_TIME` as text, is declared narrower than what licbridge
 * writes into it on every row: every row would be refused (SQLSTATE 22001) and every batch retried,
 * or, on MySQL without strict mode, stored cut — a cut batch number hid the row from the read-back
 * that finds a row stored other than written.
 */
export function checkFixedWidths(
  info: Record<string, ColumnInfo>,
  check: ExchangeColumnsCheck,
  timeIsDate: boolean,
): void {
  const { target, table } = check;
  const fixed = [
    { column: COLUMNS.batch, length: BATCH_LENGTH, what: 'batch numbers' },
    ...(timeIsDate ? [] : [{ column: COLUMNS.time, length: ISO_TIME_LENGTH, what: 'times as ISO text' }]),
  ];
  const narrow = fixed.flatMap((f) => {
    const width = Number(infoOf(info, f.column)?.maxLength);
    return Number.isInteger(width) && width > 0 && width < f.length ? [{ ...f, width }] : [];
  });
  if (narrow.length === 0) return;
  throw new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `target ${target}: exchange table ${table} ${narrow
      .map(
        (n) =>
          `column ${n.column} holds ${n.width} characters, and licbridge writes ${n.length}-character ${n.what}`,
      )
      .join('; ')}: every row would be refused or stored cut; widen the column; nothing was delivered`,
    { context: { target } },
  );
}

/** A decimal type, whose `precision` counts decimal digits in every catalog (an integer type's may count bits). */
const DECIMAL_TYPE = /^(numeric|decimal|dec|number)$/i;

/** A text type: its width counts the characters of a version written as text. */
const TEXT_TYPE = /^(n?(var)?char2?|character( varying)?|varchar2|nvarchar2)$/i;

/**
 * The largest version `LICENSE_VERSION` holds, as its type is declared, and how the type is named,
 * when that is less than licbridge writes; undefined for a column that holds them, or whose type
 * says nothing here.
 */
function versionLimit(column: ColumnInfo | undefined): { largest: number; named: string } | undefined {
  const type = String(column?.type ?? '')
    .trim()
    .toLowerCase();
  // MySQL's and DM's -128 to 127, SQL Server's and MySQL's unsigned 0 to 255.
  if (type === 'tinyint') return { largest: 255, named: 'a tinyint' };
  const precision = Number(column?.precision);
  const scale = Number(column?.scale ?? 0);
  if (DECIMAL_TYPE.test(type) && Number.isInteger(precision) && precision > 0 && Number.isInteger(scale)) {
    const largest = 10 ** Math.max(0, precision - scale) - 1;
    return largest < MAX_VERSION ? { largest, named: `a ${type}(${precision},${scale})` } : undefined;
  }
  const width = Number(column?.maxLength);
  if (TEXT_TYPE.test(type) && Number.isInteger(width) && width > 0) {
    const largest = 10 ** width - 1;
    return largest < MAX_VERSION ? { largest, named: `a ${type} of ${width} characters` } : undefined;
  }
  return undefined;
}

/**
 * Throws when `LICENSE_VERSION` is of a type that cannot hold the versions licbridge writes (1 to
 * `MAX_VERSION`, a GB/T 36904 identifier's 3 digits): a `TINYINT`, a `DECIMAL(2,0)`, a
 * `VARCHAR(2)`. Every version past it would be refused, or on MySQL without strict mode stored as
 * the largest number the column holds (or cut), with only a warning, and the license filed under
 * another version (the read-back catches such a row: ./verify-stored.ts).
 */
export function checkVersionColumn(info: Record<string, ColumnInfo>, check: ExchangeColumnsCheck): void {
  const { target, table } = check;
  const limit = versionLimit(infoOf(info, COLUMNS.version));
  if (limit === undefined) return;
  throw new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `target ${target}: column ${COLUMNS.version} of exchange table ${table} is ${limit.named}, which holds no number above ${limit.largest}, and licbridge writes versions from 1 to ${MAX_VERSION}: a larger one would be refused, or stored as another number (MySQL and MariaDB without strict mode); widen the column (an INT); nothing was delivered`,
    { context: { target } },
  );
}
