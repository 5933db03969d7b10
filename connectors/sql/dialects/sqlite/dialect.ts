/**
 * SQLite through better-sqlite3, opened read-only: a department's database file is never written,
 * not even a journal or a schema upgrade.
 */
import { stat } from 'node:fs/promises';
import type { Knex } from 'knex';
import type { SourceConfig } from '../../../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import type { ColumnMeta, PositionOf, SqlDialect, TableRef } from '../../dialect.js';
import { reasonFirst } from '../../driver-errors.js';
import { shownName } from '../../resolve-stream.js';

type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

/** SQLite's affinity rules (datatype3.html §3.1), applied to a declared type in this order. */
export function sqliteAffinity(declared: string): Affinity {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t === '' || t.includes('BLOB')) return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const BYTES_TEXT = /^\\x([0-9a-f]{2})*$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Marks checkpoint text of a value stored as TEXT in a column without TEXT affinity (positionText). */
const STORED_TEXT = 'text:';
/** Marks checkpoint text (`\x` and hex) of a value stored as a BLOB in a column without BLOB affinity. */
const STORED_BLOB = 'blob:';
/** Text of a TEXT column that reads as a BLOB's mark: written behind one STORED_TEXT. */
const BLOB_MARKED = /^(?:text:)*blob:/;

const REPLACEMENT = '\uFFFD';

/**
 * A key or cursor read with U+FFFD in it, refused as a position. SQLite stores TEXT as it is given,
 * and a Windows application writing its GBK strings as they were (`中001`, D6 D0 30 30 31) left
 * text that is not UTF-8, which better-sqlite3 reads with U+FFFD for each byte it cannot read
 * (`��001`): a checkpoint of that text is not the stored value, and the next page started after
 * EF BF BD, passing over every key whose bytes sort below it, or, past the last of them, read the
 * same rows for ever (STANDARDS §6, "Encodings"). Names the column, never the value.
 */
function undecodedPosition(column: ColumnMeta, at: PositionOf | undefined): LicbridgeError {
  const source = at?.source ?? '(unnamed)';
  const name = shownName(column.name);
  const stream = at ? ` of stream \`${shownName(at.stream)}\`` : '';
  return new LicbridgeError(
    ErrorCodes.SOURCE_QUERY,
    `source ${source}: ${at?.role ?? 'key'} column \`${name}\`${stream} holds text that is not UTF-8 (another encoding's bytes, such as GBK, stored as TEXT), which the driver reads with U+FFFD in place of those bytes: a checkpoint of it names no stored value, and rows would be passed over; read the column as its bytes in a query stream, \`CAST(${name} AS BLOB) AS ${name}\`, and list it in the source's \`charset.repair\` (docs/connectors.md, charset repair)`,
    { retryable: false, context: { source, table: at ? shownName(at.stream) : undefined, columnName: name } },
  );
}

/**
 * Checkpoint text as a parameter in the column's own storage class. A bound parameter has no
 * affinity; comparing an INTEGER key with the text '9' would put '10' before '9' and lose rows.
 */
function bindAs(text: string, affinity: Affinity): unknown {
  if (BYTES_TEXT.test(text) && affinity === 'BLOB') return Buffer.from(text.slice(2), 'hex');
  if (affinity === 'TEXT') return text;
  // Only the text a number's checkpoint is written as (values.ts toCheckpointText: bigint's and
  // String(number)'s) stands for a number. Digit text no number is written as (`00042`, `1e3`,
  // `1.50`) was stored as TEXT, whichever licbridge wrote the checkpoint: an older one wrote it
  // unmarked, and bound as 42 a view's read began again and a query stream's skipped `00043` on.
  if (INTEGER_TEXT.test(text)) {
    if (BigInt(text).toString() !== text) return text;
    const n = BigInt(text);
    if (n >= INT64_MIN && n <= INT64_MAX) return n;
    // Past 64 bits SQLite holds no INTEGER: such digits are String() of a REAL (1e20 is written
    // 100000000000000000000). As a BigInt better-sqlite3 refused it ("too big") and every run
    // after the page failed; the REAL it reads back as is bound instead.
    return String(Number(text)) === text ? Number(text) : text;
  }
  if (affinity !== 'INTEGER' && NUMBER_TEXT.test(text) && String(Number(text)) === text) return Number(text);
  // Legacy tables keep text in numeric columns too; such a value was stored (and compares) as text.
  return text;
}

/**
 * The exact digits of a whole REAL between 2^53 and 2^63, bound back as the INTEGER of that value.
 * String() writes its shortest digits padded with zeros (2^60, 1152921504606846976, as
 * 1152921504606847000): bound as that INTEGER, `> ?` passed over the INTEGERs between the two,
 * which a column without a type, a view or a query holds beside REALs, and they were never read.
 */
