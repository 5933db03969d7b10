/**
 * What a SQL source says, once per stream for its life, about reading a stream by its key column —
 * each naming only the source, the table or stream and the column, never a key (keys may be ID
 * numbers):
 *
 * - a key column the catalog lets be NULL, with no primary key or unique constraint on it alone,
 *   may hold rows without a key, or a key twice: those rows are quarantined, not merged;
 * - a cursor stream's key column that is not unique and leads no index: rows of one key in
 *   different pages are not compared (key-cursors.ts);
 * - a cursor stream over a view or a query whose key is not declared unique (`keyUnique`): each
 *   page asks the source for its keys' other rows, at a cost the catalog cannot tell;
 * - a first page whose look-up of those rows took long: it is paid again on every page.
 *
 * The first three are said when the stream is resolved (config check and every run's first read),
 * the last by the read that timed it.
 */
import type { Logger } from '../../core/logger.js';
import {
  keyCursorsAsked,
  keyCursorsUnchecked,
  keyCursorsUnseen,
  slowKeyCursorsNote,
  unindexedKeyNote,
  unseenKeyNote,
} from './key-cursors.js';
import type { ResolvedStream } from './keyset.js';
import { shownName } from './resolve-stream.js';
import { nullableKeyNote } from './row-keys.js';

export class KeyColumnNotes {
  private readonly said = new Set<string>();

  constructor(
    private readonly source: string,
    private readonly logger: () => Logger,
    /** How long a first page's key look-up may take before it is named, ms. */
    private readonly slowLookupMs: number,
  ) {}

  /** What the catalog (and the stream's `keyUnique`) tell about a resolved stream's key column. */
  check(s: ResolvedStream): void {
    const k = s.key;
    const id = this.idOf(s);
    if (keyCursorsUnchecked(s) && this.first(`${id}#index`)) {
      this.logger().warn(
        { source: this.source, table: s.table, keyColumn: k.name },
        `source ${this.source}: ${unindexedKeyNote(shownName(s.table), shownName(k.name))}`,
      );
    }
    if (keyCursorsUnseen(s) && this.first(`${id}#unseen`)) {
      this.logger().warn(
        { source: this.source, table: shownName(s.table), keyColumn: shownName(k.name) },
        `source ${this.source}: ${unseenKeyNote(shownName(s.table), shownName(k.name), s.query !== undefined)}`,
      );
    }
    // Null leadsIndex: a view (or a catalog that cannot say), whose columns never carry constraints.
    if (!k.nullable || k.primaryKey || k.unique || k.leadsIndex === null || !this.first(id)) return;
    this.logger().warn(
      { source: this.source, table: s.table, keyColumn: k.name },
      `source ${this.source}: ${nullableKeyNote(s.table, k.name)}`,
    );
  }

  /** The first page's look-up of its keys' other rows (key-cursors.ts) took `ms`. */
  firstLookup(s: ResolvedStream, ms: number): void {
    if (!keyCursorsAsked(s) || ms < this.slowLookupMs || !this.first(`${this.idOf(s)}#slow`)) return;
    this.logger().warn(
      {
        source: this.source,
        table: shownName(s.table),
        keyColumn: shownName(s.key.name),
        ms: Math.round(ms),
      },
      `source ${this.source}: ${slowKeyCursorsNote(shownName(s.table), shownName(s.key.name), ms)}`,
    );
  }

  private idOf(s: ResolvedStream): string {
    return JSON.stringify([s.table, s.key.name, s.query?.sql ?? null]);
  }

  /** Whether `what` is said for the first time (and from now on, said). */
  private first(what: string): boolean {
    if (this.said.has(what)) return false;
    this.said.add(what);
    return true;
  }
}
