/**
 * DECIMAL/NUMERIC values tedious cannot hand over exactly. tedious decodes a DECIMAL into a
 * JavaScript number: the stored integer, then divided by 10^scale. A table stream selects a
 * column declared wider than 15 digits as text (the dialect's `selectColumn`); a query stream's
 * columns have no declared type, and NUMERIC(20,0) 12345678901234567 came through as
 * 12345678901234568 — a different license serial, passed on as read. Such a value is refused:
 * the read fails, naming the column and the query's fix, and no rounded number reaches a row.
 *
 * MONEY is the same: tedious reads its stored integer of ten-thousandths and divides it by 10^4,
 * so 674685308101.2956 came through as 674685308101.2957. Table streams select it as text in
 * style 2, whose four decimals are every digit the type has (`CAST(... AS varchar)` prints two);
 * query streams refuse a value not held exactly, as for a wide DECIMAL. SMALLMONEY stores at most
 * ten digits: every value is exact.
 */
import { printsAsDecimal } from '../../../../core/decimal-text.js';
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';

/** A cell as tedious emits it in a `row` event, with the column metadata SQL Server sent. */
export interface TediousCell {
  value: unknown;
  metadata?: {
    colName?: string;
    type?: { name?: string };
    precision?: number;
    scale?: number;
    /** A FloatN's bytes: 4 for a REAL, 8 for a FLOAT(53). */
    dataLength?: number;
  };
}

const DECIMAL_TYPE = /^(Decimal|Numeric)N?$/;
// MoneyN is a nullable MONEY or SMALLMONEY column; SMALLMONEY values (ten digits) always pass.
export const MONEY_TYPE = /^(Money|MoneyN|SmallMoney)$/;
const MONEY_SCALE = 4;

/** Each column read as exact text, in the dialect's select list and in the refusal's fix. */
export const DECIMAL_AS_TEXT = 'CAST(?? AS varchar(50))';
export const MONEY_AS_TEXT = 'CONVERT(varchar(32), ??, 2)';
// Up to 15 digits every decimal has one double of its own: 10^15 bounds the stored integer.
const EXACT_DIGITS = 1e15;

/** Thrown from the knex client (knex-client.ts) when a row holds such a value; the dialect words it. */
export class RoundedDecimalError extends Error {
  readonly column: string;
  /** The type as SQL Server names it: `NUMERIC(20,0)`. */
  readonly type: string;

  constructor(column: string, type: string) {
    super(`${type} column ${column}: a value not exact as a number`);
    this.name = 'RoundedDecimalError';
    this.column = column;
    this.type = type;
  }
}

/**
 * Whether tedious' number is the stored DECIMAL(p, scale) exactly. A whole number is when it is a
 * safe integer (the stored integer below 2^53 is read exactly). Otherwise the stored integer read
 * below 10^15 is exact, and its quotient by 10^scale (exact itself up to 10^22) is the double
 * nearest a decimal of at most 15 digits, which prints back as that decimal.
 */
export function exactDecimal(value: number, scale: number): boolean {
  if (scale === 0) return Number.isSafeInteger(value);
  return scale <= 22 && Math.abs(value) * 10 ** scale < EXACT_DIGITS;
}

/** Throws RoundedDecimalError for the first cell of tedious rows (arrays of cells) not held exactly. */
export function refuseRoundedDecimals(rows: unknown): void {
  if (!Array.isArray(rows)) return;
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    for (const cell of row as TediousCell[]) {
      const m = cell?.metadata;
      if (typeof cell?.value !== 'number' || !m) continue;
      const name = m.type?.name ?? '';
      if (MONEY_TYPE.test(name)) {
        if (!exactDecimal(cell.value, MONEY_SCALE)) throw new RoundedDecimalError(m.colName ?? '', 'MONEY');
        continue;
      }
      // Up to 15 digits of precision every value is exact; wider columns a table stream reads as text.
      if ((m.precision ?? 0) <= 15 || !DECIMAL_TYPE.test(name) || exactDecimal(cell.value, m.scale ?? 0))
        continue;
      const word = name.startsWith('Numeric') ? 'NUMERIC' : 'DECIMAL';
      throw new RoundedDecimalError(m.colName ?? '', `${word}(${m.precision},${m.scale ?? 0})`);
    }
  }
}

/** The refusal as a licbridge error naming the source, the column, its type and the fix; never the value. */
export function roundedDecimalProblem(error: RoundedDecimalError, source: string): LicbridgeError {
  const { column, type } = error;
  const asText = (type === 'MONEY' ? MONEY_AS_TEXT : DECIMAL_AS_TEXT).replace('??', `[${column}]`);
  return new LicbridgeError(
    ErrorCodes.SOURCE_QUERY,
    `source ${source}: column \`${column}\` (${type}) holds a value with more digits than the driver hands over exactly: it would be read rounded. Select it as text in the stream's query, \`${asText} AS [${column}]\` (as a key or cursor too: pages then order and compare it as that text)`,
    { retryable: false, context: { source, columnName: column, columnType: type }, cause: error },
  );
}

/**
 * A table stream's MONEY text (style 2: `-1234.5600`) as the number tedious would have read when
 * that number prints back as the same amount, so the licenses of amounts read exactly before keep
 * their content; as the text itself otherwise, where a number would round it.
 */
export function moneyValue(text: string): number | string {
  const n = Number(text);
  return printsAsDecimal(n, text.trim()) ? n : text;
}