function realDigits(value: number): string | undefined {
  if (!Number.isInteger(value) || Number.isSafeInteger(value)) return undefined;
  const n = BigInt(value);
  return n >= INT64_MIN && n <= INT64_MAX ? n.toString() : undefined;
}

interface PragmaColumn {
  name: string;
  type: string;
  notnull: bigint | number;
  pk: bigint | number;
}

export const sqliteDialect: SqlDialect = {
  kind: 'sqlite',
  rowValues: true,
  caseInsensitiveIdentifiers: true,
  // SQLite stores TEXT unchecked, and better-sqlite3 reads what is not UTF-8 with U+FFFD.
  replacesUndecodedBytes: true,

  async knexConfig(name: string, config: SourceConfig): Promise<Knex.Config> {
    const path = config.path;
    if (!path) {
      throw new LicbridgeError(ErrorCodes.USAGE, `source ${name}: a sqlite source needs \`path\``, {
        context: { source: name },
      });
    }
    // better-sqlite3 says only "unable to open database file"; name the path instead. Not
    // retryable: a wrong path does not fix itself between attempts.
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) {
      throw new LicbridgeError(
        ErrorCodes.SOURCE_UNREACHABLE,
        `source ${name}: cannot open sqlite database: ${info ? 'not a file' : 'no such file'}: ${path}`,
        { context: { source: name, path }, retryable: false },
      );
    }
    return {
      client: 'better-sqlite3',
      // readonly: a read-only handle cannot write, create the file, or take a write lock.
      // safeIntegers: INTEGER comes back as bigint, so keys and cursors past 2^53 stay exact.
      connection: { filename: path, options: { readonly: true, safeIntegers: true } },
      useNullAsDefault: true,
    };
  },

  async listTables(db: Knex, schema = 'main'): Promise<string[]> {
    const rows: { name: string }[] = await db.raw(
      `SELECT name FROM pragma_table_list() WHERE schema = ? AND type IN ('table', 'view')
         AND substr(name, 1, 7) <> 'sqlite_' ORDER BY name`,
      [schema],
    );
    return rows.map((r) => r.name);
  },

  async describeTable(db: Knex, table: TableRef): Promise<ColumnMeta[]> {
    const schema = table.schema ?? 'main';
    const cols: PragmaColumn[] = await db.raw(
      'SELECT name, type, "notnull", pk FROM pragma_table_info(?, ?)',
      [table.name, schema],
    );
    if (cols.length === 0) return [];
    const pkCols = cols.filter((c) => Number(c.pk) > 0);
    const { view, uniques, leading } = await readIndexes(db, table.name, schema);
    return cols.map((c) => {
      // A composite primary key makes no single column a key; only a one-column PK counts.
      const primaryKey = pkCols.length === 1 && Number(c.pk) > 0;
      // `INTEGER PRIMARY KEY` is the rowid and never NULL, though the pragma reports notnull = 0.
      const rowid = primaryKey && c.type.toUpperCase() === 'INTEGER';
      return {
        name: c.name,
        type: c.type,
        nullable: Number(c.notnull) === 0 && !rowid,
        primaryKey,
        unique: primaryKey || uniques.has(c.name),
        // pk = 1: the first primary-key column. An `INTEGER PRIMARY KEY` is the rowid, the table's
        // own B-tree, which no index list shows; other primary keys have an index of their own.
        leadsIndex: view ? null : Number(c.pk) === 1 || leading.has(c.name),
      };
    });
  },

  cursorAsText(): null {
    // SQLite returns what is stored: TEXT exactly as written (microseconds included), INTEGER as
    // bigint (safeIntegers), REAL as a double that String() round-trips.
    return null;
  },

  bind(_db: Knex, text: string, column: ColumnMeta): unknown {
    const affinity = sqliteAffinity(column.type);
    // Text that positionText marked as stored TEXT: bound as text, whatever it looks like.
    if (affinity !== 'TEXT' && text.startsWith(STORED_TEXT)) return text.slice(STORED_TEXT.length);
    if (
      affinity === 'TEXT' &&
      text.startsWith(STORED_TEXT) &&
      BLOB_MARKED.test(text.slice(STORED_TEXT.length))
    )
      return text.slice(STORED_TEXT.length);
    // A BLOB in a column of another affinity, bound as the bytes it is (positionText).
    if (text.startsWith(STORED_BLOB) && BYTES_TEXT.test(text.slice(STORED_BLOB.length)))
      return Buffer.from(text.slice(STORED_BLOB.length + 2), 'hex');
    return bindAs(text, affinity);
  },

  positionText(value: unknown, column: ColumnMeta, at?: PositionOf): string | undefined {
    if (typeof value === 'string' && value.includes(REPLACEMENT)) throw undecodedPosition(column, at);
    // SQLite orders every INTEGER and REAL before every TEXT, and a column without TEXT affinity (a
    // view's computed column, a table declared without types, any query stream's column) keeps
    // text as text: `00042` bound back as the integer 42 made `key > 42` true of every text key, and
    // a read returned its first page for ever; over a TEXT column a query stream's 42 became '42',
    // past `00043`. Text that bindAs would take for a number (`42` stored as TEXT) keeps its
    // storage class in the checkpoint, behind a mark; text that already starts with the mark is
    // marked too, so the mark is never taken from a value. `00042` needs none (bindAs).
    if (typeof value === 'number') return realDigits(value);
    const affinity = sqliteAffinity(column.type);
    // Any column keeps a BLOB as a BLOB, and SQLite orders every BLOB after every TEXT: a legacy
    // application's GBK strings bound as bytes into a TEXT column. Their `\x` text, bound back as
    // text, made `key > ?` hold for every BLOB, the page's own last key included, and the read
    // never ended. Marked, it is bound as the bytes (a BLOB-affinity column's needs no mark).
    if (value instanceof Uint8Array)
      return affinity === 'BLOB' ? undefined : `${STORED_BLOB}\\x${Buffer.from(value).toString('hex')}`;
    if (typeof value !== 'string') return undefined;
    if (affinity === 'TEXT') return BLOB_MARKED.test(value) ? STORED_TEXT + value : undefined;
    return bindAs(value, affinity) !== value || value.startsWith(STORED_TEXT) || value.startsWith(STORED_BLOB)
      ? STORED_TEXT + value
      : undefined;
  },

  classifyError(error: unknown, source: string): LicbridgeError {
    const code =
      typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
    const { detail } = reasonFirst(error);
    const context = { source, driverCode: code || undefined };
    if (/^SQLITE_(BUSY|LOCKED|IOERR)/.test(code)) {
      return new LicbridgeError(ErrorCodes.SOURCE_UNREACHABLE, `source ${source}: database busy: ${detail}`, {
        retryable: true,
        context,
        cause: error,
      });
    }
    if (/^SQLITE_(CANTOPEN|NOTADB|CORRUPT)/.test(code)) {
      return new LicbridgeError(
        ErrorCodes.SOURCE_UNREACHABLE,
        `source ${source}: cannot open database: ${detail}`,
        {
          retryable: false,
          context,
          cause: error,
        },
      );
    }
    if (/^SQLITE_(AUTH|PERM)/.test(code)) {
      return new LicbridgeError(ErrorCodes.SOURCE_AUTH, `source ${source}: access denied: ${detail}`, {
        context,
        cause: error,
      });
    }
    return new LicbridgeError(ErrorCodes.SOURCE_QUERY, `source ${source}: query failed: ${detail}`, {
      context,
      cause: error,
    });
  },
};

