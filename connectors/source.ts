/**
 * The `SourceConnector` contract: what every inbound connector (SQL dialects, XML exports)
 * offers the pipelines. Connectors own their connections; no driver type leaks out.
 */

import type { Checkpoint } from '../core/checkpoint.js';

/** The checkpoint lives in core: the ledger stores it without depending on connectors. */
export type { Checkpoint };

/** A value as a connector hands it over: drivers' odd shapes are normalised before this. */
export type SourceValue = string | number | boolean | null | Date | Uint8Array;

/** Why a column of a row could not be decoded; the pipelines quarantine such a row with these reasons. */
export interface RowProblem {
  /** The column as the source names it. */
  column: string;
  /** Stable machine-readable code, e.g. `LB_SOURCE_CHARSET`. */
  code: string;
  /** `what failed: detail` — names the column, never echoes the value (it may be personal data). */
  message: string;
}

export interface SourceRow {
  /** The row's key as text (composite keys joined by the connector), stable across runs. */
  key: string;
  values: Record<string, SourceValue>;
  /** Columns that could not be decoded (their value is null); absent or empty when the row is clean. */
  problems?: RowProblem[];
}

/** Per-bucket digest of a stream: row count and the sum mod 2^52 of the fingerprints' first 13 hex digits. */
export interface SourceBucketDigest {
  bucket: number;
  count: number;
  /** Decimal text: exact beyond 2^53 where a database returns it so. */
  sum: string;
}

/** A bound parameter of a query stream. */
export type QueryParam = string | number | boolean | null;

export interface StreamSpec {
  /** The table or view to read; for a query stream, the name the stream goes by in messages. */
  table: string;
  key: string;
  cursor?: string;
  /**
   * A read-only query read instead of `table`: one SELECT (or WITH … SELECT), without ORDER BY or
   * LIMIT — the connector pages it. Anything else is rejected before it reaches the database.
   */
  query?: string;
  /** Values bound to the query's `?` placeholders, in order. */
  params?: readonly QueryParam[];
  /**
   * Rows whose cursor is within this many ms of the database's clock are left for the next run, so
   * rows committing at the boundary while a page is read are not skipped. Overrides the source's
   * `lagMs`. Needs a date/time cursor. @defaultValue the source's `lagMs` (0: no lag)
   */
  lagMs?: number;
  /**
   * SQL sources: the source holds each key on one row at most, declared where its catalog cannot
   * show it (a view, a query stream). A cursor stream whose key is not known unique asks the source
   * every page for other rows of the page's keys (connectors/sql/key-cursors.ts); declared, it does
   * not. @defaultValue false (what the catalog says)
   */
  keyUnique?: boolean;
}

export interface ReadOptions {
  stream: StreamSpec;
  /** Resume strictly after this pair; null reads from the start. */
  after: Checkpoint | null;
  pageSize: number;
  signal?: AbortSignal;
  /**
   * Whether the connector keeps its own record of what it read (an export folder's files-read
   * record). A reconciliation passes false: a check never changes what the next run reads.
   * @defaultValue true
   */
  record?: boolean;
  /**
   * The pipeline reading, for a connector that keeps a record of what was read: it keeps one per
   * pipeline, so two pipelines on one source each read every export file once — one pipeline
   * recording a file must not make the other skip it. @defaultValue one record for the whole
   * source (a connector used on its own, not by a pipeline)
   */
  reader?: SourceReader;
  /**
   * Hears, when the read reaches the stream's end, how many of its rows wait with a cursor ahead of
   * the database's clock (connectors/sql/keyset.ts `readBound`): a placeholder (9999-12-31) or a
   * mistyped year waits until its time comes, which no read can tell from a row not there. Told on
   * every read that reaches the end, 0 included (a stream no clock bounds: 0), so that what an
   * earlier read counted is cleared; names and a count, never a value. Not told by a read that
   * stops before the end (its read window closing, an abort). Absent: nobody asks.
   */
  onAheadOfClock?(ahead: AheadOfClock): void;
}

/** Rows of a stream left for their time at a read's end (`ReadOptions.onAheadOfClock`). */
export interface AheadOfClock {
  /** The stream's table, or a query stream's name, as the source resolved it. */
  table: string;
  /** The cursor column's name; null for a stream without a cursor. */
  cursor: string | null;
  /** How many rows hold a cursor ahead of the database's clock. */
  rows: number;
}

/** Who reads a stream (`ReadOptions.reader`). */
export interface SourceReader {
  /** The pipeline's name. */
  pipeline: string;
  /**
   * Whether other configured pipelines read the same source. A record kept for the whole source
   * (before records were kept per pipeline) may then hold another pipeline's reads, so it is not
   * taken as this one's; when no other pipeline reads the source, it is this pipeline's own.
   */
  shared: boolean;
}

export interface Page {
  rows: SourceRow[];
  /** The checkpoint to store once this page is committed. */
  checkpoint: Checkpoint;
  /**
   * Row fingerprints by source key: 32 lowercase hex digits, md5 over the row as the database
   * holds it (before CHAR trimming and charset repair), prefixed with the connector's decoding
   * settings. Equal fingerprints mean the row decodes and maps the same; reconciliation compares
   * them instead of mapping every row. Absent when the connector computes none.
   */
  fingerprints?: ReadonlyMap<string, string>;
  /**
   * Where each row stands among the records of its key, by source key, for sources that hold a
   * key more than once (an export folder holds it once per export that carried it). Opaque text,
   * ordered by the connector's `compareOrders`: the ledger keeps the newest order it has stored,
   * and a row older than that is superseded — counted unchanged, never a new version.
   */
  orders?: ReadonlyMap<string, string>;
  /**
   * What a person should know about the page's rows that is no row's fault, so no row is
   * quarantined for it: an export file whose records all leave out an element the config names
   * (read as null, connectors/xml-files/carried.ts), on the file's first page read. The run counts
   * each file once. Names only, never a value. Absent: nothing to tell.
   */
  warnings?: PageWarning[];
}

