/**
 * A stream's rows in key order, a page at a time, for the reads of a check that have no
 * in-database fingerprint (reconcile-reads.ts): each full page of a key that is not unique read
 * with the whole tie at its end, a key held on several rows settled by its newest cursor as a
 * run settles it, and the rows without a key last.
 */
import type { Knex } from 'knex';
import type { SourceRow } from '../source.js';
import { rowFingerprint } from './fingerprint.js';
import { newestOfKeys, storedKeyOf } from './key-cursors.js';
import { allKeyless } from './keyless-rows.js';
import { keyOnlyPage, type ResolvedStream } from './keyset.js';
import type { RawRow, SqlReader } from './sql-reader.js';
import { MAX_TIE, tiedRows, tieTooLarge, withWholeTie } from './tied-rows.js';

const SCAN_PAGE = 5_000;

/**
 * The newest cursor of each key a page in key order holds on several rows, as the source orders
 * its cursors (key-cursors.ts) — one query, and only for a page that repeats a key. A page in key
 * order holds every row of its keys (a tie at its end is read whole), so which of them is newest
 * is all that is missing to settle them as a run does: the newest row is the key's state; several
 * rows at the newest cursor with different content are a duplicate, quarantined. Without it the
 * full check mapped every row of such a key, the older reported against the ledger as a
 * `content-mismatch` on every check.
 */
export async function newestOfRepeated(
  reader: SqlReader,
  s: ResolvedStream,
  raw: readonly RawRow[],
): Promise<Map<string, string | null>> {
  if (!s.cursor) return new Map();
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const r of raw) {
    const key = storedKeyOf(reader.dialect, s, r);
    if (seen.has(key)) repeated.add(key);
    seen.add(key);
  }
  if (repeated.size === 0) return new Map();
  return reader.read((db) => newestOfKeys(db, reader.dialect, s, [...repeated]));
}

/**
 * A full page in key order of a key that is not unique, with every row whose key equals its last
 * one (`tied(db, key)`, tied-rows.ts): the next page starts after that key, and skipped the rest.
 */
export async function withTies(
  reader: SqlReader,
  s: ResolvedStream,
  page: RawRow[],
  limit: number,
  tied: (db: Knex, key: string) => Knex.QueryBuilder,
): Promise<RawRow[]> {
  if (page.length < limit || s.key.primaryKey || s.key.unique) return page;
  const key = storedKeyOf(reader.dialect, s, page[page.length - 1] as RawRow);
  const rows = await boundedTie(reader, s, (db) => tied(db, key));
  return withWholeTie(page, rows, (r) => rowFingerprint('', r, Object.keys(r)));
}

/**
 * The rows (or keys) of one key's tie, at most MAX_TIE as a run's read takes (page-fetch.ts): a key
 * column holding one value on millions of rows (a status named as the key) read them all at once.
 */
export async function boundedTie(
  reader: SqlReader,
  s: ResolvedStream,
  tied: (db: Knex) => Knex.QueryBuilder,
): Promise<RawRow[]> {
  const rows = await reader.read<RawRow[]>((db) => tied(db).limit(MAX_TIE + 1));
  if (rows.length > MAX_TIE) throw tieTooLarge(s, true);
  return rows;
}

/** Every row of the stream in key order, a page at a time, ignoring the lag window; keyless last. */
export async function* scan(
  reader: SqlReader,
  s: ResolvedStream,
  signal?: AbortSignal,
): AsyncIterable<{ rows: SourceRow[]; fingerprints: Map<string, string> }> {
  let after: string | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const from = after;
    const page = await reader.read<RawRow[]>((db) => keyOnlyPage(db, reader.dialect, s, from, SCAN_PAGE));
    if (page.length === 0) break;
    const raw = await withTies(reader, s, page, SCAN_PAGE, (db, key) =>
      tiedRows(db, reader.dialect, s, { cursor: null, key }, true),
    );
    yield reader.toRows(s, raw, await newestOfRepeated(reader, s, raw));
    after = storedKeyOf(reader.dialect, s, raw[raw.length - 1] as RawRow);
    if (page.length < SCAN_PAGE) break;
  }
  const keyless = await allKeyless(reader, s);
  if (keyless.length > 0) yield reader.toRows(s, keyless);
}