interface PragmaIndexColumn {
  kind: string;
  idx: string | null;
  uq: bigint | number | null;
  partial: bigint | number | null;
  seqno: bigint | number | null;
  /** NULL for an expression in an index. */
  col: string | null;
}

/**
 * Whether the table is a view, the columns alone unique by an index, and the columns that lead
 * an index: the table, its indexes and their columns in one statement.
 */
async function readIndexes(
  db: Knex,
  table: string,
  schema: string,
): Promise<{ view: boolean; uniques: Set<string>; leading: Set<string> }> {
  const rows: PragmaIndexColumn[] = await db.raw(
    `SELECT t.type AS kind, l.name AS idx, l."unique" AS uq, l.partial AS partial, i.seqno AS seqno,
            i.name AS col
       FROM pragma_table_list(?) t
       LEFT JOIN pragma_index_list(t.name, t.schema) l
       LEFT JOIN pragma_index_info(l.name, t.schema) i
      WHERE t.schema = ?`,
    [table, schema],
  );
  const byIndex = new Map<string, PragmaIndexColumn[]>();
  for (const r of rows) {
    if (r.idx === null) continue;
    byIndex.set(r.idx, [...(byIndex.get(r.idx) ?? []), r]);
  }
  const uniques = new Set<string>();
  const leading = new Set<string>();
  for (const cols of byIndex.values()) {
    const first = cols.find((c) => Number(c.seqno) === 0);
    // Expression indexes report a NULL column name; they make no column unique on its own.
    if (cols.length === 1 && Number(first?.uq) === 1 && first?.col) uniques.add(first.col);
    // A partial index holds only some rows: a page over the whole table cannot walk it.
    if (first?.col && Number(first.partial) === 0) leading.add(first.col);
  }
  return { view: rows[0]?.kind === 'view', uniques, leading };
}
