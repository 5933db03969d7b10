/**
 * The rows without a key, which every read takes apart from the keyset (keyset.ts, row-keys.ts):
 * those whose key is NULL or empty, and those whose stored key reads as empty. `read` names each
 * by a stand-in key, so a run quarantines it and a check finds it quarantined, never missed.
 */
import type { Knex } from 'knex';
import type { KeyPosition } from '../../core/checkpoint.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { keylessRows, type ResolvedStream, selectRowsWithKeys } from './keyset.js';
import { shownName } from './resolve-stream.js';
import type { RawRow, SqlReader } from './sql-reader.js';

/** Values per IN list: within Oracle's 1,000 IN-list items and SQL Server's 2,100 parameters. */
export const IN_LIST_PART = 1_000;
// Rows without a key are read in one query (they have no order to page by). More than this many
// means the stream's key is most likely not the table's key: the read stops and says so.
const MAX_KEYLESS_ROWS = 100_000;

/**
 * The rows without a key (keyset.ts `keylessRows`), plus those whose stored key is one of
 * `blank` (keys that read as empty) or matches `blankSql`. Refused past MAX_KEYLESS_ROWS.
 */
export async function keylessRowsOf(
  reader: SqlReader,
  s: ResolvedStream,
  options: {
    since: KeyPosition | null;
    until?: string;
    blank?: readonly string[];
    blankSql?: Knex.Raw | null;
  },
): Promise<RawRow[]> {
  const { dialect } = reader;
  const stored = options.blank ?? [];
  const rows: RawRow[] = [];
  // A key the catalog declares NOT NULL costs no query, unless blank keys are to be found.
  if (s.key.nullable || options.blankSql) {
    const blank = options.blankSql ?? null;
    rows.push(
      ...(await reader.read<RawRow[]>((db) =>
        keylessRows(
          db,
          dialect,
          s,
          { since: options.since, until: options.until, blank },
          MAX_KEYLESS_ROWS + 1,
        ),
      )),
    );
  }
  // Blank stored keys (a few, in practice) are looked up by value, in chunks within bind limits.
  for (let i = 0; i < stored.length; i += IN_LIST_PART) {
    const part = [...new Set(stored.slice(i, i + IN_LIST_PART))];
    rows.push(
      ...(await reader.read<RawRow[]>((db) =>
        selectRowsWithKeys(db, dialect, s, part).limit(MAX_KEYLESS_ROWS + 1),
      )),
    );
  }
  if (rows.length > MAX_KEYLESS_ROWS) {
    throw new LicbridgeError(
      ErrorCodes.SOURCE_SCHEMA,
      `source ${reader.name}: key column \`${shownName(s.key.name)}\` of stream \`${shownName(s.table)}\` is NULL or empty in more than ${MAX_KEYLESS_ROWS} rows: rows without a key are quarantined, and this many means the column is most likely not the table's key; name a column that identifies each row`,
      {
        retryable: false,
        context: { source: reader.name, table: shownName(s.table), columnName: shownName(s.key.name) },
      },
    );
  }
  return rows;
}

/** Every keyless row of the stream, whatever its cursor, ignoring the lag window. */
export function allKeyless(
  reader: SqlReader,
  s: ResolvedStream,
  blank: Pick<Parameters<typeof keylessRowsOf>[2], 'blank' | 'blankSql'> = {},
) {
  return keylessRowsOf(reader, { ...s, lagMs: 0 }, { since: null, ...blank });
}
