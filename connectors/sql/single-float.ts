/**
 * A single-precision float as it was written. Drivers hand a single over as the double of the same
 * value, whose shortest text has digits nobody wrote: 0.1 stored in a single is
 * 0.10000000149011612 as a double. A value is handed over as the shortest decimal that rounds to
 * the stored single, as the database's own tools show it.
 */

/**
 * The shortest decimal whose single is `widened` (a single-precision value — a MySQL
 * FLOAT, a SQL Server REAL — read as a double): the value as it was
 * written, `0.1` for 0.10000000149011612. Nine significant digits tell every single apart. Other
 * values as they are.
 */
export function singleValue(widened: unknown): unknown {
  if (typeof widened !== 'number' || !Number.isFinite(widened) || Math.fround(widened) !== widened)
    return widened;
  for (let digits = 1; digits <= 9; digits++) {
    const shorter = Number(widened.toPrecision(digits));
    if (Math.fround(shorter) === widened) return shorter;
  }
  return widened;
}
