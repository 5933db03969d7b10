/**
 * The rows of given keys (`SqlSource.readKeys`): a quarantined row that something else fixed — its
 * predecessor issued, the other row of its duplicated key renumbered or deleted, the mapping
 * corrected — keeps its cursor behind the checkpoint, and no page reads it again. The pipeline asks
 * for it by key (pipelines/quarantine-recheck.ts). Every row of each key is read, settled as a
 * key-order scan settles a key's rows (key-order-scan.ts `newestOfRepeated`): the newest row is the
 * key's state, and rows at the newest cursor with different content are still a duplicate.
 *
 * Neither the checkpoint nor the lag window bounds the read: a row read here that a later page
 * reads again maps to the same content hash and writes nothing. The read window does: outside it,
 * nothing is read.
 */
import type { Knex } from 'knex';
import { characterSetHolds, withinFfff } from '../repair/charset.js';
import type { KeyedRows } from '../source.js';
import type { SqlDialect } from './dialect.js';
import { inReadWindow } from './gentle.js';
import { keyKnownUnique } from './key-cursors.js';
import { newestOfRepeated } from './key-order-scan.js';
import { IN_LIST_PART } from './keyless-rows.js';
import { type ResolvedStream, selectRows } from './keyset.js';
import type { PageReading } from './page-reads.js';
import { parseTableRef, shownName } from './resolve-stream.js';
import type { SqlReader } from './sql-reader.js';

type RawRow = Record<string, unknown>;

// CHAR(n), NCHAR(n), CHARACTER(n): a fixed-width key declared with its width.
const FIXED_WIDTH = /^(n?char|character)\s*\(\s*(\d+)\s*\)/i;
/** Trailing spaces a trimmed key is looked up with by equality (`spellingsOf`). */
const TRAILING_SPACES = 3;

/**
 * The stored spellings to look a key up by. A run keys a row by its trimmed text where the key is
 * trimmed, so `'JY001'` stands for a CHAR(20) value stored `'JY001' + 15 spaces`: a database that
 * compares with PAD SPACE (SQL Server, MySQL, Oracle's CHAR, PostgreSQL's bpchar) finds it either
 * way, one that does not (SQLite, whose CHAR(20) is text as it was inserted) only by the padded
 * spelling. A VARCHAR or TEXT key stored with trailing spaces (`'JY001 '`) is looked up with one to
 * three of them (TRAILING_SPACES): by equality, which the key's index serves; looked up by `'JY001'`
 * alone, such a row quarantined for its mapping was never read again where the database compares
 * without PAD SPACE (SQLite, PostgreSQL's varchar and text, Oracle's VARCHAR2). More spaces than
 * that are found by a full run (`licbridge run <pipeline> --full`), or by the LIKE of a key a page
 * found ambiguous (`spacedSpelling`).
 */
function spellingsOf(s: ResolvedStream, key: string, trimmed: boolean): string[] {
  if (!trimmed) return [key];
  const width = FIXED_WIDTH.exec(s.key.type ?? '');
  const n = width ? Number(width[2]) : 0;
  const spaced = Array.from({ length: TRAILING_SPACES }, (_, i) => key + ' '.repeat(i + 1));
  return [...new Set([key, ...spaced, ...(n > key.length ? [key.padEnd(n, ' ')] : [])])];
}

/**
 * `key LIKE 'K1 %'`: the key stored with trailing spaces where the database compares without PAD
 * SPACE (SQLite, PostgreSQL's varchar and text, Oracle's VARCHAR2, MySQL 8's NO PAD collations),
 * which an equality on `'K1'` does not find. Read with the key's own rows, the two spellings are
 * quarantined as a page quarantines them (row-keys.ts `assignKeys`): looked up by `'K1'` alone, the
 * row of `'K1'` mapped and the key was issued while the source still held `'K1 '`. A row whose key
 * only begins so (`'K1 X'`) is left out by key afterwards. `!` escapes: Oracle refuses an escape
 * before any other character than `%`, `_` and itself, and SQL Server reads `[` as a set.
 *
 * Asked only for the keys given as `spaced` (those a page found ambiguous): such a LIKE, OR'd with
 * the equality, makes PostgreSQL and SQLite scan the whole table (their LIKE uses an index only
 * under the "C" collation or a pattern index, SQLite's only case-sensitively) at every run a key is
 * open. A key quarantined for another reason needs no LIKE: a page finds a twin spelled otherwise
 * among its own rows (`assignKeys`, then quarantined AMBIGUOUS and so asked with the LIKE here), or
 * on other pages only by the database's own equality (key-cursors.ts `heldKeys`), which the
 * equality here asks too: a twin written later is read by a page when its own cursor moves, and the
 * re-read issues nothing a page of the key would not.
 */
