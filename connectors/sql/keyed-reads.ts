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
import type { KeyedRows } from '../source.js';
import { inReadWindow } from './gentle.js';
import { newestOfRepeated } from './key-order-scan.js';
import { IN_LIST_PART } from './keyless-rows.js';
import { type ResolvedStream, selectRowsWithKeys } from './keyset.js';
import type { PageReading } from './page-reads.js';

type RawRow = Record<string, unknown>;

// CHAR(n), NCHAR(n), CHARACTER(n): a fixed-width key declared with its width.
const FIXED_WIDTH = /^(n?char|character)\s*\(\s*(\d+)\s*\)/i;

/**
 * The stored spellings to look a key up by. A run keys a row by its trimmed text where the key is
 * trimmed, so `'JY001'` stands for a CHAR(20) value stored `'JY001' + 15 spaces`: a database that
 * compares with PAD SPACE (SQL Server, MySQL, Oracle's CHAR, PostgreSQL's bpchar) finds it either
 * way, one that does not (SQLite, whose CHAR(20) is text as it was inserted) only by the padded
 * spelling. Other trailing spaces (a VARCHAR key stored `'JY001 '`) are not guessed at.
 */
function spellingsOf(s: ResolvedStream, key: string, trimmed: boolean): string[] {
  const width = trimmed ? FIXED_WIDTH.exec(s.key.type ?? '') : null;
  const n = width ? Number(width[2]) : 0;
  return n > key.length ? [key, key.padEnd(n, ' ')] : [key];
}

/** The rows of stream `s` held under `keys` (source keys as runs key rows), in chunks within bind limits. */
export async function rowsWithKeys(
  r: PageReading,
  s: ResolvedStream,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<KeyedRows> {
  if (r.window && !inReadWindow(r.window, r.clock())) return { rows: [], read: false };
  const trimmed = r.trims(s.key.name);
  const wanted = [...new Set(keys.flatMap((k) => spellingsOf(s, k, trimmed)))];
  const raw: RawRow[] = [];
  for (let i = 0; i < wanted.length; i += IN_LIST_PART) {
    signal?.throwIfAborted();
    const part = wanted.slice(i, i + IN_LIST_PART);
    raw.push(...(await r.reader.read<RawRow[]>((db) => selectRowsWithKeys(db, r.dialect, s, part))));
  }
  signal?.throwIfAborted();
  if (raw.length === 0) return { rows: [], fingerprints: new Map() };
  const { rows, fingerprints } = r.reader.toRows(s, raw, await newestOfRepeated(r.reader, s, raw));
  return { rows, fingerprints };
}
