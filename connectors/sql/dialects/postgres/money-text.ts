/**
 * A PostgreSQL `money` value as its exact amount. node-postgres has no parser for money and hands
 * over the server's display text, which `lc_monetary` formats: `$1,234.50`, `￥1,234.50`,
 * `1.234,50 €` — no number reads it, and it changed with the database's locale. Every read sets
 * `lc_monetary` to C for its transaction (dialect.ts `POSTGRES_READ`), whose text is always `$`,
 * `,` between thousands, two decimals and a leading `-`; that text is read back here into the
 * digits a NUMERIC has, and those as a NUMERIC's are (values.ts `numericText`): money is a 64-bit
 * count of cents, past a double's digits at its ends.
 */
import { numericText } from '../../values.js';

/** Type OID of money (pg_type.dat). */
export const MONEY_OID = 790;

// C locale: `-$92,233,720,368,547,758.08`; a locale whose currency has no decimals prints none.
const C_MONEY = /^(-?)\$(\d{1,3}(?:,\d{3})*)(\.\d+)?$/;

/** The amount of money text in the C locale; other text (another locale's) as it came. */
export function moneyAmount(text: string): number | string {
  const m = C_MONEY.exec(text);
  if (!m) return text;
  return numericText(`${m[1]}${(m[2] as string).replaceAll(',', '')}${m[3] ?? ''}`);
}
