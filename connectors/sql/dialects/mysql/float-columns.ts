/**
 * MySQL and MariaDB FLOAT, read exactly. FLOAT is single precision, and the server prints it with
 * six significant digits — `CAST(col AS CHAR)` and the text protocol mysql2 reads values from
 * alike: 123456.789 as `123457`, 16777218 as `16777200`, and 0.1 as `0.1`, which the server reads
 * back as the double 0.1, below the stored single (0.10000000149011612) it compares with. A FLOAT
 * cursor's checkpoint so named another value: a page ending at 123456.789 resumed after 123457,
 * passing over the rows tied with it and those up to the printed value, and one ending at 0.1
 * resumed below it, reading the page again for ever; a FLOAT key's value, read from the same
 * text, did the same, and values reached the mappings rounded. Widened to a double (`col + 0E0`,
 * which every version takes; CAST AS DOUBLE is MySQL 8.0.17 and MariaDB 10.4 on), the value
 * prints exactly, as text that compares equal to the column. DOUBLE prints the shortest text that
 * reads back as the same double, and needs nothing.
 *
 * A query stream declares no types: its cursor's text is `CAST(col AS CHAR)`, and a FLOAT is seen
 * only in the column types mysql2 reads with the result (the knex client below). Its value cannot
 * be read back from the six digits, so such a read is refused, naming the column and the fix.
 */
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import { CURSOR_TEXT_ALIAS } from '../../keyset.js';
import { singleValue } from '../../single-float.js';
import { mysqlReadTransaction } from './read-begin.js';

/** A single-precision column as information_schema.COLUMNS spells it: `float`, `float(12,3) unsigned`. */
export const FLOAT_TYPE = /^float\b/i;

/** A FLOAT column as the double of the same value, as an expression. */
export const WIDENED = '(?? + 0E0)';

/** A query stream's cursor as text: the select-list entry the knex client looks for. */
export const UNTYPED_CURSOR_TEXT = 'CAST(?? AS CHAR)';

// The entry as knex writes it, the cursor's name in backquotes (a backquote in it doubled).
const ENTRY = new RegExp(`CAST\\(\`((?:[^\`]|\`\`)+)\` AS CHAR\\) AS \`${CURSOR_TEXT_ALIAS}\``);
// mysql2's column type of a FLOAT (MYSQL_TYPE_FLOAT).
const MYSQL_TYPE_FLOAT = 0x04;

/** `float(12,3)`, `float(12,3) unsigned`: the scale a FLOAT(M,D) is stored rounded to and printed at. */
const FLOAT_SCALE = /^float\s*\(\s*\d+\s*,\s*(\d+)\s*\)/i;

/**
 * A FLOAT column's value read widened (`widened`) as it is handed over: a FLOAT(M,D) as the server
 * prints it, at its scale (scaledValue), the text mysql2 read before the widening and the
 * department's application shows; a FLOAT without a scale as the shortest decimal of its single.
 */
export function floatValue(widened: unknown, type: string): unknown {
  const scale = FLOAT_SCALE.exec(type)?.[1];
  return scale === undefined ? singleValue(widened) : scaledValue(widened, Number(scale));
}

// The shortest decimal of a single, shared with SQL Server's REAL (single-float.ts).
export { singleValue };

/**
 * `widened` at `scale` decimals as the server prints a FLOAT(M,D): from the exact value, rounded
 * half to even (136020.0625 at three decimals is 136020.062; toFixed rounds such ties away from
 * zero). Other values as they are.
 */
function scaledValue(widened: unknown, scale: number): unknown {
  if (typeof widened !== 'number' || !Number.isFinite(widened)) return widened;
  // The double exactly: mantissa × 2^power.
  const bits = new DataView(new Float64Array([widened]).buffer).getBigUint64(0, true);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const power = Math.max(biased, 1) - 1075;
  const scaled = mantissa * 10n ** BigInt(scale);
  let units = scaled;
  if (power >= 0) units = scaled << BigInt(power);
  else {
    const divisor = 1n << BigInt(-power);
    units = scaled / divisor;
    const twice = 2n * (scaled % divisor);
    if (twice > divisor || (twice === divisor && units % 2n === 1n)) units += 1n;
  }
  const digits = units.toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return Number(widened < 0 ? `-${text}` : text);
}

/** Thrown from the knex client when a query stream's cursor is FLOAT; the dialect words it. */
export class FloatCursorError extends Error {
  readonly column: string;

  constructor(column: string) {
    super(`FLOAT cursor ${column}: printed with six digits`);
    this.name = 'FloatCursorError';
    this.column = column;
  }
}

/** The refusal as a licbridge error naming the source, the column, its type and the fix; never a value. */
export function floatCursorProblem(error: FloatCursorError, source: string): LicbridgeError {
  const c = `\`${error.column.replaceAll('`', '``')}\``;
  return new LicbridgeError(
    ErrorCodes.SOURCE_QUERY,
    `source ${source}: the cursor column ${c} of a query stream is FLOAT (single precision), which the server prints with six digits: its checkpoint would name another value and rows at a page's end would be passed over or read again. Select it widened to a double in the stream's query, \`${c} + 0E0 AS ${c}\``,
    { retryable: false, context: { source, columnName: error.column, columnType: 'FLOAT' }, cause: error },
  );
}

interface FieldShape {
  name?: string;
  columnType?: number;
}

/** Throws FloatCursorError where `sql` selects a query stream's cursor text and that column is FLOAT. */
export function refuseFloatCursor(sql: unknown, fields: unknown): void {
  if (typeof sql !== 'string' || !Array.isArray(fields)) return;
  const name = ENTRY.exec(sql)?.[1]?.replaceAll('``', '`').toUpperCase();
  if (!name) return;
  // Column names are case-insensitive; the result names the cursor as the query does.
  const cursor = (fields as FieldShape[]).find((f) => f?.name?.toUpperCase() === name);
  if (cursor?.columnType === MYSQL_TYPE_FLOAT) throw new FloatCursorError(cursor.name ?? name);
}

type ClientClass = typeof Knex.Client;
let cached: ClientClass | undefined;

/**
 * knex's mysql2 client, looking at each result's column types for a query stream's FLOAT cursor,
 * and opening a read in one statement (read-begin.ts).
 */
export function mysqlKnexClient(): ClientClass {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const Base = require('knex/lib/dialects/mysql2/index.js') as ClientClass;
  class ClientMysqlFloat extends Base {
    // knex's runner hands every result through here, in and out of transactions.
    processResponse(
      query: { sql?: unknown; response?: unknown } | null | undefined,
      runner: unknown,
    ): unknown {
      const response = query?.response;
      if (Array.isArray(response)) refuseFloatCursor(query?.sql, response[1]);
      return (Base.prototype as unknown as ClientMysqlFloat).processResponse.call(this, query, runner);
    }

    override transaction(container: unknown, config: unknown, outerTx: unknown): Knex.Transaction {
      const ReadTransaction = mysqlReadTransaction();
      return new ReadTransaction(this, container, config, outerTx) as unknown as Knex.Transaction;
    }
  }
  cached = ClientMysqlFloat;
  return ClientMysqlFloat;
}