/**
 * An export file read with elements the config names (the stream's cursor, the source's `fields`)
 * that none of its records carries: they are null in every row of the file.
 */
export interface AbsentElementsWarning {
  code: 'LB_SOURCE_ELEMENT_ABSENT';
  /** The file's name in the export folder. */
  file: string;
  /** The element names, in the order the config names them (cursor, then `fields`). */
  elements: string[];
}

export type PageWarning = AbsentElementsWarning;

/** Rows of a drill-down, with each row's bucket as the database computed it (when it did). */
export interface BucketRows {
  rows: SourceRow[];
  /** Parallel to `rows`; checked against the key's bucket, so both sides are known to agree. */
  buckets?: readonly number[];
}

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  rowCount: number;
  candidateKeys: string[];
  candidateCursors: string[];
  /** What a person should know about the suggestions (e.g. keys that repeat across export files). */
  notes?: string[];
}

export interface DiscoverOptions {
  table?: string;
  onProgress?(done: number, total: number): void;
}

/** A stream read by a date/time cursor without a lag window (connectors/sql/lag-window.ts). */
export interface LagWindowWarning {
  /** The stream's table, or a query stream's name. */
  table: string;
  /** The cursor column's name. */
  cursor: string;
  /** Names the source, the stream and the cursor, what is at risk and the fix; no value. */
  message: string;
}

/** The rows `SourceConnector.readKeys` found for the keys it was given. */
export interface KeyedRows {
  /** Every row the source holds under one of the keys, settled as a page's (duplicates flagged). */
  rows: SourceRow[];
  /** As `Page.fingerprints`. */
  fingerprints?: ReadonlyMap<string, string>;
  /**
   * False when the source was not read (its read window is closed): the keys wait for a run inside
   * the window. @defaultValue true
   */
  read?: boolean;
}

export interface SourceConnector {
  readonly name: string;
  readonly kind: string;
  checkConnection(): Promise<void>;
  /** Lists tables (or the one named); `onProgress` hears after each table, for long discoveries. */
  discover(options?: DiscoverOptions): Promise<TableInfo[]>;
  read(options: ReadOptions): AsyncIterable<Page>;
  count(stream: StreamSpec): Promise<number>;
  /**
   * The rows the stream holds under the given source keys (as rows are keyed in pages), whatever
   * their cursor and the checkpoint: quarantined rows fixed by something other than their own row
   * (their predecessor issued, the other row of a duplicated key renumbered, the mapping corrected)
   * are read again this way (pipelines/quarantine-recheck.ts). A key the source no longer holds
   * gives no row. Absent: the connector cannot read by key; such rows come back only when their
   * own record is read again (a full run). `spaced`: keys a page found ambiguous (stored with
   * other trailing spaces), whose spellings with trailing spaces are read too.
   */
  readKeys?(
    stream: StreamSpec,
    keys: readonly string[],
    options?: { signal?: AbortSignal; spaced?: readonly string[] },
  ): Promise<KeyedRows>;
  /** Streams the key set in key order, in chunks, for delete detection and reconciliation. */
  keys(stream: StreamSpec, options?: { chunkSize?: number; signal?: AbortSignal }): AsyncIterable<string[]>;
  /**
   * The keys among `keys` of the rows a read leaves for their time (`ReadOptions.onAheadOfClock`):
   * no run reads them until their time comes, so the light check tells them apart from rows
   * missed. Absent: no clock bounds the source's streams.
   */
  keysAheadOfClock?(stream: StreamSpec, options?: { signal?: AbortSignal }): Promise<string[]>;
  close(): Promise<void>;
  /**
   * Checks a stream against the source without reading its rows — its table and columns exist; a
   * query stream's query is compiled by the database and returns its key and cursor — and tells, through the source's logger, what a person should know about reading it (a cursor
   * no index leads). Throws as the first read would. Absent: nothing to check before reading.
   */
  checkStream?(stream: StreamSpec): Promise<void>;
  /**
   * The column names a read of the stream gives each row, from the source's catalog or a query
   * returning no source row: nothing is read or counted. Throws as `checkStream` does for a table
   * or query that is not there. Absent: the fields are known only by `discover`.
   */
  columns?(stream: StreamSpec): Promise<string[]>;
  /**
   * The warning for a stream read by a date/time cursor with lagMs 0, which can skip rows
   * committing during a read (STANDARDS §6, boundary races); null when it has a lag window or none
   * applies. Resolves the stream as a read does, reading no row; throws as the first read would.
   * Absent: no lag window applies to the source's streams.
   */
  lagWindowWarning?(stream: StreamSpec): Promise<LagWindowWarning | null>;
  /** Orders two `Page.orders` values of one key: negative when `a` is the older record. */
  compareOrders?(a: string, b: string): number;
  /**
   * Bucket digests of the whole stream (bucket = `int(md5(key)[0..7]) mod buckets`), computed by
   * the database where the dialect can. Absent: reconciliation maps every row instead.
   */
  bucketDigests?(
    stream: StreamSpec,
    options: { buckets: number; signal?: AbortSignal },
  ): Promise<SourceBucketDigest[]>;
  /** The rows of the given buckets, in chunks (key order within a chunk of buckets). */
  readBuckets?(
    stream: StreamSpec,
    options: { buckets: number; wanted: readonly number[]; pageSize: number; signal?: AbortSignal },
  ): AsyncIterable<BucketRows>;
}
