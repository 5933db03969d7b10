/**
 * A keyset page is `WHERE (cursor, key) > (?, ?) ORDER BY cursor, key LIMIT n`. With an index
 * leading with the cursor the database walks the index from the checkpoint and stops after n
 * rows; without one, every page reads and sorts the whole table to return its n rows. Measured on
 * the demo table with 1,000,000 rows in SQLite (docs/connectors.md): 300 ms a page without an
 * index, 6 ms with one on (GXSJ, ID) — at 500 rows a page, about ten of the twenty minutes of a
 * million-row run. Nothing fails, so nobody notices until the table is large: the person
 * onboarding the table is told, once.
 */
import type { Logger } from '../../core/logger.js';
import type { ColumnMeta } from './dialect.js';
import type { ResolvedStream } from './keyset.js';
import { shownName } from './resolve-stream.js';

/**
 * What to tell the person onboarding a stream read by `cursor` and `key` when no index leads with
 * the cursor; null when one does, or the catalog cannot tell (a view, a query stream).
 */
export function missingCursorIndex(
  table: string,
  cursor: ColumnMeta | undefined,
  key: ColumnMeta,
): string | null {
  if (cursor?.leadsIndex !== false) return null;
  const [t, c, k] = [table, cursor.name, key.name].map(shownName);
  return `no index of table \`${t}\` leads with its cursor \`${c}\`: each page of an incremental read scans and sorts the whole table (on 1,000,000 rows about 300 ms a page instead of 6 ms); ask the department for an index on (${c}, ${k})`;
}

/**
 * The warning of one source: once per stream (table, cursor, key) for the source's life, however
 * often the stream is resolved again, naming only the table and columns — never a value.
 */
export class SlowPageWarnings {
  private readonly warned = new Set<string>();

  constructor(
    private readonly source: string,
    private readonly logger: () => Logger,
  ) {}

  check(s: ResolvedStream): void {
    const finding = missingCursorIndex(s.table, s.cursor, s.key);
    const id = JSON.stringify([s.table, s.cursor?.name, s.key.name]);
    if (!finding || !s.cursor || this.warned.has(id)) return;
    this.warned.add(id);
    // `key` is a redacted log path (core/logger.ts): the key column goes as `keyColumn`.
    this.logger().warn(
      { source: this.source, table: s.table, cursor: s.cursor.name, keyColumn: s.key.name },
      `source ${this.source}: ${finding}`,
    );
  }
}

/** Discovery's note on a table whose suggested stream (first key, first cursor) no index serves. */
export function discoveryNotes(
  table: string,
  columns: readonly ColumnMeta[],
  keys: readonly string[],
  cursors: readonly string[],
): string[] {
  const key = columns.find((c) => c.name === keys[0]);
  const cursor = columns.find((c) => c.name === cursors[0]);
  const note = key ? missingCursorIndex(table, cursor, key) : null;
  return note ? [note] : [];
}
