/**
 * A query stream's MONEY cursor, as exact checkpoint text. A query stream declares no column types,
 * so its cursor's text is selected in CONVERT style 121, a date's with every fractional digit
 * (dialect.ts `cursorAsText`). SQL Server applies only styles 0, 1, 2 and 126 to MONEY and
 * SMALLMONEY and takes any other as 0, which prints two decimals: a page ending at 12345678.9956
 * resumed after 12345679.00, and the rows tied at its end, or up to that amount, were never read.
 * tedious sends the cursor column's own metadata beside the text, so where that column is MONEY
 * or SMALLMONEY the text is the amount tedious read instead. That number is exact: a MONEY value
 * a number cannot hold fails the read before (wide-decimal.ts), and SMALLMONEY always is.
 */
import { CURSOR_TEXT_ALIAS } from '../../keyset.js';
import { MONEY_TYPE, type TediousCell } from './wide-decimal.js';

/** An untyped cursor as text: the select-list entry this module looks for. */
export const UNTYPED_CURSOR_TEXT = 'CONVERT(varchar(40), ??, 121)';

// The entry as knex writes it, the cursor's name in brackets (a `]` in it doubled).
const ENTRY = new RegExp(
  `${UNTYPED_CURSOR_TEXT.replace(/[()]/g, '\\$&').replace('??', '\\[((?:[^\\]]|\\]\\])+)\\]')} AS \\[${CURSOR_TEXT_ALIAS}\\]`,
);

/** Sets, in place, the cursor text of tedious rows (arrays of cells) whose untyped cursor is MONEY. */
export function exactMoneyCursorText(sql: unknown, rows: unknown): void {
  if (typeof sql !== 'string' || !Array.isArray(rows)) return;
  const name = ENTRY.exec(sql)?.[1]?.replaceAll(']]', ']').toUpperCase();
  if (!name) return;
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    const cells = row as TediousCell[];
    // SQL Server names columns case-insensitively, and the row names the cursor as the query does.
    const cursor = cells.find((c) => c?.metadata?.colName?.toUpperCase() === name);
    const text = cells.find((c) => c?.metadata?.colName === CURSOR_TEXT_ALIAS);
    if (!text || typeof cursor?.value !== 'number' || !MONEY_TYPE.test(cursor.metadata?.type?.name ?? ''))
      continue;
    text.value = String(cursor.value);
  }
}
