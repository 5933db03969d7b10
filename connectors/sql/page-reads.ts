/**
 * A run's read of one stream (`SqlSource.read`): the rows without a key first, then keyset pages
 * (keyset.ts) in the read transaction, each with its checkpoint, inside the read window and the
 * row rate; at the stream's end the rows left ahead of the database's clock are counted and named.
 */
import type { Knex } from 'knex';
import type { KeyPosition } from '../../core/checkpoint.js';
import type { Logger } from '../../core/logger.js';
import { decodeResumePoint, encodeResumePoint } from '../key-position.js';
import type { AheadOfClock, Page, ReadOptions } from '../source.js';
import type { SqlDialect } from './dialect.js';
import { inReadWindow, type ReadWindow, RowRate, sleep } from './gentle.js';
import type { KeyColumnNotes } from './key-column-notes.js';
import type { HeldKeys } from './key-cursors.js';
import { keylessRowsOf } from './keyless-rows.js';
import { aheadOfClock, type ResolvedStream, readBound } from './keyset.js';
import { heldOfPage } from './padded-keys.js';
import { fetchPage, positionOf } from './page-fetch.js';
import { shownName } from './resolve-stream.js';
import type { SourceCalls } from './source-calls.js';
import { type RowShaping, toRows } from './source-rows.js';
import type { SqlReader } from './sql-reader.js';

type RawRow = Record<string, unknown>;

/** What a page read needs of its source. */
export interface PageReading {
  readonly name: string;
  readonly dialect: SqlDialect;
  readonly reader: SqlReader;
  readonly calls: SourceCalls;
  readonly shaping: RowShaping;
  readonly keyNotes: KeyColumnNotes;
  readonly window: ReadWindow | undefined;
  readonly maxRowsPerSecond: number | undefined;
  clock(): Date;
  logger(): Logger;
  trims(column: string): boolean;
  /** One read in the dialect's read-only transaction. */
  inRead<T>(read: (db: Knex) => PromiseLike<T>): Promise<T>;
  /** A failed read as the error naming its stream (`SqlSource.explainQueryError`). */
  explain(s: ResolvedStream, error: unknown): Promise<never>;
}

/** How many rows of the stream lie ahead of the database's clock (keyset.ts `aheadOfClock`); 0 where none is bounded. */
async function countAhead(db: Knex, dialect: SqlDialect, s: ResolvedStream): Promise<number> {
  const query = aheadOfClock(db, dialect, s);
  if (!query) return 0;
  const rows: RawRow[] = await query;
  return Number(rows[0]?.n ?? 0);
}

/** The pages of a resolved stream from `options.after` on, `pageSize` rows at most each. */
export async function* readPages(
  r: PageReading,
  s: ResolvedStream,
  options: ReadOptions,
  pageSize: number,
): AsyncIterable<Page> {
  const { signal } = options;
  const rate = new RowRate(r.maxRowsPerSecond);
  // The stored checkpoint is this format's own (../key-position.ts); any other is refused.
  const since = options.after === null ? null : decodeResumePoint(options.after, r.name);
  if (r.window && !inReadWindow(r.window, r.clock())) return;
  // Rows without a key first: they have no place in key order, so no checkpoint names them —
  // their pages keep the checkpoint the run started from, and those changed since it are read
  // again by every run (quarantined again: the worklist counts the times seen). Read before the
  // keyed rows, so a run stopped part-way (a crash, the read window closing) has read them for
  // the whole range its checkpoint moved over.
  const seen = new Set<string>();
  const keyless = await keylessRowsOf(r.reader, s, { since }).catch((e: unknown) => r.explain(s, e));
  yield* keylessPages(r, s, keyless, since, pageSize, seen, signal);
  let after = since;
  let first = true;
  // Read again below only where a bound that moves with the clock left some out.
  const bounded = s.key.nullable && boundedByClock(r, s);
  for (;;) {
    signal?.throwIfAborted();
    // Outside the read window the read ends at a page boundary, as if the stream were exhausted;
    // the checkpoint of the last committed page is where the next run (in the window) resumes.
    if (r.window && !inReadWindow(r.window, r.clock())) return;
    const { raw, held, lookupMs, ahead } = await r.calls
      .run(
        () =>
          r.inRead(async (db) => {
            const raw = await fetchPage(db, r.dialect, s, after, pageSize);
            const started = performance.now();
            const held = await heldOfPage(db, r.dialect, s, raw, r.trims(s.key.name));
            const lookupMs = performance.now() - started;
            // The stream's end: the rows left for their time, counted in the page's snapshot.
            const ahead = raw.length < pageSize ? await countAhead(db, r.dialect, s) : 0;
            return { raw, held, lookupMs, ahead };
          }),
        true,
      )
      .catch((e: unknown) => r.explain(s, e));
    signal?.throwIfAborted();
    noteAheadOfClock(r, s, ahead);
    // The stream's end: the reader hears the count (0 too, clearing an earlier one) before the
    // last page, which it may still fail to store; the count holds of the source either way.
    if (raw.length < pageSize) options.onAheadOfClock?.(aheadOf(s, ahead));
    if (raw.length === 0) break;
    if (first) r.keyNotes.firstLookup(s, lookupMs);
    first = false;
    const page = toPage(r, s, raw, held);
    // The rows without a key up to this page's checkpoint, before it is stored: the clock that
    // bounded their first read (or a rowversion's settled bound) lay before the one this page was
    // read by, and the next run looks only at those at or after the checkpoint. A row whose cursor
    // fell between was read by neither run. Those read already in this run are not read again.
    const until = page.position.cursor;
    if (bounded && until !== null) {
      const from = after?.cursor != null ? after : since;
      const late = await keylessRowsOf(r.reader, s, { since: from, until }).catch((e: unknown) =>
        r.explain(s, e),
      );
      yield* keylessPages(r, s, late, after, pageSize, seen, signal);
    }
    yield page.page;
    after = page.position;
    // A short page means the table is exhausted as of this query; one more would be empty.
    if (raw.length < pageSize) break;
    await sleep(rate.delayAfter(raw.length), signal);
  }
}

