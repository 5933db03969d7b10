/**
 * A MySQL or MariaDB `TIMESTAMP` cursor, compared by the instant it holds. A TIMESTAMP stores an
 * instant (UTC); pages order it so, but the server prints it, and compares it with a bound value,
 * in the session's `time_zone` wall clock. Where that zone keeps summer time, the hour the clocks
 * go back is printed twice: rows at 02:30 summer time, then 02:10 and 02:30 winter time, sort in
 * that order, and a page ending on the first resumed with `GXSJ > '02:30'`, which 02:10 winter
 * time is not: that row was passed over for good (a page ending on it read the first again). The
 * cursor's checkpoint is now its instant, `UNIX_TIMESTAMP(col)` (`1729989000.000000`, every digit
 * of its fraction), compared as that instant. A bound on the column itself keeps the index on the
 * cursor in use: the wall clock of the checkpoint, or, where the zone's clock goes back in the two
 * hours after it (the largest step back a zone takes), that of two hours later less two hours.
 * Values still reach the mappings as the session prints them. A checkpoint an earlier licbridge
 * wrote (the wall-clock text) is read as the session reads it, as before.
 */
import type { Knex } from 'knex';
import type { ColumnMeta, CursorOrdinal } from '../../dialect.js';
import { type KeptPrecision, valueSpanMs } from '../../lag-window.js';

/** `timestamp`, `timestamp(6)` as information_schema.COLUMNS spells it. */
export const TIMESTAMP_TYPE = /^timestamp\b/i;

/**
 * A TIMESTAMP's instant, seconds since 1970 with the column's fraction; 0 at the zero TIMESTAMP.
 * UNIX_TIMESTAMP gives 0 for the zero TIMESTAMP of a table's column, but NULL for the same value
 * read through a view or a derived table (MariaDB 10.11): such rows' cursor was NULL, compared as
 * NULL, and every row at the zero TIMESTAMP was left unread. Still NULL for a NULL.
 */
export function timestampInstant(db: Knex, column: string): Knex.Raw {
  return db.raw('COALESCE(UNIX_TIMESTAMP(??), CASE WHEN ?? IS NOT NULL THEN 0 END)', [column, column]);
}

/** A TIMESTAMP cursor's text: its instant (`timestampInstant`). */
export function timestampCursorText(db: Knex, column: string): Knex.Raw {
  return db.raw('CAST(? AS CHAR)', [timestampInstant(db, column)]);
}

/** The cursor's text as written since: an instant, not a wall clock. */
const INSTANT_TEXT = /^\d+(\.\d+)?$/;
/** The zero TIMESTAMP (`0000-00-00 00:00:00`), whose instant UNIX_TIMESTAMP gives as 0. */
const ZERO_WALL_CLOCK = /^0000-00-00\b/;

/** The largest step back a zone's clock takes (Antarctica/Troll: two hours), in seconds. */
const LARGEST_STEP_BACK_S = 7200;

/**
 * A DATETIME or TIMESTAMP is kept to its fractional digits (none unless written, six at most):
 * MariaDB cuts the rest off, MySQL rounds to the nearest, so `08:00:00` is a change made as late
 * as 08:00:00.999 (lag-window.ts `valueSpanMs`).
 */
const KEPT: KeptPrecision = {
  digits: /^(?:datetime|timestamp)\b(?:\s*\(\s*(\d)\s*\))?/i,
  unwritten: 0,
  finest: 6,
};

/** The span a value of `cursor` stands for under a lag window, in microseconds (valueSpanMs). */
export function valueSpanMicros(lagMs: number, cursor: ColumnMeta | undefined): number {
  return Math.round(valueSpanMs(lagMs, cursor, KEPT) * 1000);
}

/** The comparisons of a TIMESTAMP cursor (dialect.ts `cursorOrdinal`); null for other types. */
export function timestampOrdinal(db: Knex, cursor: ColumnMeta): CursorOrdinal | null {
  if (!TIMESTAMP_TYPE.test(cursor.type)) return null;
  const value = (text: string): Knex.Raw =>
    INSTANT_TEXT.test(text)
      ? db.raw('CAST(? AS DECIMAL(20,6))', [text])
      : // An earlier release's wall-clock text, read in the session's zone as it was then.
        db.raw('COALESCE(UNIX_TIMESTAMP(CAST(? AS DATETIME(6))), 0)', [text]);
  return {
    expression: timestampInstant(db, cursor.name),
    value,
    floor(text: string): Knex.Raw | null {
      // At the zero TIMESTAMP every row is at or past it; its wall clock is no date to compare.
      if (ZERO_WALL_CLOCK.test(text) || (INSTANT_TEXT.test(text) && Number(text) === 0)) return null;
      const at = value(text);
      // Past the last instant a TIMESTAMP holds (2038-01-19 03:14:07 UTC, a legacy "never")
      // FROM_UNIXTIME is NULL: a bound of NULL would leave the rows level with such a checkpoint unread.
      const s = LARGEST_STEP_BACK_S;
      return db.raw(
        `LEAST(FROM_UNIXTIME(?), COALESCE(FROM_UNIXTIME(? + ${s}) - INTERVAL ${s} SECOND, FROM_UNIXTIME(?) - INTERVAL ${s} SECOND))`,
        [at, at, at],
      );
    },
    lagBound(lagMs: number): Knex.Raw {
      // The instant now, to the second below it (NOW(6) is a wall clock, which that hour repeats),
      // less the span a value stands for (valueSpanMicros) under a lag window.
      const back = lagMs > 0 ? lagMs * 1000 + valueSpanMicros(lagMs, cursor) : 0;
      return db.raw('UNIX_TIMESTAMP() - CAST(? AS DECIMAL(20,6))', [(back / 1e6).toFixed(6)]);
    },
  };
}
