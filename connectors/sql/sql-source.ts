/**
 * The SQL `SourceConnector`: one implementation over knex; what differs between databases lives
 * in a `SqlDialect`. Reads are keyset pages (see keyset.ts), checkpoints are the (cursor, key) of a
 * page's last row as text at the database's precision. Beside it: each database call and its
 * errors (source-calls.ts), resolving a stream once (resolved-streams.ts), a run's read of a
 * stream (page-reads.ts), fetching a page (page-fetch.ts), driver rows as source rows
 * (source-rows.ts), reconciliation's reads (reconcile-reads.ts).
 */
import type { Knex } from 'knex';
import type { LoadedSourceConfig } from '../../config/types.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import { type Logger, rootLogger } from '../../core/logger.js';
import type { SqlFamily } from '../kind-spec.js';
import { sourceKind } from '../kinds.js';
import { type RepairEncoding, storedSpellings } from '../repair/charset.js';
import { compileRepair, type RowRepair } from '../repair/repair.js';
import type {
  BucketRows,
  DiscoverOptions,
  KeyedRows,
  LagWindowWarning,
  Page,
  ReadOptions,
  SourceBucketDigest,
  SourceConnector,
  StreamSpec,
  TableInfo,
} from '../source.js';
import { columnProbe, probedColumns, refusedQuery } from './column-list.js';
import { constantRowSql } from './constant-row.js';
import type { SqlDialect } from './dialect.js';
import { dialectCursorType, refuseClosedWindow, tableInfo } from './discover.js';
import { inStream } from './driver-errors.js';
import { decodingPrefix } from './fingerprint.js';
import { parseReadWindow, type ReadWindow } from './gentle.js';
import { KeyColumnNotes } from './key-column-notes.js';
import { keyColumnHolds, rowsWithKeys } from './keyed-reads.js';
import { fromStream, type ResolvedStream } from './keyset.js';
import { unlaggedCursor } from './lag-window.js';
import { checkSize } from './page-fetch.js';
import { type PageReading, readPages } from './page-reads.js';
import { bucketDigests, bucketRows, keySet, keysAheadOfClock } from './reconcile-reads.js';
import { describeOrFail, shownName } from './resolve-stream.js';
import { ResolvedStreams } from './resolved-streams.js';
import { SourceCalls } from './source-calls.js';
import { checkQueryColumns, INTERNAL_ALIASES, type RowShaping, toRows } from './source-rows.js';
import type { SqlReader } from './sql-reader.js';
import { trimmer } from './values.js';

type RawRow = Record<string, unknown>;

const DEFAULT_KEY_CHUNK = 10_000;
// A look-up of a page's keys that takes this long is paid again on every page of every read.
const SLOW_KEY_LOOKUP_MS = 1_000;

/** Hooks for tests and embedding. */
export interface SqlSourceOptions {
  /** The host's clock, for the read window. @defaultValue `() => new Date()` */
  clock?: () => Date;
  /** Where findings about reading a stream go (a cursor no index leads). @defaultValue the root logger */
  logger?: Logger;
  /**
   * How long the first page's look-up of its keys' other rows (key-cursors.ts) may take before the
   * stream is named, once, as costly to read. @defaultValue 1000 (ms)
   */
  slowKeyLookupMs?: number;
}

export class SqlSource implements SourceConnector {
  readonly name: string;
  readonly kind: string;
  /** The grammar query streams are checked with (the kind's spec, connectors/kinds.ts). */
  private readonly sqlFamily: SqlFamily;
  private readonly db: Knex;
  private readonly dialect: SqlDialect;
  private readonly trims: (column: string) => boolean;
  private readonly repair: RowRepair;
  private readonly window: ReadWindow | undefined;
  private readonly maxRowsPerSecond: number | undefined;
  private readonly clock: () => Date;
  /** Each stream resolved once, checked and prepared (resolved-streams.ts). */
  private readonly streams: ResolvedStreams;
  private readonly logger: () => Logger;
  private readonly keyNotes: KeyColumnNotes;
  /** What the reconciliation reads and the keyless rows' read use of this source. */
  private readonly reader: SqlReader;
  /** Every database call, its errors mapped (source-calls.ts). */
  private readonly calls: SourceCalls;
  /** What turning driver rows into source rows takes (source-rows.ts). */
  private readonly shaping: RowShaping;
  /** What a run's page read uses of this source (page-reads.ts). */
  private readonly pages: PageReading;
  /** Each charset-repaired key column's spellings of a key, by stream (SqlReader `keySpellings`). */
  private readonly keySpellings = new WeakMap<ResolvedStream, Promise<(text: string) => string[]>>();
  private closed = false;