function spacedSpelling(db: Knex, dialect: SqlDialect, s: ResolvedStream, key: string): Knex.Raw {
  const special = dialect.kind === 'mssql' ? /[!%_[]/g : /[!%_]/g;
  const pattern = `${key.replace(special, (c) => `!${c}`)} %`;
  return db.raw("?? LIKE ? ESCAPE '!'", [s.key.name, dialect.bind(db, pattern, s.key) as Knex.Value]);
}

/**
 * The query for the rows of `part` (keys as runs key rows): their spellings, and for those of
 * `spaced` where the key is `trimmed`, their spellings with trailing spaces (`spacedSpelling`).
 */
export function keyedRowsQuery(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  part: readonly string[],
  trimmed: boolean,
  spaced: ReadonlySet<string>,
  stored: (key: string) => string[] = (key) => [key],
): Knex.QueryBuilder {
  // A key of a column the charset repair rewrites, as the column may hold it (SqlReader
  // `keySpellings`): the key itself and its latin1 spellings, each of which a page reads as the key.
  const wanted = [...new Set(part.flatMap((k) => stored(k).flatMap((t) => spellingsOf(s, t, trimmed))))];
  return selectRows(db, dialect, s).where((w) => {
    w.whereIn(
      s.key.name,
      wanted.map((t) => dialect.bind(db, t, s.key) as Knex.Value),
    );
    // One condition of ORs, so that each row is read once, whichever finds it.
    if (!trimmed) return;
    for (const k of part)
      if (spaced.has(k)) for (const t of stored(k)) w.orWhere(spacedSpelling(db, dialect, s, t));
  });
}

/**
 * The keys in chunks whose look-ups bind `IN_LIST_PART` values at most, each key's spellings and
 * LIKEs counted: within Oracle's 1,000 IN-list items (ORA-01795) and SQL Server's 2,100 bound
 * parameters. A fixed number of keys a chunk, five spellings each, overflowed both once a
 * charset-repaired key was looked up by the key itself and two latin1 spellings, each with its
 * trailing-space spellings.
 */
export function keyChunks(
  s: ResolvedStream,
  keys: readonly string[],
  trimmed: boolean,
  spaced: ReadonlySet<string>,
  stored: (key: string) => string[],
): string[][] {
  const chunks: string[][] = [];
  let part: string[] = [];
  let bound = 0;
  for (const k of keys) {
    const texts = stored(k);
    const n =
      texts.reduce((sum, t) => sum + spellingsOf(s, t, trimmed).length, 0) +
      (trimmed && spaced.has(k) ? texts.length : 0);
    if (part.length > 0 && bound + n > IN_LIST_PART) {
      chunks.push(part);
      [part, bound] = [[], 0];
    }
    part.push(k);
    bound += n;
  }
  if (part.length > 0) chunks.push(part);
  return chunks;
}

/**
 * The rows of stream `s` held under `keys` (source keys as runs key rows), in chunks within bind
 * limits; those of `spaced` with their trailing-space spellings too (`spacedSpelling`).
 */
export async function rowsWithKeys(
  r: PageReading,
  s: ResolvedStream,
  keys: readonly string[],
  options: { signal?: AbortSignal; spaced?: readonly string[] } = {},
): Promise<KeyedRows> {
  const { signal } = options;
  const spaced = new Set(options.spaced ?? []);
  if (r.window && !inReadWindow(r.window, r.clock())) return { rows: [], read: false };
  const [table, column] = [shownName(s.table), shownName(s.key.name)];
  // A key column neither unique nor leading an index: each look-up scans the department's table,
  // every run while one key is open. Not asked, as a page does not ask (key-cursors.ts
  // `unindexedKeyNote`); the keys wait, and the log names what to do.
  if (!keyKnownUnique(s) && s.key.leadsIndex === false) {
    r.logger().warn(
      { source: r.name, table, keyColumn: column },
      `source ${r.name}: quarantined rows of stream \`${table}\` are not read again by key: key column \`${column}\` is not unique and leads no index, so each look-up would scan the whole table; create an index on \`${column}\`, or read them with \`licbridge run <pipeline> --full\``,
    );
    return { rows: [], read: false };
  }
  const trimmed = r.trims(s.key.name);
  const asked = [...new Set(keys)];
  const raw: RawRow[] = [];
  // Each key's spellings worked out once (an encoding and a decoding each), for the chunking, the
  // query and any narrowing, which all ask for them.
  const storedOf = await r.reader.keySpellings(s);
  const spelled = new Map<string, string[]>();
  const stored = (key: string): string[] => {
    const known = spelled.get(key);
    if (known) return known;
    const texts = storedOf(key);
    spelled.set(key, texts);
    return texts;
  };
  const ask = (part: readonly string[], spell: (key: string) => string[]) =>
    r.reader.read<RawRow[]>((db) => keyedRowsQuery(db, r.dialect, s, part, trimmed, spaced, spell));
  const narrowing: Narrowing = { to: undefined, keysLeft: new Set(), chunksUnasked: 0 };
  for (const part of keyChunks(s, asked, trimmed, spaced, stored)) {
    signal?.throwIfAborted();
    const rows = await ask(part, stored).catch((error: unknown) =>
      askNarrowed(r.dialect, part, stored, error, ask, narrowing),
    );
    raw.push(...rows);
  }
  // Only a look-up that ended: one that failed says so by its error, not by this line.
  noteNarrowed(r, s, asked.length, narrowing);
  signal?.throwIfAborted();
  if (raw.length === 0) return { rows: [], fingerprints: new Map() };
  const settled = r.reader.toRows(s, raw, await newestOfRepeated(r.reader, s, raw));
  // Only the keys asked, by their exact text: a case-insensitive collation (MariaDB's `_ci`, SQL
  // Server's `CI_AS`) finds `'A1'` for `'a1'`, a license of its own (key-cursors.ts `exactKey`
  // groups keys by their bytes), and the LIKE finds `'K1 X'` for `'K1'`.
  const wantedKeys = new Set(asked);
  const rows = settled.rows.filter((row) => wantedKeys.has(row.key));
  const fingerprints = new Map([...settled.fingerprints].filter(([k]) => wantedKeys.has(k)));
  return { rows, fingerprints };
}

// MySQL's and MariaDB's Illegal mix of collations: ER_CANT_AGGREGATE_2COLLATIONS, _3…, _N….
const COLLATIONS_MIXED = new Set([1267, 1270, 1271]);

function collationsMixed(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { errno, cause } = e as { errno?: unknown; cause?: unknown };
    if (typeof errno === 'number' && COLLATIONS_MIXED.has(errno)) return true;
    e = cause;
  }
  return false;
}

