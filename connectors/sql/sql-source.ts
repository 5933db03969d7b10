/**
 * The SQL `SourceConnector`: one implementation over knex; what differs between databases lives
 * in a `SqlDialect`. Reads are keyset pages (see keyset.ts), checkpoints are the (cursor, key) of a
 * page's last row as text at the database's precision.
 */
import type { Knex } from 'knex';
import type { LoadedSourceConfig, SourceConfig } from '../../config/types.js';
import type { KeyPosition } from '../../core/checkpoint.js';
import { describeValue, ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import { type Logger, rootLogger } from '../../core/logger.js';
import { tlsFailureKind } from '../../core/tls.js';
import { explainTlsFailure } from '../../core/tls-probe.js';
import { decodeResumePoint, encodeResumePoint } from '../key-position.js';
import type { SqlFamily } from '../kind-spec.js';
import { sourceKind } from '../kinds.js';
import { compileRepair, type RowRepair } from '../repair/repair.js';
import type {
  BucketRows,
  DiscoverOptions,
  Page,
  ReadOptions,
  SourceBucketDigest,
  SourceConnector,
  SourceRow,
  StreamSpec,
  TableInfo,
} from '../source.js';
import { suggestion } from './close-matches.js';
import { columnProbe, probedColumns, refusedQuery } from './column-list.js';
import { constantRowSql } from './constant-row.js';
import { discoveryNotes, SlowPageWarnings } from './cursor-index.js';
import type { SqlDialect } from './dialect.js';
import { candidateCursors, candidateKeys, columnInfo, nullableKeyCandidateNotes } from './discover.js';
import { BUCKET_ALIAS, decodingPrefix, FINGERPRINT_ALIAS, rowFingerprint } from './fingerprint.js';
import { inReadWindow, parseReadWindow, type ReadWindow, RowRate, sleep } from './gentle.js';
import { KeyColumnNotes } from './key-column-notes.js';
import { cursorTextOf, newestOfRepeatedKeys, storedKeyOf } from './key-cursors.js';
import {
  CURSOR_TEXT_ALIAS,
  cursorPage,
  fromStream,
  keyOnlyPage,
  nullCursorPage,
  type ResolvedStream,
} from './keyset.js';
import { bucketDigests, bucketRows, keylessRowsOf, keySet, type SqlReader } from './reconcile-reads.js';
import { settleRepeatedKeys } from './repeated-keys.js';
import { describeOrFail, resolveQueryStream, resolveStream, shownName } from './resolve-stream.js';
import { assignKeys, type KeyingRow } from './row-keys.js';
import { tiedRows, withWholeTie } from './tied-rows.js';
import { normaliseValue, trimmer } from './values.js';

type RawRow = Record<string, unknown>;

const INTERNAL_ALIASES = new Set([CURSOR_TEXT_ALIAS, FINGERPRINT_ALIAS, BUCKET_ALIAS]);

const MAX_PAGE = 100_000;
const DEFAULT_KEY_CHUNK = 10_000;
// A connection that drops mid-read (failover, a DBA killing sessions, an idle-timeout firewall) is
// retried here a couple of times on a fresh connection; a longer outage surfaces as a retryable
// error and the worker retries the job with its own backoff.
const RECONNECT_DELAYS_MS = [200, 1_000];
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
  /** The grammar query streams are checked with (the kind's spec, connectors/kinds.ts). */
  private readonly sqlFamily: SqlFamily;
  private readonly db: Knex;
  private readonly dialect: SqlDialect;
  private readonly trims: (column: string) => boolean;
  private readonly repair: RowRepair;
  private readonly user: string | undefined;
  private readonly tlsEndpoint: Parameters<typeof explainTlsFailure>[2];
  private readonly window: ReadWindow | undefined;
  private readonly maxRowsPerSecond: number | undefined;
  private readonly lagMs: number;
  private readonly clock: () => Date;
  private readonly fingerprintPrefix: string;
  private readonly resolved = new Map<string, Promise<ResolvedStream>>();
  private readonly slowPages: SlowPageWarnings;
  private readonly logger: () => Logger;
  private readonly keyNotes: KeyColumnNotes;
  /** What the reconciliation reads and the keyless rows' read use of this source. */
  private readonly reader: SqlReader;
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
    const user = config.connection?.user;
    this.user = typeof user === 'string' ? user : undefined;
    this.tlsEndpoint = sqlTlsEndpoint(dialect.kind, config);
    this.window = config.readWindow ? parseReadWindow(name, config.readWindow) : undefined;
    this.maxRowsPerSecond = config.maxRowsPerSecond;
    this.lagMs = config.lagMs;
    this.clock = options.clock ?? (() => new Date());
    const logger = options.logger;
    this.logger = () => logger ?? rootLogger();
    this.slowPages = new SlowPageWarnings(name, this.logger);
    this.keyNotes = new KeyColumnNotes(name, this.logger, options.slowKeyLookupMs ?? SLOW_KEY_LOOKUP_MS);
    this.fingerprintPrefix = decodingPrefix(config);
    this.reader = {
      name,
      dialect,
      db,
      trims: this.trims,
      read: (query) => this.run(() => this.inRead(query), true),
      toRows: (s, raw, newest) => this.toRows(s, raw, { newest: newest ?? new Map(), inCursorOrder: false }),
    };
  }

  async checkConnection(): Promise<void> {
    // Not a bare `SELECT 1`: Oracle and DM refuse a SELECT without FROM (constant-row.ts).
    await this.run(() => this.db.raw(constantRowSql(this.sqlFamily)));
  }

  async discover(options: DiscoverOptions = {}): Promise<TableInfo[]> {
    const names = options.table ? [options.table] : await this.run(() => this.dialect.listTables(this.db));
    const tables: TableInfo[] = [];
    options.onProgress?.(0, names.length);
    for (const name of names) {
      const { ref, columns } = await this.run(() => describeOrFail(this.db, this.dialect, this.name, name));
      const rowCount = await this.run(() =>
        this.countRows(ref.schema ? `${ref.schema}.${ref.name}` : ref.name),
      );
      const keys = candidateKeys(columns);
      const cursors = candidateCursors(columns);
      const notes = [
        ...discoveryNotes(name, columns, keys, cursors),
        ...nullableKeyCandidateNotes(columns, keys),
      ];
      tables.push({
        name,
        columns: columns.map(columnInfo),
        rowCount,
        candidateKeys: keys,
        candidateCursors: cursors,
        ...(notes.length > 0 ? { notes } : {}),
      });
      options.onProgress?.(tables.length, names.length);
    }
    return tables;
  }

  /**
   * A table stream against the catalog; a query stream by the database compiling its query
   * (column-list.ts), its key and cursor looked for among the columns it returns. No row is read.
   */
  async checkStream(stream: StreamSpec): Promise<void> {
    const s = await this.resolve(stream);
    if (!s.query) return;
    const columns = await this.queryColumns(s);
    if (columns.length > 0) this.checkQueryColumns(s, Object.fromEntries(columns.map((c) => [c, null])));
  }

  /** A table's columns from the catalog; a query's from a probe reading none of its rows (column-list.ts). */
  async columns(stream: StreamSpec): Promise<string[]> {
    const s = await this.resolve(stream);
    return s.query ? this.queryColumns(s) : s.columns.map((c) => c.name);
  }

  /** The columns a query stream returns, or the database's refusal of its query, naming the stream. */
  private async queryColumns(s: ResolvedStream): Promise<string[]> {
    const query = s.query;
    if (!query) return [];
    const probe = (db: Knex) => columnProbe(db, this.sqlFamily, query);
    const answer = await this.run(() => this.inRead(probe)).catch((e: unknown) => {
      throw refusedQuery(this.name, s.table, e, probe(this.db).toSQL().toNative().sql);
    });
    return probedColumns(answer).filter((c) => !INTERNAL_ALIASES.has(c));
  }

  async *read(options: ReadOptions): AsyncIterable<Page> {
    const pageSize = checkSize(options.pageSize, 'pageSize');
    const { signal } = options;
    const s = await this.resolve(options.stream);
    const rate = new RowRate(this.maxRowsPerSecond);
    // The stored checkpoint is this format's own (../key-position.ts); any other is refused.
    const since = options.after === null ? null : decodeResumePoint(options.after, this.name);
    if (this.window && !inReadWindow(this.window, this.clock())) return;
    // Rows without a key first: they have no place in key order, so no checkpoint names them —
    // their pages keep the checkpoint the run started from, and those changed since it are read
    // again by every run (quarantined again: the worklist counts the times seen). Read before the
    // keyed rows, so a run stopped part-way (a crash, the read window closing) has read them for
    // the whole range its checkpoint moved over.
    const keyless = await keylessRowsOf(this.reader, s, { since }).catch((e: unknown) =>
      this.explainQueryError(s, e),
    );
    for (let i = 0; i < keyless.length; i += pageSize) {
      signal?.throwIfAborted();
      const { rows, fingerprints } = this.toRows(s, keyless.slice(i, i + pageSize));
      yield { rows, fingerprints, checkpoint: encodeResumePoint(since) };
    }
    let after = since;
    let first = true;
    for (;;) {
      signal?.throwIfAborted();
      // Outside the read window the read ends at a page boundary, as if the stream were exhausted;
      // the checkpoint of the last committed page is where the next run (in the window) resumes.
      if (this.window && !inReadWindow(this.window, this.clock())) return;
      const { raw, newest, lookupMs } = await this.run(
        () =>
          this.inRead(async (db) => {
            const raw = await this.fetchPage(db, s, after, pageSize);
            const started = performance.now();
            const newest = await newestOfRepeatedKeys(db, this.dialect, s, raw);
            return { raw, newest, lookupMs: performance.now() - started };
          }),
        true,
      ).catch((e: unknown) => this.explainQueryError(s, e));
      signal?.throwIfAborted();
      if (raw.length === 0) return;
      if (first) this.keyNotes.firstLookup(s, lookupMs);
      first = false;
      const page = this.toPage(s, raw, newest);
      yield page.page;
      after = page.position;
      // A short page means the table is exhausted as of this query; one more would be empty.
      if (raw.length < pageSize) return;
      await sleep(rate.delayAfter(raw.length), signal);
    }
  }

  async count(stream: StreamSpec): Promise<number> {
    const s = await this.resolve(stream);
    return this.run(() => this.inRead((db) => this.countStream(db, s)), true);
  }

  async *keys(
    stream: StreamSpec,
    options: { chunkSize?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<string[]> {
    const chunkSize = checkSize(options.chunkSize ?? DEFAULT_KEY_CHUNK, 'chunkSize');
    yield* keySet(this.reader, await this.resolve(stream), chunkSize, options.signal);
  }

  async bucketDigests(
    stream: StreamSpec,
    options: { buckets: number; signal?: AbortSignal },
  ): Promise<SourceBucketDigest[]> {
    return bucketDigests(this.reader, await this.resolve(stream), options);
  }

  async *readBuckets(
    stream: StreamSpec,
    options: { buckets: number; wanted: readonly number[]; pageSize: number; signal?: AbortSignal },
  ): AsyncIterable<BucketRows> {
    const pageSize = checkSize(options.pageSize, 'pageSize');
    yield* bucketRows(this.reader, await this.resolve(stream), { ...options, pageSize });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }

  private resolve(stream: StreamSpec): Promise<ResolvedStream> {
    const id = JSON.stringify([
      stream.table,
      stream.key,
      stream.cursor ?? null,
      stream.query ?? null,
      stream.params ?? null,
      stream.lagMs ?? null,
      stream.keyUnique === true,
    ]);
    let found = this.resolved.get(id);
    if (!found) {
      const declared = (r: ResolvedStream): ResolvedStream =>
        stream.keyUnique ? { ...r, keyUnique: true } : r;
      found =
        stream.query !== undefined
          ? Promise.resolve().then(() => {
              const r = declared(resolveQueryStream(this.name, stream, this.lagMs, this.sqlFamily));
              this.keyNotes.check(r);
              return r;
            })
          : this.run(() => resolveStream(this.db, this.dialect, this.name, stream, this.lagMs), true).then(
              (resolved) => {
                const r = declared(resolved);
                this.slowPages.check(r);
                this.keyNotes.check(r);
                return this.withFingerprint(r);
              },
            );
      // A failed check is not cached: the engineer may fix the table and retry in the same process.
      found.catch(() => this.resolved.delete(id));
      this.resolved.set(id, found);
    }
    return found;
  }

  /** Table streams select the dialect's in-database fingerprint with every page, where it has one. */
  private withFingerprint(s: ResolvedStream): ResolvedStream {
    const fp = this.dialect.rowFingerprint;
    if (!fp || s.query || s.columns.length === 0) return s;
    return { ...s, fingerprint: fp(this.db, s.columns, this.fingerprintPrefix) };
  }

  /**
   * One read inside the dialect's transaction that is read-only from its start and rolled back
   * (read-transaction.ts): nothing the query or a function it calls does can write.
   */
  private inRead<T>(read: (db: Knex) => PromiseLike<T>): Promise<T> {
    if (!this.dialect.readTransaction) return Promise.resolve(read(this.db));
    return this.dialect.readTransaction<T>(this.db, read);
  }

  /** A keyset page; a full one with every row level with its last (tied-rows.ts). */
  private async fetchPage(
    db: Knex,
    s: ResolvedStream,
    after: KeyPosition | null,
    limit: number,
  ): Promise<RawRow[]> {
    const raw = await this.fetchKeysetPage(db, s, after, limit);
    // A unique key has no ties: its index compares as the keyset predicate does.
    if (raw.length < limit || s.key.primaryKey || s.key.unique) return raw;
    const tied: RawRow[] = await tiedRows(
      db,
      this.dialect,
      s,
      this.positionOf(s, raw[raw.length - 1] as RawRow),
    );
    return withWholeTie(raw, tied, (r) => rowFingerprint('', r, Object.keys(r)));
  }

  private async fetchKeysetPage(
    db: Knex,
    s: ResolvedStream,
    after: KeyPosition | null,
    limit: number,
  ): Promise<RawRow[]> {
    const { dialect } = this;
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

  private toPage(
    s: ResolvedStream,
    raw: RawRow[],
    newest: ReadonlyMap<string, string | null>,
  ): { page: Page; position: KeyPosition } {
    const settled = this.toRows(s, raw, { newest, inCursorOrder: true });
    const { rows, fingerprints } = settled;
    const superseded = settled.superseded.size;
    if (superseded > 0) {
      this.logger().warn(
        { source: this.name, table: shownName(s.table), keyColumn: shownName(s.key.name), superseded },
        `source ${this.name}: ${superseded} rows of a page of stream \`${shownName(s.table)}\` left out: the source holds a newer row (by cursor \`${shownName(s.cursor?.name ?? '')}\`) of the same key in \`${shownName(s.key.name)}\`, read in place of them`,
      );
    }
    // Keyset pages hold only rows whose stored key is not NULL (keyset.ts): the last one's key
    // is a position.
    return this.positioned({ rows, fingerprints }, this.positionOf(s, raw[raw.length - 1] as RawRow));
  }

  /** The keyset position of a row read from a page. */
  private positionOf(s: ResolvedStream, last: RawRow): KeyPosition {
    // The checkpoint holds the raw, untrimmed key: it is bound back as a parameter, and a
    // padded CHAR key compared against its trimmed text would re-read the row.
    return { cursor: cursorTextOf(s, last), key: storedKeyOf(s, last) };
  }

  /**
   * Driver rows as source rows, keyed (row-keys.ts), with their fingerprints by key. Rows sharing a
   * key are settled (repeated-keys.ts) when `order` is given, with the newest cursor of the keys
   * the source holds more than once (key-cursors.ts): such rows are quarantined when current at
   * once, the older left out (counted in `superseded`). `inCursorOrder`: a keyset page in (cursor,
   * key) order; false, reconciliation's reads of whole keys in key order, settled as the run
   * settles them wherever `newest` names the key.
   */
  private toRows(
    s: ResolvedStream,
    raw: RawRow[],
    order?: { newest: ReadonlyMap<string, string | null>; inCursorOrder: boolean },
  ): { rows: SourceRow[]; fingerprints: Map<string, string>; superseded: ReadonlySet<number> } {
    const first = raw[0] as RawRow | undefined;
    if (!first) return { rows: [], fingerprints: new Map(), superseded: new Set() };
    if (s.query) this.checkQueryColumns(s, first);
    const columns = s.query
      ? Object.keys(first).filter((c) => !INTERNAL_ALIASES.has(c))
      : s.columns.map((c) => c.name);
    const types = s.query ? undefined : new Map(s.columns.map((c) => [c.name, c.type]));
    const trims = columns.map((c) => this.trims(c));
    const normalise = this.dialect.normalise;
    const keying: KeyingRow[] = raw.map((r) => {
      const values: SourceRow['values'] = {};
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i] as string;
        let value = r[column];
        if (normalise && value !== null && value !== undefined) value = normalise(value, types?.get(column));
        values[column] = normaliseValue(value, trims[i] as boolean);
      }
      const inDb = r[FINGERPRINT_ALIAS];
      const fingerprint =
        typeof inDb === 'string' ? inDb : rowFingerprint(this.fingerprintPrefix, r, columns);
      return { values, rawKey: r[s.key.name], fingerprint, problems: this.repair(values) };
    });
    const keys = assignKeys(this.name, s.key.name, keying);
    // Only rows with a stored key can be named in `newest` (a keyless row has none).
    const newestOf = order && order.newest.size > 0 ? order.newest : undefined;
    const superseded = order
      ? settleRepeatedKeys(
          this.name,
          s.key.name,
          keying.map((k, i) => {
            const r = raw[i] as RawRow;
            const stored = r[s.key.name];
            const newest =
              stored === null || stored === undefined ? undefined : newestOf?.get(storedKeyOf(s, r));
            return {
              key: keys[i] as string,
              cursor: cursorTextOf(s, r),
              fingerprint: k.fingerprint,
              problems: k.problems,
              ...(newest !== undefined ? { newest } : {}),
            };
          }),
          s.cursor !== undefined,
          order.inCursorOrder,
        )
      : new Set<number>();
    const fingerprints = new Map<string, string>();
    const rows: SourceRow[] = [];
    keying.forEach((k, i) => {
      if (superseded.has(i)) return;
      const row: SourceRow = { key: keys[i] as string, values: k.values };
      fingerprints.set(row.key, k.fingerprint);
      if (k.problems.length > 0) row.problems = k.problems;
      rows.push(row);
    });
    return { rows, fingerprints, superseded };
  }

  /** A page with its checkpoint, and the position inside it for the next query. */
  private positioned(
    page: Omit<Page, 'checkpoint'>,
    position: KeyPosition,
  ): { page: Page; position: KeyPosition } {
    return { page: { ...page, checkpoint: encodeResumePoint(position) }, position };
  }

  /**
   * The database rejects a query stream whose key or cursor it does not return before any row is
   * seen; one probe row then shows the columns the query does return, for a "did you mean".
   */
  private async explainQueryError(s: ResolvedStream, error: unknown): Promise<never> {
    if (s.query && isLicbridgeError(error) && error.code === ErrorCodes.SOURCE_SCHEMA) {
      const probe: RawRow[] = await this.run(() =>
        this.inRead((db) => fromStream(db, s).select('*').limit(1)),
      ).catch(() => []);
      if (probe[0]) this.checkQueryColumns(s, probe[0]);
    }
    throw error;
  }

  /** A query stream names its key and cursor; the first row shows whether they exist. */
  private checkQueryColumns(s: ResolvedStream, row: RawRow): void {
    const names = Object.keys(row).filter((c) => !INTERNAL_ALIASES.has(c));
    for (const [role, column] of [
      ['key', s.key.name],
      ['cursor', s.cursor?.name],
    ] as const) {
      if (column === undefined || column in row) continue;
      throw new LicbridgeError(
        ErrorCodes.SOURCE_SCHEMA,
        `source ${this.name}: ${role} column \`${shownName(column)}\` not returned by the query of stream \`${shownName(s.table)}\`: ${suggestion(column, names, 'columns')}`,
        { context: { source: this.name, table: shownName(s.table), columnName: shownName(column) } },
      );
    }
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

  /**
   * Runs a database call, mapping driver errors through the dialect; licbridge errors pass. A
   * `reconnect` call (a read, safe to repeat) is tried again on a fresh connection when the
   * connection was lost.
   */
  private async run<T>(fn: () => PromiseLike<T> | Promise<T>, reconnect = false): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.closed) {
        throw new LicbridgeError(ErrorCodes.USAGE, `source ${this.name}: connector is closed`, {
          context: { source: this.name },
        });
      }
      try {
        return await fn();
      } catch (error) {
        if (isLicbridgeError(error)) throw error;
        if (tlsFailureKind(error)) {
          const where = { connection: `source ${this.name}`, code: ErrorCodes.SOURCE_UNREACHABLE };
          throw (
            (await explainTlsFailure(
              error,
              { ...where, context: { source: this.name } },
              this.tlsEndpoint,
            )) ?? error
          );
        }
        const mapped = this.dialect.classifyError(error, this.name, this.user);
        const delay = RECONNECT_DELAYS_MS[attempt];
        const lost = mapped.code === ErrorCodes.SOURCE_UNREACHABLE && mapped.retryable;
        if (!reconnect || !lost || delay === undefined) throw mapped;
        await sleep(delay);
      }
    }
  }
}

/** Where a refused handshake of this source can be looked at again (kinds whose TLS starts in-protocol). */
function sqlTlsEndpoint(kind: string, config: SourceConfig): Parameters<typeof explainTlsFailure>[2] {
  const c = config.connection as
    | { host?: string; port?: string | number; tls?: { servername?: string } }
    | undefined;
  const spec = sourceKind(kind);
  if (!c?.host || !spec?.startTls || spec.defaultPort === undefined) return undefined;
  const port = c.port === undefined || c.port === '' ? spec.defaultPort : Number(c.port);
  return {
    host: c.host,
    port,
    startTls: spec.startTls,
    ...(c.tls?.servername ? { servername: c.tls.servername } : {}),
  };
}