  constructor(
    name: string,
    config: LoadedSourceConfig,
    dialect: SqlDialect,
    db: Knex,
    options: SqlSourceOptions = {},
  ) {
    this.name = name;
    this.kind = dialect.kind;
    const family = sourceKind(dialect.kind)?.sqlFamily;
    if (!family)
      throw new LicbridgeError(ErrorCodes.USAGE, `source ${name}: \`${dialect.kind}\` is not a SQL kind`);
    this.sqlFamily = family;
    this.dialect = dialect;
    this.db = db;
    this.trims = trimmer(config.trim);
    this.repair = compileRepair({
      ...(config.charset ? { charset: config.charset } : {}),
      zeroDates: config.zeroDates,
      maxValueBytes: config.maxValueBytes,
    });
    this.calls = new SourceCalls(name, dialect, config, () => this.closed);
    this.window = config.readWindow ? parseReadWindow(name, config.readWindow) : undefined;
    this.maxRowsPerSecond = config.maxRowsPerSecond;
    this.clock = options.clock ?? (() => new Date());
    const logger = options.logger;
    this.logger = () => logger ?? rootLogger();
    this.keyNotes = new KeyColumnNotes(name, this.logger, options.slowKeyLookupMs ?? SLOW_KEY_LOOKUP_MS);
    const fingerprintPrefix = decodingPrefix(config);
    this.shaping = { name, dialect, trims: this.trims, repair: this.repair, fingerprintPrefix };
    const rewritten = new Set((config.charset?.repair ?? []).map((c) => c.toUpperCase()));
    this.reader = {
      name,
      dialect,
      db,
      trims: this.trims,
      repair: this.repair,
      rewrites: (column) => rewritten.has(column.toUpperCase()),
      keySpellings: (s) => {
        const from = config.charset?.from as RepairEncoding | undefined;
        if (!from || !rewritten.has(s.key.name.toUpperCase())) return Promise.resolve((text) => [text]);
        // The key column's character set, read once per stream (keyed-reads.ts `keyColumnHolds`).
        let spellings = this.keySpellings.get(s);
        if (!spellings) {
          spellings = keyColumnHolds(this.reader, s).then(
            (holds) => (text) => storedSpellings(text, from, holds),
          );
          spellings.catch(() => this.keySpellings.delete(s));
          this.keySpellings.set(s, spellings);
        }
        return spellings;
      },
      read: (query) => this.calls.run(() => this.inRead(query), true),
      toRows: (s, raw, newest) =>
        toRows(this.shaping, s, raw, { newest: newest ?? new Map(), inCursorOrder: false }),
    };
    this.streams = new ResolvedStreams({
      name,
      db,
      dialect,
      sqlFamily: family,
      lagMs: config.lagMs,
      calls: this.calls,
      reader: this.reader,
      keyNotes: this.keyNotes,
      logger: this.logger,
      fingerprintPrefix,
    });
    this.pages = {
      name,
      dialect,
      reader: this.reader,
      calls: this.calls,
      shaping: this.shaping,
      keyNotes: this.keyNotes,
      window: this.window,
      maxRowsPerSecond: this.maxRowsPerSecond,
      clock: () => this.clock(),
      logger: () => this.logger(),
      trims: this.trims,
      inRead: (read) => this.inRead(read),
      explain: (s, e) => this.explainQueryError(s, e),
    };
  }

  async checkConnection(): Promise<void> {
    // Not a bare `SELECT 1`: Oracle and DM refuse a SELECT without FROM (constant-row.ts).
    await this.calls.run(() => this.db.raw(constantRowSql(this.sqlFamily)));
  }

  async discover(options: DiscoverOptions = {}): Promise<TableInfo[]> {
    const names = options.table
      ? [options.table]
      : await this.calls.run(() => this.dialect.listTables(this.db));
    const tables: TableInfo[] = [];
    options.onProgress?.(0, names.length);
    for (const name of names) {
      refuseClosedWindow(this.name, this.window, this.clock(), tables.length, names.length);
      const { ref, columns } = await this.calls.run(() =>
        describeOrFail(this.db, this.dialect, this.name, name),
      );
      // In a read transaction as every read: counting a view runs what the view calls.
      const rowCount = await this.calls.run(() =>
        this.inRead((db) => this.countRows(ref.schema ? `${ref.schema}.${ref.name}` : ref.name, db)),
      );
      tables.push(
        tableInfo(
          name,
          columns,
          rowCount,
          this.dialect.dateKeyTypes,
          dialectCursorType(this.db, this.dialect),
        ),
      );
      options.onProgress?.(tables.length, names.length);
    }
    return tables;
  }

  /**
   * A table stream against the catalog; a query stream by the database compiling its query
   * (column-list.ts), its key and cursor looked for among the columns it returns. No row is read.
   */
  async checkStream(stream: StreamSpec): Promise<void> {
    const s = await this.streams.resolve(stream);
    if (!s.query) return;
    const columns = await this.queryColumns(s);
    if (columns.length > 0)
      checkQueryColumns(this.name, s, Object.fromEntries(columns.map((c) => [c, null])));
  }

  /** A table's columns from the catalog; a query's from a probe reading none of its rows (column-list.ts). */
  async columns(stream: StreamSpec): Promise<string[]> {
    const s = await this.streams.resolve(stream);
    return s.query ? this.queryColumns(s) : s.columns.map((c) => c.name);
  }

