/**
 * Driver rows as source rows: each value normalised (the dialect's driver shapes, trim), keyed
 * (row-keys.ts), repaired (charset, zero dates), fingerprinted, and — for a page — rows sharing a
 * key settled (repeated-keys.ts). A query stream's columns are known only from its rows: its key
 * and cursor are looked for in the first.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { driverReplacedProblem } from '../../core/latin1-bytes.js';
import { RepairCodes, type RowRepair } from '../repair/repair.js';
import type { RowProblem, SourceRow, SourceValue } from '../source.js';
import { suggestion } from './close-matches.js';
import type { SqlDialect } from './dialect.js';
import { BUCKET_ALIAS, FINGERPRINT_ALIAS, rowFingerprint } from './fingerprint.js';
import { cursorTextOf, storedKeyOf } from './key-cursors.js';
import { CURSOR_TEXT_ALIAS, KEY_TEXT_ALIAS, type ResolvedStream } from './keyset.js';
import { settleRepeatedKeys } from './repeated-keys.js';
import { shownName } from './resolve-stream.js';
import { assignKeys, flagHeldSpellings, type KeyingRow } from './row-keys.js';
import { normaliseValue } from './values.js';

type RawRow = Record<string, unknown>;

/** Columns licbridge selects beside a stream's own, never a field of a row. */
export const INTERNAL_ALIASES = new Set([CURSOR_TEXT_ALIAS, KEY_TEXT_ALIAS, FINGERPRINT_ALIAS, BUCKET_ALIAS]);

/** What turning a source's driver rows into source rows takes of the source. */
export interface RowShaping {
  /** The source's name, in messages. */
  name: string;
  dialect: SqlDialect;
  trims: (column: string) => boolean;
  repair: RowRepair;
  /** Prepended to every row's content before its fingerprint (fingerprint.ts `decodingPrefix`). */
  fingerprintPrefix: string;
}

export interface ShapedRows {
  rows: SourceRow[];
  fingerprints: Map<string, string>;
  /** Indexes into the driver rows of those left out for a newer row of their key. */
  superseded: ReadonlySet<number>;
}

/**
 * Driver rows as source rows, keyed (row-keys.ts), with their fingerprints by key. Rows sharing a
 * key are settled (repeated-keys.ts) when `order` is given, with the newest cursor of the keys
 * the source holds more than once (key-cursors.ts): such rows are quarantined when current at
 * once, the older left out (counted in `superseded`). `inCursorOrder`: a keyset page in (cursor,
 * key) order; false, reconciliation's reads of whole keys in key order, settled as the run
 * settles them wherever `newest` names the key.
 */
export function toRows(
  shape: RowShaping,
  s: ResolvedStream,
  raw: RawRow[],
  order?: {
    newest: ReadonlyMap<string, string | null>;
    inCursorOrder: boolean;
    /** The stored keys the source holds equal to the page's (key-cursors.ts `HeldKeys`). */
    spellings?: ReadonlySet<string>;
  },
): ShapedRows {
  const first = raw[0] as RawRow | undefined;
  if (!first) return { rows: [], fingerprints: new Map(), superseded: new Set() };
  if (s.query) checkQueryColumns(shape.name, s, first);
  const columns = s.query
    ? Object.keys(first).filter((c) => !INTERNAL_ALIASES.has(c))
    : s.columns.map((c) => c.name);
  const types = s.query ? undefined : new Map(s.columns.map((c) => [c.name, c.type]));
  const trims = columns.map((c) => shape.trims(c));
  // Names every object inherits (`__proto__`, `toString`): read from the row's own properties only.
  const inherited = columns.map((c) => c in Object.prototype);
  const normalise = shape.dialect.normalise;
  const keying: KeyingRow[] = raw.map((r) => {
    const values: SourceRow['values'] = {};
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as string;
      if (inherited[i] && !Object.hasOwn(r, column)) throw lostColumn(shape.name, s, column);
      let value = r[column];
      if (normalise && value !== null && value !== undefined) value = normalise(value, types?.get(column));
      setValue(values, column, normaliseValue(value, trims[i] as boolean));
    }
    const inDb = r[FINGERPRINT_ALIAS];
    const fingerprint = typeof inDb === 'string' ? inDb : rowFingerprint(shape.fingerprintPrefix, r, columns);
    const keyText = r[KEY_TEXT_ALIAS];
    const problems = shape.repair(values);
    if (shape.dialect.replacesUndecodedBytes) undecodedText(values, s.key.name, problems);
    return {
      values,
      rawKey: r[s.key.name],
      ...(typeof keyText === 'string' ? { keyText } : {}),
      fingerprint,
      problems,
    };
  });
  const keys = assignKeys(shape.name, s.key.name, keying);
  // Keys that read as one under `trim` on rows of other pages (row-keys.ts `flagHeldSpellings`).
  if (order?.spellings && order.spellings.size > 0 && shape.trims(s.key.name)) {
    const stored = raw.map((r) => {
      const v = r[s.key.name];
      return v === null || v === undefined ? undefined : storedKeyOf(shape.dialect, s, r);
    });
    flagHeldSpellings(shape.name, s.key.name, keying, stored, order.spellings);
  }
  // Only rows with a stored key can be named in `newest` (a keyless row has none).
  const newestOf = order && order.newest.size > 0 ? order.newest : undefined;
  const superseded = order
    ? settleRepeatedKeys(
        shape.name,
        s.key.name,
        keying.map((k, i) => {
          const r = raw[i] as RawRow;
          const stored = r[s.key.name];
          const newest =
            stored === null || stored === undefined
              ? undefined
              : newestOf?.get(storedKeyOf(shape.dialect, s, r));
          return {
            key: keys[i] as string,
            cursor: cursorTextOf(shape.dialect, s, r),
            fingerprint: k.fingerprint,
            problems: k.problems,
            ...(newest !== undefined ? { newest } : {}),
          };
        }),
        s.cursor !== undefined,
        order.inCursorOrder,
      )
    : new Set<number>();
  const fingerprints = new Map<string, string>();
  const rows: SourceRow[] = [];
  keying.forEach((k, i) => {
    if (superseded.has(i)) return;
    const row: SourceRow = { key: keys[i] as string, values: k.values };
    fingerprints.set(row.key, k.fingerprint);
    if (k.problems.length > 0) row.problems = k.problems;
    rows.push(row);
  });
  return { rows, fingerprints, superseded };
}

