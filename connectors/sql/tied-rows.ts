/**
 * Rows level with a page's last row. A keyset page resumes strictly after its last (cursor, key).
 * When the key column is not unique, other rows can compare EQUAL to that position: the same key
 * twice, or, under a PAD SPACE collation (SQL Server's, MariaDB's but its `*_nopad_*` ones, MySQL
 * 5.7's; not the NO PAD ones, MySQL 8's default `utf8mb4_0900_*` among them, which tell the two
 * apart), `'K1'` and `'K1 '`. `key > 'K1'` holds for none of them, so the rows of a tie that fell
 * past the page's end were skipped without a word, and keys that read the same under `trim` never
 * met in one page, where row-keys.ts quarantines them as ambiguous. A full page therefore takes in
 * every row level with its last one, as the database compares, so no tie is split between pages.
 */
import type { Knex } from 'knex';
import type { KeyPosition } from '../../core/checkpoint.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { SqlDialect } from './dialect.js';
import { fromStream, keySelection, type ResolvedStream, selectRows, withKey } from './keyset.js';
import { shownName } from './resolve-stream.js';

type RawRow = Record<string, unknown>;

/**
 * The most rows level with a page's last one read with it: as many as a page may hold. A column
 * holding one value on millions of rows (a status, a type code named as the key) read them all
 * into memory at once; a tie query is read with a limit of one more, and refused past this.
 */
export const MAX_TIE = 100_000;

/**
 * More than MAX_TIE rows level with one position: the key column is not the table's key. `byKey`:
 * the tie of a read in key order alone (reconciliation), where the cursor plays no part.
 */
export function tieTooLarge(s: ResolvedStream, byKey = false): LicbridgeError {
  const [table, column] = [shownName(s.table), shownName(s.key.name)];
  const where = s.cursor && !byKey ? ` and cursor \`${shownName(s.cursor.name)}\`` : '';
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `source ${s.source ?? '(unnamed)'}: more than ${MAX_TIE} rows of stream \`${table}\` hold one value in key column \`${column}\`${where}: such rows are quarantined as duplicates, and this many means the column is most likely not the table's key; name a column that identifies each row`,
    {
      retryable: false,
      context: { ...(s.source ? { source: s.source } : {}), table, columnName: column },
    },
  );
}

/**
 * Every row at `position` by the database's own comparison (its collation), in no order. `byKey`:
 * for pages in key order alone (reconciliation scans), the cursor plays no part.
 */
export function tiedRows(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  position: KeyPosition,
  byKey = false,
): Knex.QueryBuilder {
  const q = withKey(selectRows(db, dialect, s), s).where(
    s.key.name,
    '=',
    dialect.bind(db, position.key, s.key) as Knex.Value,
  );
  if (s.cursor && !byKey) {
    // A cursor compared by the dialect's ordinal of it, as pages compare it (keyset.ts `cursorPage`).
    const ordinal = dialect.cursorOrdinal?.(db, s.cursor) ?? null;
    const floor = position.cursor === null ? null : ordinal?.floor(position.cursor);
    if (position.cursor === null) q.whereNull(s.cursor.name);
    else if (ordinal) {
      if (floor) q.where(s.cursor.name, '>=', floor);
      q.whereRaw('? = ?', [ordinal.expression, ordinal.value(position.cursor)]);
    } else q.where(s.cursor.name, '=', dialect.bind(db, position.cursor, s.cursor) as Knex.Value);
  }
  return q;
}

/** Every stored key equal to `key` by the database's own comparison — for a key list's chunks. */
export function tiedKeys(db: Knex, dialect: SqlDialect, s: ResolvedStream, key: string): Knex.QueryBuilder {
  return withKey(fromStream(db, s).select(keySelection(db, dialect, s)), s).where(
    s.key.name,
    '=',
    dialect.bind(db, key, s.key) as Knex.Value,
  );
}

/**
 * `page` with its trailing rows at the last row's position replaced by `tied`, all the rows at
 * it. Rows are matched by their whole content (`contentOf`): a row before the tie differs from
 * every tied row at least in its key or cursor. A trailing row that `atLast` places at the page's
 * last position is replaced too, found in `tied` or not: at a snapshot per statement (SQL Server,
 * SQLite) it changed between the two reads — updated to a later cursor, it is read there. Kept, the
 * page ended on it, its checkpoint named the tie, and the other rows of the tie, past the page's
 * end, lay at the checkpoint, passed over for good.
 */
export function withWholeTie(
  page: readonly RawRow[],
  tied: readonly RawRow[],
  contentOf: (row: RawRow) => string,
  atLast: (row: RawRow) => boolean = () => false,
): RawRow[] {
  const left = new Map<string, number>();
  for (const row of tied) {
    const c = contentOf(row);
    left.set(c, (left.get(c) ?? 0) + 1);
  }
  let end = page.length;
  while (end > 0) {
    const row = page[end - 1] as RawRow;
    const c = contentOf(row);
    const n = left.get(c) ?? 0;
    if (n > 0) left.set(c, n - 1);
    else if (!atLast(row)) break;
    end--;
  }
  if (end === page.length) return [...page];
  return [...page.slice(0, end), ...tied];
}