/**
 * The narrower spellings a chunk MySQL or MariaDB refused (Illegal mix of collations) is asked
 * again by, one step at a time: those up to U+FFFF, which a utf8mb3 (`utf8`) or ucs2 column holds,
 * then those latin1 (Windows-1252) holds. A query stream's column has no catalog entry
 * (`keyColumnHolds`), and a table stream's may mislead. Narrowed to latin1 at once, a key above
 * U+FFFF (`𠀀001`, repaired via GB18030) in a chunk over a utf8mb3 column dropped the proper-text
 * spelling of every other key of it: a key held twice, garbled and proper, read as one clean row.
 */
const NARROWER = [
  // Not `characterSetHolds('utf8mb3')`: the ladder stands on its own where that table is wrong.
  { to: 'U+FFFF', holds: withinFfff },
  { to: 'latin1', holds: characterSetHolds('windows-1252') },
] as const;

interface Narrowing {
  /** The narrowest spellings a chunk of the look-up was asked again by. */
  to: (typeof NARROWER)[number]['to'] | undefined;
  /** Keys left with no spelling to ask by. */
  keysLeft: Set<string>;
  /** Chunks none of whose keys had such a spelling: not asked. */
  chunksUnasked: number;
}

/**
 * The rows of chunk `part` once `error` refused it: asked again by the spellings of the next step
 * of `NARROWER` that holds fewer; a chunk left with no key is not asked (`narrowing` notes it).
 * Any other error, one refusing the latin1 spellings, or one no step explains, is thrown.
 */
