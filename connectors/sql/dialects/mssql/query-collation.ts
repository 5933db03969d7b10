/**
 * A SQL Server stream checked, and a query stream adjusted, before its first page (dialect.ts
 * `prepareStream`).
 *
 * A table stream's key and cursor are bound under their column's collation (collated-bind.ts),
 * which is written into SQL: one the catalog gives that is not a plain name is refused here, before
 * a page is read, not when the first checkpoint is bound, after page 1 was committed.
 *
 * A query stream declares no column types: its key and cursor are bound as nvarchar text. Against a
 * `char`, `varchar` or `text` column SQL Server converts the column to nvarchar to compare, and
 * compares under the column's collation by its Unicode rules; ORDER BY sorts the column as it is.
 * Under a Windows collation both use one set of rules. Under a SQL collation
 * (`SQL_Latin1_General_CP1_CI_AS`, the default of many servers installed in English) varchar is
 * sorted by the collation's own non-Unicode sort order and nvarchar by Windows rules, and the two
 * disagree: the non-Unicode order puts `SP-001` before `SP0002` (`-` is a character like another),
 * the Unicode one after (a hyphen weighs almost nothing). A page ending on `SP-001` went on with the
 * keys Unicode puts after it, in the order varchar sorts them: keys were passed over and others
 * read again. A binary Windows collation (`Chinese_PRC_BIN2`, `Latin1_General_BIN`) disagrees too:
 * varchar by its code page's bytes, nvarchar by Unicode code points — 阿 (B0A2) before 埃 (B0A3)
 * in code page 936, after it (U+963F, U+57C3) in Unicode; its sort id is 0, its binary flags tell
 * it. (Microsoft docs: "Collation and Unicode support", SQL Server collations, binary collations.)
 *
 * The collation's name cannot be learnt without reading a row (and the describing functions are
 * SQL Server 2012 and later), so the parameter cannot be made a varchar of it (collated-bind.ts).
 * Instead the column is made what the parameter is: the query's column metadata, which tedious
 * sends with the one-row probe that reads none of the query's rows (column-list.ts), tells a
 * non-Unicode column and a SQL or binary collation (its sort id, its flags), and such a key or cursor is selected as
 * `CONVERT(nvarchar(n), col)` in a query wrapping the configured one. Comparison, ORDER BY, MAX and
 * grouping then all take the same Unicode rules of the column's collation, and the value is the
 * same text. The cost: no index serves the ORDER BY of an expression, so each page sorts the
 * query's rows after the checkpoint (the comparison converted the column before too).
 */
import type { Knex } from 'knex';
import { columnProbe } from '../../column-list.js';
import type { ResolvedStream } from '../../keyset.js';
import { collatedCast } from './collated-bind.js';
import type { TediousCell } from './wide-decimal.js';

/** The knex query option under which our client answers a statement with its columns' metadata. */
export const COLUMN_METADATA = 'licbridgeColumnMetadata';

/** A query's column as tedious describes it. */
export interface ProbedColumn {
  name: string;
  /** tedious' type name: `BigVarChar`, `NVarChar`, `Int`, … */
  type: string;
  /** Bytes of a character column; 65535 for a `(max)` one. */
  dataLength?: number;
  /** Fractional digits of a `time`, `datetime2` or `datetimeoffset` column (query-columns.ts). */
  scale?: number;
  /** Non-zero for a SQL collation (`SQL_Latin1_General_CP1_CI_AS`: 52); 0 for a Windows one. */
  sortId?: number;
  /** The collation's flags (tedious' `Flags`): BINARY (`_BIN`) and BINARY2 (`_BIN2`) among them. */
  flags?: number;
}

/** The columns of the first of tedious' rows (arrays of cells), as their metadata says. */
export function columnMetadataOf(rows: unknown): ProbedColumn[] {
  const row = Array.isArray(rows) ? rows[0] : undefined;
  if (!Array.isArray(row)) return [];
  return (
    row as (TediousCell & {
      metadata?: { dataLength?: number; scale?: number; collation?: { sortId?: number; flags?: number } };
    })[]
  ).map((cell) => {
    const m = cell?.metadata;
    return {
      name: m?.colName ?? '',
      type: m?.type?.name ?? '',
      ...(typeof m?.dataLength === 'number' ? { dataLength: m.dataLength } : {}),
      ...(typeof m?.scale === 'number' ? { scale: m.scale } : {}),
      ...(typeof m?.collation?.sortId === 'number' ? { sortId: m.collation.sortId } : {}),
      ...(typeof m?.collation?.flags === 'number' ? { flags: m.collation.flags } : {}),
    };
  });
}

// tedious' names of the non-Unicode character types.
const NON_UNICODE = /^(Char|VarChar|BigChar|BigVarChar|Text)$/;
// nvarchar(n) holds n UTF-16 units; a varchar(n) value of n bytes has no more characters than that.
const NVARCHAR_LIMIT = 4000;

// tedious' collation flags BINARY and BINARY2 (tedious/lib/collation.js `Flags`).
const BINARY_FLAGS = (1 << 4) | (1 << 5);

/** Whether SQL Server compares the column with an nvarchar parameter by other rules than it sorts it. */
const unicodeRulesDiffer = (c: ProbedColumn): boolean =>
  NON_UNICODE.test(c.type) && ((c.sortId ?? 0) !== 0 || ((c.flags ?? 0) & BINARY_FLAGS) !== 0);

/** A name in brackets, as knex would quote it; a `?` escaped, which knex would take for a parameter. */
const quoted = (name: string): string => `[${name.replaceAll(']', ']]').replaceAll('?', '\\?')}]`;

/** The stream checked (a table stream) or with its query wrapped (a query stream), as above. */
export async function prepareMssqlStream(
  s: ResolvedStream,
  read: <T>(query: (db: Knex) => PromiseLike<T>) => Promise<T>,
): Promise<ResolvedStream> {
  const query = s.query;
  if (!query) {
    // Throws UnsafeCollationError, which the dialect names (collated-bind.ts).
    for (const column of [s.key, s.cursor]) if (column) collatedCast(column);
    return s;
  }
  const columns = await read<ProbedColumn[]>(
    (db) =>
      columnProbe(db, 'mssql', query).options({
        [COLUMN_METADATA]: true,
      }) as unknown as PromiseLike<ProbedColumn[]>,
  );
  const wanted = [s.key.name, s.cursor?.name].filter((n) => n !== undefined).map((n) => n.toUpperCase());
  // SQL Server names columns case-insensitively.
  const converted = new Set(
    columns.filter((c) => wanted.includes(c.name.toUpperCase()) && unicodeRulesDiffer(c)).map((c) => c.name),
  );
  // A column without a name is refused in a derived table anyway: the first page says so.
  if (converted.size === 0 || columns.some((c) => c.name === '')) return s;
  const list = columns.map((c) => {
    if (!converted.has(c.name)) return quoted(c.name);
    const n =
      c.type !== 'Text' && c.dataLength !== undefined && c.dataLength <= NVARCHAR_LIMIT
        ? c.dataLength
        : 'max';
    return `CONVERT(nvarchar(${n}), ${quoted(c.name)}) AS ${quoted(c.name)}`;
  });
  return { ...s, query: { sql: `SELECT ${list.join(', ')} FROM (${query.sql}) lb_n`, params: query.params } };
}
