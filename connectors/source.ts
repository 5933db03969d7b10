/**
 * The `SourceConnector` contract: what every inbound connector (SQL dialects, XML exports)
 * offers the pipelines. Connectors own their connections; no driver type leaks out.
 */

/** A value as a connector hands it over: drivers' odd shapes are normalised before this. */
export type SourceValue = string | number | boolean | null | Date | Uint8Array;

export interface SourceRow {
  /** The row's key as text (composite keys joined by the connector), stable across runs. */
  key: string;
  values: Record<string, SourceValue>;
}

/**
 * Where to resume: the (cursor, key) pair of the last row of the last committed page, at the
 * database's own precision, serialised as text. `cursor` is null for key-only streams.
 */
export interface Checkpoint {
  cursor: string | null;
  key: string;
}

export interface StreamSpec {
  table: string;
  key: string;
  cursor?: string;
}

export interface ReadOptions {
  stream: StreamSpec;
  /** Resume strictly after this pair; null reads from the start. */
  after: Checkpoint | null;
  pageSize: number;
  signal?: AbortSignal;
}

export interface Page {
  rows: SourceRow[];
  /** The checkpoint to store once this page is committed. */
  checkpoint: Checkpoint;
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
}

export interface SourceConnector {
  readonly name: string;
  readonly kind: string;
  checkConnection(): Promise<void>;
  discover(options?: { table?: string }): Promise<TableInfo[]>;
  read(options: ReadOptions): AsyncIterable<Page>;
  count(stream: StreamSpec): Promise<number>;
  /** Streams the key set in key order, in chunks, for delete detection and reconciliation. */
  keys(stream: StreamSpec, options?: { chunkSize?: number; signal?: AbortSignal }): AsyncIterable<string[]>;
  close(): Promise<void>;
}