/**
 * Sets a column's value as the values' own property. Assigned, a column named `__proto__` (which
 * node-postgres hands over as the row's own) set the object's prototype instead: its text was
 * dropped without a word, a NULL took the prototype away, and a key so named read as NULL.
 */
function setValue(values: SourceRow['values'], column: string, value: SourceValue): void {
  if (column === '__proto__')
    Object.defineProperty(values, column, { value, enumerable: true, writable: true, configurable: true });
  else values[column] = value;
}

/**
 * A table's column the driver's row does not hold: better-sqlite3 sets a row's properties by
 * assignment, so a column named `__proto__` is none of them, and read through the prototype it was
 * the text `{}` on every row, a value the table never held. (mysql2 refuses such a column itself.)
 */
function lostColumn(source: string, s: ResolvedStream, column: string): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `source ${source}: stream \`${shownName(s.table)}\`: column \`${shownName(column)}\` is not in the rows the driver hands over, which cannot hold a property of that name: read it under another name in a query stream (\`SELECT "${column}" AS …\`)`,
    { context: { source, table: shownName(s.table), columnName: shownName(column) } },
  );
}

/**
 * Quarantines a row holding text the driver read with U+FFFD for bytes it could not decode
 * (dialect.ts `replacesUndecodedBytes`): the bytes are gone, and `�` went to the mappings and on to
 * the platform in a holder's name unless the column was listed in `charset.repair` (STANDARDS §6,
 * "Encodings"). The value becomes null, but the key's, which still names the row (keyset pages
 * refuse it as a checkpoint). Names the column, never the value.
 */
function undecodedText(values: SourceRow['values'], key: string, problems: RowProblem[]): void {
  for (const column in values) {
    const value = values[column];
    if (typeof value !== 'string') continue;
    const lost = driverReplacedProblem(value);
    if (!lost) continue;
    if (column !== key) values[column] = null;
    problems.push({
      column,
      code: RepairCodes.CHARSET,
      message: `undecodable text: column ${column}: ${lost}: in a query stream, \`CAST(${column} AS BLOB) AS ${column}\`, with the column in \`charset.repair\``,
    });
  }
}

/**
 * A query stream names its key and cursor; a row of it shows whether they exist. The row's own
 * columns only: `constructor` or `toString` is `in` every object, so a key or cursor so named that
 * the query returns under another case only (MySQL takes `ORDER BY toString` for `TOSTRING`)
 * passed, where any other name is refused with the close match.
 */
export function checkQueryColumns(source: string, s: ResolvedStream, row: RawRow): void {
  const names = Object.keys(row).filter((c) => !INTERNAL_ALIASES.has(c));
  for (const [role, column] of [
    ['key', s.key.name],
    ['cursor', s.cursor?.name],
  ] as const) {
    if (column === undefined || Object.hasOwn(row, column)) continue;
    throw new LicbridgeError(
      ErrorCodes.SOURCE_SCHEMA,
      `source ${source}: ${role} column \`${shownName(column)}\` not returned by the query of stream \`${shownName(s.table)}\`: ${suggestion(column, names, 'columns')}`,
      { context: { source, table: shownName(s.table), columnName: shownName(column) } },
    );
  }
}