/** Whether the stream's reads are bounded by the database's clock or a settled rowversion (keyset.ts). */
function boundedByClock(r: PageReading, s: ResolvedStream): boolean {
  if (!s.cursor) return false;
  const db = r.reader.db;
  return readBound(db, r.dialect, s) !== null || Boolean(r.dialect.settledBound?.(db, s.cursor));
}

/**
 * Rows without a key as pages holding `at` as their checkpoint (they have no place in key order),
 * each row once a run: `seen` holds the stand-in keys (row-keys.ts) already read, so a row is
 * quarantined, and counted, once for the run however many reads find it.
 */
function* keylessPages(
  r: PageReading,
  s: ResolvedStream,
  raw: RawRow[],
  at: KeyPosition | null,
  pageSize: number,
  seen: Set<string>,
  signal: AbortSignal | undefined,
): Iterable<Page> {
  const { rows: all, fingerprints } = toRows(r.shaping, s, raw);
  const fresh = all.filter((row) => !seen.has(row.key));
  for (const row of fresh) seen.add(row.key);
  for (let i = 0; i < fresh.length; i += pageSize) {
    signal?.throwIfAborted();
    const rows = fresh.slice(i, i + pageSize);
    const of = new Map(rows.map((row) => [row.key, fingerprints.get(row.key) ?? '']));
    yield { rows, fingerprints: of, checkpoint: encodeResumePoint(at) };
  }
}

/**
 * Names, once a read that reached the stream's end, the rows it left for their time: a cursor
 * ahead of the database's clock (keyset.ts `readBound`). A placeholder (9999-12-31) keeps them
 * waiting for good, and an application writing its times in a zone ahead of the database's for
 * hours: only the data's owner can tell which, so the stream, the cursor and the count are said,
 * never a value.
 */
function noteAheadOfClock(r: PageReading, s: ResolvedStream, ahead: number): void {
  if (!(ahead > 0) || !s.cursor) return;
  const [table, cursor] = [shownName(s.table), shownName(s.cursor.name)];
  r.logger().warn(
    { source: r.name, table, cursor, ahead },
    `source ${r.name}: ${ahead} rows of stream \`${table}\` hold a cursor \`${cursor}\` ahead of the database's clock and wait until their time comes: a placeholder written as the time of change (9999-12-31) never comes, and an application that writes its times in a zone ahead of the database's delays its rows by the difference; correct the values in the business system, or read the stream through a query mapping the placeholder to a real time`,
  );
}

/** The rows left for their time as `ReadOptions.onAheadOfClock` hears them: names and a count. */
function aheadOf(s: ResolvedStream, rows: number): AheadOfClock {
  return { table: shownName(s.table), cursor: s.cursor ? shownName(s.cursor.name) : null, rows };
}

/** A page of driver rows in cursor order as source rows with its checkpoint (source-rows.ts `toRows`). */
function toPage(
  r: PageReading,
  s: ResolvedStream,
  raw: RawRow[],
  held: HeldKeys,
): { page: Page; position: KeyPosition } {
  const settled = toRows(r.shaping, s, raw, { ...held, inCursorOrder: true });
  const { rows, fingerprints } = settled;
  const superseded = settled.superseded.size;
  if (superseded > 0) {
    r.logger().warn(
      { source: r.name, table: shownName(s.table), keyColumn: shownName(s.key.name), superseded },
      `source ${r.name}: ${superseded} rows of a page of stream \`${shownName(s.table)}\` left out: the source holds a newer row (by cursor \`${shownName(s.cursor?.name ?? '')}\`) of the same key in \`${shownName(s.key.name)}\`, read in place of them`,
    );
  }
  // Keyset pages hold only rows whose stored key is not NULL (keyset.ts): the last one's key
  // is a position.
  return positioned({ rows, fingerprints }, positionOf(r.dialect, s, raw[raw.length - 1] as RawRow));
}

/** A page with its checkpoint, and the position inside it for the next query. */
function positioned(
  page: Omit<Page, 'checkpoint'>,
  position: KeyPosition,
): { page: Page; position: KeyPosition } {
  return { page: { ...page, checkpoint: encodeResumePoint(position) }, position };
}
