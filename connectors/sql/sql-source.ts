/**
 * The SQL `SourceConnector`: one implementation over knex; what differs between databases lives
 * in a `SqlDialect`. Reads are keyset pages (see keyset.ts), checkpoints are the (cursor, key) of a
 * page's last row as text at the database's precision.
 */
import type { Knex } from 'knex';
import type { SourceConfig } from '../../config/types.js';
import { describeValue, ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import type {
  Checkpoint,
  Page,
  ReadOptions,
  SourceConnector,
  SourceRow,
  StreamSpec,
  TableInfo,
} from '../source.js';
import type { SqlDialect } from './dialect.js';
import { candidateCursors, candidateKeys, columnInfo } from './discover.js';
import {
  CURSOR_TEXT_ALIAS,
  cursorPage,
  keyChunk,
  keyOnlyPage,
  nullCursorPage,
  type ResolvedStream,
} from './keyset.js';
import { describeOrFail, resolveStream } from './resolve-stream.js';
import { normaliseRow, normaliseValue, rowKeyText, toCheckpointText, trimmer } from './values.js';

type RawRow = Record<string, unknown>;

const MAX_PAGE = 100_000;
const DEFAULT_KEY_CHUNK = 10_000;

function checkSize(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PAGE) return value;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `Expected \`${what}\` to be an integer from 1 to ${MAX_PAGE}, got ${describeValue(value)}`,
  );
}

export class SqlSource implements SourceConnector {
  readonly name: string;
  readonly kind: string;
  private readonly db: Knex;
  private readonly dialect: SqlDialect;
  private readonly trims: (column: string) => boolean;
  private readonly resolved = new Map<string, Promise<ResolvedStream>>();
  private closed = false;

  constructor(name: string, config: SourceConfig, dialect: SqlDialect, db: Knex) {
    this.name = name;
    this.kind = dialect.kind;
    this.dialect = dialect;
    this.db = db;
    this.trims = trimmer(config.trim ?? 'all');
  }

  async checkConnection(): Promise<void> {
    await this.run(() => this.db.raw('SELECT 1'));
  }

  async discover(options: { table?: string } = {}): Promise<TableInfo[]> {
    const names = options.table ? [options.table] : await this.run(() => this.dialect.listTables(this.db));
    const tables: TableInfo[] = [];
    for (const name of names) {
      const { columns } = await this.run(() => describeOrFail(this.db, this.dialect, this.name, name));
      const rowCount = await this.run(() => this.countRows(name));
      tables.push({
        name,
        columns: columns.map(columnInfo),
        rowCount,
        candidateKeys: candidateKeys(columns),
        candidateCursors: candidateCursors(columns),
      });
    }
    return tables;
  }

  async *read(options: ReadOptions): AsyncIterable<Page> {
    const pageSize = checkSize(options.pageSize, 'pageSize');
    const { signal } = options;
    const s = await this.resolve(options.stream);
    let after = options.after;
    for (;;) {
      signal?.throwIfAborted();
      const raw = await this.run(() => this.fetchPage(s, after, pageSize));
      signal?.throwIfAborted();
      if (raw.length === 0) return;
      const page = this.toPage(s, raw);
      yield page;
      after = page.checkpoint;
      // A short page means the table is exhausted as of this query; one more would be empty.
      if (raw.length < pageSize) return;
    }
  }

  async count(stream: StreamSpec): Promise<number> {
    const s = await this.resolve(stream);
    return this.run(() => this.countRows(s.table));
  }

  async *keys(
    stream: StreamSpec,
    options: { chunkSize?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<string[]> {
    const chunkSize = checkSize(options.chunkSize ?? DEFAULT_KEY_CHUNK, 'chunkSize');
    const s = await this.resolve(stream);
    const trim = this.trims(s.key.name);
    let after: string | null = null;
    for (;;) {
      options.signal?.throwIfAborted();
      const rows: RawRow[] = await this.run(() => keyChunk(this.db, this.dialect, s, after, chunkSize));
      if (rows.length === 0) return;
      const last = rows[rows.length - 1] as RawRow;
      after = toCheckpointText(last[s.key.name], `key ${s.key.name}`);
      yield rows.map((r) => rowKeyText(normaliseValue(r[s.key.name], trim)));
      if (rows.length < chunkSize) return;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }

  private resolve(stream: StreamSpec): Promise<ResolvedStream> {
    const id = JSON.stringify([stream.table, stream.key, stream.cursor ?? null]);
    let found = this.resolved.get(id);
    if (!found) {
      found = this.run(() => resolveStream(this.db, this.dialect, this.name, stream));
      // A failed check is not cached: the engineer may fix the table and retry in the same process.
      found.catch(() => this.resolved.delete(id));
      this.resolved.set(id, found);
    }
    return found;
  }

  private async fetchPage(s: ResolvedStream, after: Checkpoint | null, limit: number): Promise<RawRow[]> {
    const { db, dialect } = this;
    const cursor = s.cursor;
    if (!cursor) return keyOnlyPage(db, dialect, s, after?.key ?? null, limit);
    const withCursor = { ...s, cursor };
    if (after !== null && after.cursor !== null) {
      return cursorPage(db, dialect, withCursor, { cursor: after.cursor, key: after.key }, limit);
    }
    // Still in (or before) the NULL-cursor phase: finish it, then fill the page from the start
    // of the non-NULL rows so pages stay full across the phase change.
    const rows: RawRow[] = await nullCursorPage(db, dialect, withCursor, after?.key ?? null, limit);
    if (rows.length < limit)
      rows.push(...(await cursorPage(db, dialect, withCursor, null, limit - rows.length)));
    return rows;
  }

  private toPage(s: ResolvedStream, raw: RawRow[]): Page {
    const columns = s.columns.map((c) => c.name);
    const rows: SourceRow[] = raw.map((r) => {
      const values = normaliseRow(r, columns, this.trims);
      return { key: rowKeyText(values[s.key.name] ?? null), values };
    });
    const last = raw[raw.length - 1] as RawRow;
    // The checkpoint holds the raw, untrimmed key: it is bound back as a parameter, and a
    // padded CHAR key compared against its trimmed text would re-read the row.
    const key = toCheckpointText(last[s.key.name], `key ${s.key.name}`);
    if (!s.cursor) return { rows, checkpoint: { cursor: null, key } };
    const text = CURSOR_TEXT_ALIAS in last ? last[CURSOR_TEXT_ALIAS] : last[s.cursor.name];
    const cursor =
      text === null || text === undefined ? null : toCheckpointText(text, `cursor ${s.cursor.name}`);
    return { rows, checkpoint: { cursor, key } };
  }

  private async countRows(table: string): Promise<number> {
    const rows: RawRow[] = await this.db.from(table).count({ n: '*' });
    const n = rows[0]?.n;
    return Number(n ?? 0);
  }

  /** Runs a database call, mapping driver errors through the dialect; licbridge errors pass. */
  private async run<T>(fn: () => PromiseLike<T> | Promise<T>): Promise<T> {
    if (this.closed) {
      throw new LicbridgeError(ErrorCodes.USAGE, `source ${this.name}: connector is closed`, {
        context: { source: this.name },
      });
    }
    try {
      return await fn();
    } catch (error) {
      if (isLicbridgeError(error)) throw error;
      throw this.dialect.classifyError(error, this.name);
    }
  }
}