  async lagWindowWarning(stream: StreamSpec): Promise<LagWindowWarning | null> {
    return unlaggedCursor(this.db, this.dialect, this.name, await this.streams.resolve(stream));
  }

  /** The columns a query stream returns, or the database's refusal of its query, naming the stream. */
  private async queryColumns(s: ResolvedStream): Promise<string[]> {
    const query = s.query;
    if (!query) return [];
    const probe = (db: Knex) => columnProbe(db, this.sqlFamily, query);
    const answer = await this.calls
      .run(() => this.inRead(probe))
      .catch((e: unknown) => {
        throw refusedQuery(this.name, s.table, e, probe(this.db).toSQL().toNative().sql);
      });
    return probedColumns(answer).filter((c) => !INTERNAL_ALIASES.has(c));
  }

  async *read(options: ReadOptions): AsyncIterable<Page> {
    const pageSize = checkSize(options.pageSize, 'pageSize');
    yield* readPages(this.pages, await this.streams.resolve(options.stream), options, pageSize);
  }

  /** The rows of `keys`, whatever their cursor (keyed-reads.ts); nothing outside the read window. */
  async readKeys(
    stream: StreamSpec,
    keys: readonly string[],
    options: { signal?: AbortSignal; spaced?: readonly string[] } = {},
  ): Promise<KeyedRows> {
    const s = await this.streams.resolve(stream);
    return rowsWithKeys(this.pages, s, keys, options).catch((e: unknown) => this.explainQueryError(s, e));
  }

  // Each read below names its stream when it fails, as a page read does (explainQueryError): a
  // check over several streams otherwise said only `source <name>: query failed: …`.
  async count(stream: StreamSpec): Promise<number> {
    const s = await this.streams.resolve(stream);
    return this.calls
      .run(() => this.inRead((db) => this.countStream(db, s)), true)
      .catch((e: unknown) => this.explainQueryError(s, e));
  }

  async *keys(
    stream: StreamSpec,
    options: { chunkSize?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<string[]> {
    const chunkSize = checkSize(options.chunkSize ?? DEFAULT_KEY_CHUNK, 'chunkSize');
    const s = await this.streams.resolve(stream);
    try {
      yield* keySet(this.reader, s, chunkSize, options.signal);
    } catch (e) {
      await this.explainQueryError(s, e);
    }
  }

  async keysAheadOfClock(stream: StreamSpec, options: { signal?: AbortSignal } = {}): Promise<string[]> {
    const s = await this.streams.resolve(stream);
    options.signal?.throwIfAborted();
    return keysAheadOfClock(this.reader, s).catch((e: unknown) => this.explainQueryError(s, e));
  }

  async bucketDigests(
    stream: StreamSpec,
    options: { buckets: number; signal?: AbortSignal },
  ): Promise<SourceBucketDigest[]> {
    const s = await this.streams.resolve(stream);
    return bucketDigests(this.reader, s, options).catch((e: unknown) => this.explainQueryError(s, e));
  }

  async *readBuckets(
    stream: StreamSpec,
    options: { buckets: number; wanted: readonly number[]; pageSize: number; signal?: AbortSignal },
  ): AsyncIterable<BucketRows> {
    const pageSize = checkSize(options.pageSize, 'pageSize');
    const s = await this.streams.resolve(stream);
    try {
      yield* bucketRows(this.reader, s, { ...options, pageSize });
    } catch (e) {
      await this.explainQueryError(s, e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }

  /**
   * One read inside the dialect's transaction that is read-only from its start and rolled back
   * (read-transaction.ts): nothing the query or a function it calls does can write.
   */
  private inRead<T>(read: (db: Knex) => PromiseLike<T>): Promise<T> {
    if (!this.dialect.readTransaction) return Promise.resolve(read(this.db));
    return this.dialect.readTransaction<T>(this.db, read);
  }

  /**
   * The database rejects a query stream whose key or cursor it does not return before any row is
   * seen; one probe row then shows the columns the query does return, for a "did you mean". Any
   * other failed read names its stream (driver-errors.ts inStream).
   */
  private async explainQueryError(s: ResolvedStream, error: unknown): Promise<never> {
    if (s.query && isLicbridgeError(error) && error.code === ErrorCodes.SOURCE_SCHEMA) {
      const probe: RawRow[] = await this.calls
        .run(() => this.inRead((db) => fromStream(db, s).select('*').limit(1)))
        .catch(() => []);
      if (probe[0]) checkQueryColumns(this.name, s, probe[0]);
    }
    throw inStream(error, this.name, shownName(s.table));
  }

  private async countStream(db: Knex, s: ResolvedStream): Promise<number> {
    if (!s.query) return this.countRows(s.table, db);
    const rows: RawRow[] = await fromStream(db, s).count({ n: '*' });
    return Number(rows[0]?.n ?? 0);
  }

  private async countRows(table: string, db: Knex = this.db): Promise<number> {
    const rows: RawRow[] = await db.from(table).count({ n: '*' });
    const n = rows[0]?.n;
    return Number(n ?? 0);
  }
}
