/**
 * STANDARDS §6, boundary races: a row that commits while a page is read, with a cursor at or below
 * that page's last, lies behind the checkpoint once a later page passes it, and is never read — an
 * update or a revocation lost without a word. The lag window (`lagMs`, keyset.ts `cursorPage`)
 * leaves the newest rows for the next run; it defaults to 0, off, so the person running the
 * pipeline is told where it is off and would apply: a date/time cursor on a database that has a
 * lag bound. Not SQLite, which has none (lagMs is refused there, resolve-stream.ts `checkLag`),
 * nor a counter cursor: lagMs is refused on one (resolve-stream.ts `cursorLag`), and SQL Server's
 * rowversion has a bound of its own (dialect.ts `settledBound`). xml-files sources have no cursor.
 */
import type { Knex } from 'knex';
import type { LagWindowWarning } from '../source.js';
import type { ColumnMeta, SqlDialect } from './dialect.js';
import type { ResolvedStream } from './keyset.js';
import { cursorLag, shownName } from './resolve-stream.js';

const RISK =
  "a row that commits while a page is read, with a cursor at or below that page's last, is skipped for good once the checkpoint passes it";
const FIX =
  'set lagMs a little above your longest write transaction, 5000–30000 (ms), on the source or the stream';

/**
 * The warning for a stream read by a date/time cursor without a lag window, or null. A query
 * stream's cursor has the type the database gives its column where the dialect can tell
 * (dialect.ts `queryColumnTypes`, kept as `queryCursorType` by query-cursor.ts) and is then judged
 * as a table stream's: a counter takes no lagMs and is not named. Where the dialect cannot tell, it
 * is named whenever its lagMs is 0, as most legacy cursors are a time of last change, with the type
 * said to be unchecked on this database.
 */
export function unlaggedCursor(
  db: Knex,
  dialect: SqlDialect,
  source: string,
  s: ResolvedStream,
): LagWindowWarning | null {
  const cursor = s.cursor;
  if (!cursor || (s.lagMs && s.lagMs > 0) || !dialect.lagBound) return null;
  const [table, column] = [shownName(s.table), shownName(cursor.name)];
  const named = { table, cursor: column };
  const stream = s.query === undefined ? 'stream' : 'query stream';
  if (s.query !== undefined ? !dialect.queryColumnTypes : cursor.type === '')
    return {
      ...named,
      message: `source ${source}: query stream \`${table}\` is read by cursor \`${column}\` with lagMs 0; the type of a query's cursor cannot be checked on this database: if it holds a date/time, ${RISK}; ${FIX}`,
    };
  // A type the dialect does not name is no date/time (it names every one of those).
  const type = s.query === undefined ? cursor.type : s.queryCursorType;
  if (!type || cursorLag(db, dialect, { ...cursor, type }) !== 'date/time') return null;
  return {
    ...named,
    message: `source ${source}: ${stream} \`${table}\` is read by its date/time cursor \`${column}\` (${shownName(type)}) with lagMs 0: ${RISK}; ${FIX}`,
  };
}

/**
 * How a database keeps the time of a date/time cursor's values, for `valueSpanMs`: the types
 * written with fractional digits and the most it keeps, the types that stand for a span of their
 * own, and the smallest step its bound moves by.
 */
export interface KeptPrecision {
  /** A type written with fractional digits, the digits (if written) in the first group. */
  readonly digits: RegExp;
  /** The digits of a type `digits` matches without writing them; the finest if absent. */
  readonly unwritten?: number;
  /** The most fractional digits the database keeps: a value of as many stands for itself. */
  readonly finest: number;
  /** Types whose values stand for a span of their own, in ms (Oracle's DATE: a second). */
  readonly fixed?: readonly (readonly [type: RegExp, ms: number])[];
  /** The bound's smallest step, in ms (SQL Server's DATEADD: one): the span is rounded up to it. */
  readonly step?: number;
}

/**
 * The span of time a value of the cursor stands for, in ms, by which the lag bound lies further
 * back than lagMs; 0 at lagMs 0 (the clock alone, keyset.ts `readBound`: only a value ahead of now
 * waits) and for a value of the database's finest digits. A database keeps a time at its column's
 * precision — rounded to it (PostgreSQL, Oracle, SQL Server, MySQL) or cut off (MariaDB) — so
 * `08:00:00` of a whole-second column stands for a change made as late as 08:00:00.5 (or .999),
 * and is lagMs old once that is. Bounded from the value's own instant, a row written at
 * 08:00:00.4 and committed inside the window, after a read took that second's rows, lay behind the
 * checkpoint with a lower key, its change passed over (STANDARDS §6, cursor precision and boundary
 * races). The span is one unit of the precision (a second for `timestamp(0)`, a millisecond for
 * `(3)`), or what `kept.fixed` says.
 */
export function valueSpanMs(lagMs: number, cursor: ColumnMeta | undefined, kept: KeptPrecision): number {
  if (!(lagMs > 0) || !cursor) return 0;
  const fixed = kept.fixed?.find(([type]) => type.test(cursor.type));
  if (fixed) return fixed[1];
  const m = kept.digits.exec(cursor.type);
  if (!m) return 0;
  const digits = m[1] === undefined ? (kept.unwritten ?? kept.finest) : Number(m[1]);
  if (digits >= kept.finest) return 0;
  const span = 10 ** (3 - digits);
  return kept.step ? Math.ceil(span / kept.step) * kept.step : span;
}
