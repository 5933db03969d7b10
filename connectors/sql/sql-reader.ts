/**
 * What the SQL source's reads need of it (sql-source.ts builds it): its database, and how it
 * reads, repairs and keys rows. Reconciliation's reads (reconcile-reads.ts), the rows without a
 * key (keyless-rows.ts), a run's pages (page-reads.ts) and a stream's preparation take it.
 */
import type { Knex } from 'knex';
import type { RowRepair } from '../repair/repair.js';
import type { SourceRow } from '../source.js';
import type { SqlDialect } from './dialect.js';
import type { ResolvedStream } from './keyset.js';

/** A row as the driver gives it. */
export type RawRow = Record<string, unknown>;

/** What these reads need of the source: its database, and how it reads and keys rows. */
export interface SqlReader {
  readonly name: string;
  readonly dialect: SqlDialect;
  readonly db: Knex;
  trims(column: string): boolean;
  /** The source's value repair (charset, zero dates, size), as a run applies it to every row. */
  repair: RowRepair;
  /**
   * Whether the repair can change a value of `column` into other text (charset repair): the
   * database's own text of such a key is not the key a run gives the row.
   */
  rewrites(column: string): boolean;
  /**
   * The texts the key column of `s` may hold for a key a run reads as `text`, by which the key is
   * looked up (keyed-reads.ts): `text` itself, and for a column the repair rewrites, the latin1
   * text of its bytes too (repair/charset.ts `storedSpellings`), those the column can hold.
   */
  keySpellings(s: ResolvedStream): Promise<(text: string) => string[]>;
  /** One read inside the dialect's read-only transaction, tried again when the connection dropped. */
  read<T>(query: (db: Knex) => PromiseLike<T>): Promise<T>;
  /**
   * Driver rows in key order as keyed source rows, with their fingerprints by key; a key's rows
   * settled by `newest`, the newest cursor of each key held on several rows (key-cursors.ts).
   */
  toRows(
    s: ResolvedStream,
    raw: RawRow[],
    newest?: ReadonlyMap<string, string | null>,
  ): { rows: SourceRow[]; fingerprints: Map<string, string>; superseded: ReadonlySet<number> };
}
