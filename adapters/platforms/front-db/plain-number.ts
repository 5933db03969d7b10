/** Decimal numbers as text, compared by value: what a numeric column holds as `1`, `01` or `1.0`. */

/**
 * A decimal number's text without its leading and trailing zeros (`01` and `1.0` as `1`), or
 * undefined for a text that is no decimal number.
 */
export function plainNumber(text: string): string | undefined {
  const m = /^\s*([+-]?)(\d+)(?:\.(\d*))?\s*$/.exec(text);
  if (!m) return undefined;
  const whole = (m[2] ?? '').replace(/^0+(?=\d)/, '');
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  const sign = m[1] === '-' && (whole !== '0' || fraction !== '') ? '-' : '';
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A type of number as the databases' catalogs name it (PostgreSQL `numeric`, MySQL `decimal`,
 * Oracle `NUMBER`, SQL Server `int`, …), as against text.
 */
export const NUMBER_TYPE =
  /^(numeric|decimal|dec|number|int|integer|smallint|tinyint|mediumint|bigint|float|double|real|binary_float|binary_double)\b/i;
