/**
 * Cursors of a time-of-day type: PostgreSQL and KingbaseES `time` (`time(3) without time zone`,
 * `time with time zone`), MySQL/MariaDB `TIME`, SQL Server `time(7)`, DM `TIME`. Such a value
 * holds no date, so it cannot order rows across days: a row changed tomorrow at 08:00 sorts before
 * one changed today at 20:00, and once a checkpoint stands at 20:00 the next day's earlier changes
 * lie behind it for good. Read as a date/time, it was also compared with the database's clock
 * (keyset.ts `readBound`): PostgreSQL refused every page (`operator does not exist: time without
 * time zone <= timestamp without time zone`), MySQL and MariaDB compared it as today's time and
 * left the rows of a later hour unread. Refused before a row is read instead, saying what to use.
 *
 * Not SQLite: a declared type there is only an affinity, and a column declared `TIME` may hold
 * whole dates and times. An interval (PostgreSQL `interval`, Oracle and DM `INTERVAL DAY TO
 * SECOND`) is a duration, ordered as a number is and not taken for a date/time (resolve-stream.ts
 * `cursorLag`): it stays a plain cursor.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { ColumnMeta } from './dialect.js';
import { shownName } from './resolve-stream.js';

/** `time`, `time(6)`, `time without time zone`, `timetz`, DM `TIME WITH TIME ZONE`; not `timestamp`. */
const TIME_OF_DAY = /^time(tz)?\b/i;

/** A PostgreSQL or KingbaseES `time(p)` / `time(p) with time zone` of fewer than six digits: `p`. */
const COARSE_PG_TIME = /^time(?:tz)?\s*\(\s*([0-5])\s*\)/i;
const PG_ZONED = /^timetz\b|with time zone$/i;

/**
 * A date `rq` and the time of day `c` of `type` selected as one date-and-time, as each database
 * writes it; null where none is shown. MySQL's TIMESTAMP(rq, c) keeps c's fractional digits. On
 * PostgreSQL `rq + c` is a timestamp of six digits whatever c holds, while a `time(0)` is rounded
 * as stored (`08:00:00` stands for a change as late as 08:00:00.5): so typed, the lag bound took it
 * as lagMs old once its own instant was, and a row written at 08:00:00.4 and committed inside the
 * window, after a read took that second's rows, lay behind the checkpoint. Cast to c's precision,
 * the bound lies one unit back (postgres/dialect.ts `lagBound`).
 */
function joinedDateTime(kind: string, type: string, c: string): string | null {
  if (kind === 'mysql') return `TIMESTAMP(rq, ${c})`;
  if (kind !== 'postgres' && kind !== 'kingbase') return null;
  const digits = COARSE_PG_TIME.exec(type)?.[1];
  if (digits === undefined) return `rq + ${c}`;
  return `CAST(rq + ${c} AS timestamp(${digits})${PG_ZONED.test(type) ? ' with time zone' : ''})`;
}

/** Whether a declared type names a time of day without a date, on any database. */
export function timeOfDayType(type: string): boolean {
  return TIME_OF_DAY.test(type);
}

/** Whether a declared type holds a time of day without a date (never on SQLite, above). */
export function isTimeOfDay(kind: string, type: string): boolean {
  return kind !== 'sqlite' && timeOfDayType(type);
}

/** The refusal of a stream whose cursor is a time of day, or null; names no value. */
export function timeOfDayCursorProblem(
  source: string,
  kind: string,
  stream: string,
  cursor: ColumnMeta,
): LicbridgeError | null {
  if (!isTimeOfDay(kind, cursor.type)) return null;
  const [t, c, type] = [shownName(stream), shownName(cursor.name), shownName(cursor.type)];
  const joined = joinedDateTime(kind, cursor.type, c);
  const how = joined ? `, e.g. \`${joined} AS ${c}\` where \`rq\` is the date` : '';
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `source ${source}: cursor column \`${c}\` of stream \`${t}\` is \`${type}\`, a time of day without a date: it cannot order rows across days (a row changed tomorrow at 08:00 sorts before one changed today at 20:00, behind a checkpoint at 20:00 for good). Set \`cursor\` to a date-and-time column of last change; where the table keeps the date of the change in a column of its own, read it through a query stream that selects the two as one date-and-time${how} (docs/connectors.md, A time-of-day cursor)`,
    { retryable: false, context: { source, table: t, columnName: c, columnType: type } },
  );
}