async function askNarrowed(
  dialect: SqlDialect,
  part: readonly string[],
  stored: (key: string) => string[],
  error: unknown,
  ask: (part: readonly string[], spell: (key: string) => string[]) => Promise<RawRow[]>,
  narrowing: Narrowing,
): Promise<RawRow[]> {
  let [keys, spell, refusal] = [part, stored, error];
  for (const step of NARROWER) {
    if (dialect.kind !== 'mysql' || !collationsMixed(refusal)) throw refusal;
    const wide = spell;
    const held = (key: string) => wide(key).filter(step.holds);
    // Every spelling held: asked by them again, the chunk would be refused again.
    if (keys.every((k) => held(k).length === wide(k).length)) continue;
    if (narrowing.to !== 'latin1') narrowing.to = step.to;
    const left = keys.filter((k) => held(k).length > 0);
    for (const k of keys) if (held(k).length === 0) narrowing.keysLeft.add(k);
    if (left.length === 0) {
      narrowing.chunksUnasked++;
      return [];
    }
    try {
      return await ask(left, held);
    } catch (e) {
      [keys, spell, refusal] = [left, held, e];
    }
  }
  throw refusal;
}

/**
 * Says once per look-up that it was narrowed (`askNarrowed`), to which spellings, and how many keys
 * and chunks were left unasked: counts and names only, never a key, which may be personal data.
 */
function noteNarrowed(r: PageReading, s: ResolvedStream, asked: number, n: Narrowing): void {
  if (!n.to) return;
  const [table, keyColumn] = [shownName(s.table), shownName(s.key.name)];
  const keysUnasked = n.keysLeft.size;
  const spellings = n.to === 'latin1' ? 'spellings latin1 holds' : 'spellings up to U+FFFF';
  // Keys left unasked stay quarantined: a warning, with where such a refusal may come from too (a
  // query stream whose key mixes two collations is refused whatever the spellings).
  const unasked =
    keysUnasked > 0
      ? `; ${keysUnasked} of ${asked} keys had no such spelling and were not looked up (they stay quarantined; if the column holds them, the stream's query may mix two collations in the key: give it one with COLLATE)`
      : '';
  r.logger()[keysUnasked > 0 ? 'warn' : 'info'](
    {
      source: r.name,
      table,
      keyColumn,
      narrowedTo: n.to,
      keysAsked: asked,
      keysUnasked,
      chunksUnasked: n.chunksUnasked,
    },
    `source ${r.name}: a look-up by key of stream \`${table}\` was refused for an illegal mix of collations in \`${keyColumn}\` and asked again by the key ${spellings}${unasked}`,
  );
}

/**
 * Whether the key column of `s` can hold a text, for a database that refuses a look-up binding
 * text its character set has no character for, the whole look-up and not the one key: MySQL and
 * MariaDB compare a latin1 column with a CJK key by converting the key (Illegal mix of
 * collations), PostgreSQL converts every bound text to the database's encoding (SQLSTATE 22P05).
 * Read once per stream (sql-source.ts caches it). MySQL's latin1 is Windows-1252. A query
 * stream's column has no catalog entry: every spelling is bound, and where the column refuses one
 * the chunk is asked again by narrower spellings (`askNarrowed`). Other
 * databases hold every spelling or compare without refusing (SQL Server converts a parameter to a
 * `varchar` column's code page, Oracle to the database character set).
 */
export async function keyColumnHolds(
  reader: SqlReader,
  s: ResolvedStream,
): Promise<(text: string) => boolean> {
  const kind = reader.dialect.kind;
  if (kind === 'mysql') {
    if (s.query) return () => true;
    const ref = parseTableRef(s.table);
    const rows = await reader.read<{ charset: string | null }[][]>((db) =>
      db.raw(
        `SELECT CHARACTER_SET_NAME AS charset FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = coalesce(?, DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
        [ref.schema ?? null, ref.name, s.key.name],
      ),
    );
    const column = rows[0]?.[0];
    // Not in the catalog (a name it spells otherwise): not known, as a query stream's.
    if (!column) return () => true;
    const charset = column.charset;
    // No character set: a binary or numeric key, which compares with any text without refusing.
    if (!charset) return () => true;
    return characterSetHolds(charset.toLowerCase() === 'latin1' ? 'windows-1252' : charset);
  }
  if (kind === 'postgres') {
    const { rows } = await reader.read<{ rows: { server_encoding: string }[] }>((db) =>
      db.raw("SELECT current_setting('server_encoding') AS server_encoding"),
    );
    const encoding = (rows[0]?.server_encoding ?? 'UTF8').toUpperCase();
    // SQL_ASCII converts nothing: the bound text's bytes are compared as they are.
    if (encoding === 'UTF8' || encoding === 'SQL_ASCII') return () => true;
    return characterSetHolds(
      encoding === 'LATIN1' ? 'iso-8859-1' : encoding === 'WIN1252' ? 'win1252' : encoding,
    );
  }
  return () => true;
}
