/**
 * The widths the exchange table declares, against what licbridge writes on every row: a
 * `dataSource` or a batch number wider than its column would have every row refused and every
 * batch retried, or, on MySQL without strict mode, stored cut.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { ExchangeColumnsCheck } from './exchange-columns.js';
import { BATCH_LENGTH, COLUMNS, ISO_TIME_LENGTH } from './exchange-table.js';

/**
 * What the database says of a column: its width and its type, as it names them, and (Oracle) the
 * width's unit: `B` bytes, `C` characters.
 */
export interface ColumnInfo {
  maxLength?: unknown;
  type?: unknown;
  charUsed?: unknown;
}

/** What `info` says of `column`, found whatever the case the database lists it in. */
export function infoOf(info: Record<string, ColumnInfo>, column: string): ColumnInfo | undefined {
  const name = Object.keys(info).find((c) => c.toUpperCase() === column);
  return name === undefined ? undefined : info[name];
}

/**
 * `dataSource`'s length in the unit `DATA_SOURCE`'s width counts: characters, or on an Oracle
 * column of byte semantics (the default) its bytes in the database's character set, which the
 * database itself counts (`LENGTHB`: 3 a Chinese character in AL32UTF8, 2 in ZHS16GBK). Counted in
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
  if (
    client !== 'oracle' ||
    infoOf(info, COLUMNS.dataSource)?.charUsed !== 'B' ||
    /^[\x20-\x7e]*$/.test(dataSource)
  )
    return characters;
  const row: Record<string, unknown> | undefined = await k
    .first(k.raw('lengthb(?) as "bytes"', [dataSource]))
    .from('DUAL')
    .timeout(deadline.remainingMs(), { cancel: deadline.cancel })
    .catch(() => undefined);
  const bytes = Number(row?.bytes);
  return Number.isInteger(bytes) && bytes > 0 ? { length: bytes, unit: 'bytes' } : characters;
}

/**
 * Throws when `DATA_SOURCE` is declared narrower than the configured `dataSource`: every row would
 * be refused (SQLSTATE 22001, ORA-12899) and retried, or, on MySQL without strict mode, stored cut
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
