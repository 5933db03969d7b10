import type { Config } from '../../config/types.js';
import type { Checkpoint, SourceConnector, StreamSpec } from '../../connectors/source.js';
import { inReadWindow, parseReadWindow } from '../../connectors/sql/gentle.js';

/** How far a pipeline's checkpoint is behind its source. */
export interface SourceLag {
  /** Rows after the checkpoint, counted up to `limit`. */
  rows: number;
  /** True when counting stopped at `limit`: the lag is at least `rows`. */
  atLeast: boolean;
}

/**
 * Counts the rows after the checkpoint by paging through them with the connector's own keyset
 * read, so the count uses the same (cursor, key) comparison as a run would and never skips or
 * double-counts at the boundary (STANDARDS §6, cursor precision). Stops at `limit` to stay gentle
 * on the department's database; the rows are counted and dropped, never kept or logged.
 */
export async function measureLag(
  source: SourceConnector,
  stream: StreamSpec,
  after: Checkpoint | null,
  options: { limit: number; pageSize?: number; signal?: AbortSignal },
): Promise<SourceLag> {
  const pageSize = Math.max(1, Math.min(options.pageSize ?? 1000, options.limit));
  let rows = 0;
  const read = { stream, after, pageSize, ...(options.signal ? { signal: options.signal } : {}) };
  // Leaving the loop early closes the connector's iterator, which releases its cursor.
  for await (const page of source.read(read)) {
    rows += page.rows.length;
    if (rows >= options.limit) return { rows: options.limit, atLeast: true };
  }
  return { rows, atLeast: false };
}

/**
 * Whether `source` has a `readWindow` and `now` (host time, as the source reads it) lies outside
 * it. A source read there answers with no rows, which is no measure of the rows behind.
 */
export function outsideReadWindow(config: Readonly<Config>, source: string, now: Date): boolean {
  const window = (config.sources[source] as { readWindow?: unknown } | undefined)?.readWindow;
  return typeof window === 'string' && !inReadWindow(parseReadWindow(source, window), now);
}
