/**
 * Keys stored with trailing spaces where the database does not pad: PostgreSQL's text and varchar,
 * MySQL 8's `utf8mb4_0900_*` and MariaDB's `*_nopad_*` collations, SQLite, Oracle's VARCHAR2 tell
 * `'K1 '` from `'K1'`, so a key column unique there holds both, and `trim` reads both as `K1`. In
 * one page row-keys.ts quarantines them as ambiguous; in two (a page boundary between them, in
 * cursor or key order) each became license `K1`, the later a new version of the other, and every
 * full read made both versions again. The look-up of a page's keys' other rows (key-cursors.ts)
 * finds `'K1 '` for `'K1'` under a PAD SPACE comparison only, and is not made for a unique key.
 *
 * A page holding keys stored with trailing spaces (rare: nothing is asked for a page without one)
 * asks the source which of them it also holds trimmed, by equality on the key column, which its
 * index serves; such a row is flagged ambiguous (row-keys.ts `flagHeldSpellings`). Its twin read
 * in another page stays the license `K1`: the spelling the source holds without spaces.
 */
import type { Knex } from 'knex';
import type { SqlDialect } from './dialect.js';
import {
  type HeldKeys,
  keyCursorsUnchecked,
  keySpellings,
  newestOfRepeatedKeys,
  storedKeyOf,
} from './key-cursors.js';
import type { ResolvedStream } from './keyset.js';
import { withoutTrailingSpaces } from './values.js';

type RawRow = Record<string, unknown>;

// Within SQL Server's 2,100 bound parameters and Oracle's 1,000 IN-list items.
const KEYS_PER_QUERY = 1_000;

// CHAR(n) pads every value to its length (MySQL strips it on reading): no two values of one such
// column differ only by trailing spaces. SQLite pads nothing: a column declared CHAR(10) (as
// exports of Access-era systems declare them) has TEXT affinity and holds `'K1'` and `'K1 '` apart.
const FIXED_CHAR = /^(n?char|character|bpchar)\b(?!\s+varying)/i;

/** Whether the key column pads every value to its length, so no two of them differ by trailing spaces. */
function padsEveryValue(dialect: SqlDialect, s: ResolvedStream): boolean {
  return dialect.kind !== 'sqlite' && FIXED_CHAR.test(s.key.type);
}

/**
 * `held` with the stored keys the source holds equal to the trimmed spelling of a page key stored
 * with trailing spaces, in `spellings`. `trimmed`: whether the key column is trimmed.
 */
export async function withPaddedSpellings(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  page: readonly RawRow[],
  held: HeldKeys,
  trimmed: boolean,
): Promise<HeldKeys> {
  // A cursor stream's key column neither unique nor leading an index (keyCursorsUnchecked): the
  // equality would scan the whole table for each page holding a padded key — quadratic work on the
  // department's server where every key is padded (VARCHAR keys converted from CHAR keep theirs).
  // Not asked, as its keys' other rows are not (key-cursors.ts `unindexedKeyNote` names it).
  if (!trimmed || padsEveryValue(dialect, s) || keyCursorsUnchecked(s)) return held;
  const wanted = new Set<string>();
  for (const r of page) {
    if (typeof r[s.key.name] !== 'string') continue;
    const stored = storedKeyOf(dialect, s, r);
    const bare = withoutTrailingSpaces(stored);
    // A key of spaces only is a missing key (row-keys.ts), no spelling of another.
    if (bare !== stored && bare !== '') wanted.add(bare);
  }
  if (wanted.size === 0) return held;
  const spellings = new Set(held.spellings);
  const all = [...wanted];
  for (let i = 0; i < all.length; i += KEYS_PER_QUERY) {
    const part = all.slice(i, i + KEYS_PER_QUERY);
    // One row a stored spelling, however many rows hold it (keySpellings).
    const rows: RawRow[] = await keySpellings(db, dialect, s, part);
    for (const r of rows) spellings.add(storedKeyOf(dialect, s, r));
  }
  return { newest: held.newest, spellings };
}

/**
 * What the source holds of a page's keys: the other rows of its keys (key-cursors.ts) and the
 * trimmed spellings of its keys stored with trailing spaces. `trimmed`: whether the key is trimmed.
 */
export async function heldOfPage(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  page: readonly RawRow[],
  trimmed: boolean,
): Promise<HeldKeys> {
  return withPaddedSpellings(db, dialect, s, page, await newestOfRepeatedKeys(db, dialect, s, page), trimmed);
}
