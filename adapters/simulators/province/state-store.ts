/**
 * What the simulated province platform holds: one entry per delivery key, the latest version per
 * license, the first answer to each `Idempotency-Key`, and the counters `/_sim/stats` reports —
 * in a SQLite database (state-db.ts), in memory unless a state file is given, so a simulator
 * restarted between two demo runs still recognises keys it has already accepted. Writes collect
 * in one transaction that `save()` commits: a batch costs the rows it changed (in memory, nothing
 * is committed; see `save()`).
 */
import type Database from 'better-sqlite3';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { parseJsonText } from '../../../core/json-text.js';
import { type NonceStore, SqliteNonces } from '../nonce-store.js';
import type { JsonReply } from './batch-handler.js';
import { BatchUndo } from './batch-undo.js';
import type { ReceivedFileInfo } from './file-check.js';
import {
  entryColumns,
  openStateDatabase,
  openStateReadOnly,
  prepareStatements,
  type StateStatements,
} from './state-db.js';

export { readSimulatorState, type StateSnapshot } from './state-db.js';

export interface SimulatorStats {
  /** Items received, every one counted once: `received = accepted + rejected + duplicates`. */
  received: number;
  /** Items accepted for the first time (distinct keys). */
  accepted: number;
  rejected: number;
  /** Items whose key had already been accepted. */
  duplicates: number;
  /** New keys carrying a lower version of a license than one already accepted. */
  outOfOrder: number;
  /** HTTP requests to the platform API (the `/_sim/*` control endpoints are not counted). */
  requests: number;
  /** Requests answered with 503 or 429, or held open, by fault injection. */
  faultsInjected: number;
  /** Requests answered 429 by fault injection. */
  throttled?: number;
  /** Batches answered with the first answer to their `Idempotency-Key` (sent before with another body). */
  idempotentReplays?: number;
  /** License files accepted with their items (checked: SM3 as stated, an OFD package). */
  files?: number;
}

export interface StoredLicense {
  key: string;
  licenseId: string;
  version: number;
  target: string;
  /** Operation code as received (`01` issue, `09` change, …). */
  operation: string;
  platformId: string;
  /** The platform fields exactly as received (`zzbs`, `zzbh`, `czztdm`, …). */
  license: Record<string, unknown>;
  signature: Record<string, unknown>;
  /** ISO time of first acceptance, from the simulator's clock. */
  acceptedAt: string;
  /** The license file that came with the item (file-check.ts); its bytes are kept in memory. */
  file?: ReceivedFileInfo;
}

export interface LicenseHolding {
  licenseId: string;
  platformId: string;
  /** Highest version accepted; the platform's current view of the license. */
  latestVersion: number;
  latestKey: string;
}

export function emptyStats(): SimulatorStats {
  return {
    received: 0,
    accepted: 0,
    rejected: 0,
    duplicates: 0,
    outOfOrder: 0,
    requests: 0,
    faultsInjected: 0,
  };
}

/** `Idempotency-Key`s remembered; the oldest is forgotten first (gateways keep keys for a day or so). */
export const MAX_REPLY_KEYS = 10_000;

interface HoldingRow {
  license_id: string;
  platform_id: string;
  latest_version: number;
  latest_key: string;
}

// parseJsonText: a stored text that does not parse fails without quoting the license it holds.
const parse = (body: string): StoredLicense => parseJsonText(body) as StoredLicense;

export class StateStore {
  readonly stats: SimulatorStats = emptyStats();
  private db: Database.Database | undefined;
  private sql: StateStatements | undefined;
  private readonly lists = new Map<string, Database.Statement>();
  private nextPlatformSeq = 1;
  private closed = false;
  /**
   * The counters and the next platform id to put back when a batch fails: as the batch found them
   * (`markBatch`). A failed batch's rows are rolled back; kept in memory, its counts and ids were
   * written by the next save that succeeded.
   */
  private restorePoint: { stats: SimulatorStats; nextPlatformSeq: number } | undefined;
  /** Whether the batch being applied has written (`writing`). */
  private batchOpen = false;
  /** In memory, how the batch being applied is taken back (batch-undo.ts); on file, ROLLBACK. */
  private undo: BatchUndo | undefined;

  constructor(private readonly file?: string) {}

  /** Opens (creating or converting) the state file, or an in-memory database without one. */
  async load(): Promise<void> {
    if (this.db) return;
    const db = await openStateDatabase(this.file);
    const meta = new Map(
      (db.prepare('SELECT name, value FROM meta').all() as { name: string; value: string }[]).map((r) => [
        r.name,
        r.value,
      ]),
    );
    Object.assign(this.stats, emptyStats(), parseJsonText(meta.get('stats') ?? '{}'));
    this.nextPlatformSeq = Number(meta.get('nextPlatformSeq') ?? 1);
    this.db = db;
    this.sql = prepareStatements(db);
    if (this.file === undefined) this.undo = new BatchUndo(db);
    this.markBatch();
  }

  /**
   * Marks where a batch starts changing the counters and ids (before it reads its first item): a
   * batch that fails puts them back to here. Counts of batches answered since the last save with
   * nothing to save (duplicates, refusals) stay, as do requests counted before the mark.
   */
  private markBatch(): void {
    this.restorePoint = { stats: { ...this.stats }, nextPlatformSeq: this.nextPlatformSeq };
    this.undo?.clear();
  }

  /** The counters and the next platform id as the restore point holds them (`stats` kept as the same object). */
  private restore(): void {
    const point = this.restorePoint;
    if (!point) return;
    const stats = this.stats as unknown as Record<string, unknown>;
    for (const k of Object.keys(stats)) if (!Object.hasOwn(point.stats, k)) delete stats[k];
    Object.assign(this.stats, point.stats);
    this.nextPlatformSeq = point.nextPlatformSeq;
  }

  private get q(): StateStatements {
    if (!this.sql && this.closed && this.file) {
      // Reading what a stopped simulator held (tests do): the file again, read-only.
      this.db = openStateReadOnly(this.file);
      this.sql = prepareStatements(this.db);
    }
    if (!this.sql) throw new LicbridgeError(ErrorCodes.INTERNAL, 'simulator: state store used before load()');
    return this.sql;
  }

  /**
   * Starts the transaction the next `save()` commits, if none is open. On file it holds the batch
   * alone (each batch is committed), so ROLLBACK undoes the batch. In memory the transaction is
   * never committed (see `save()`): undoing a batch must stop where the batch began, not where the
   * process did, and the batch's own undo steps do (batch-undo.ts).
   */
  private writing(): void {
    if (!this.db) return;
    if (!this.db.inTransaction) this.db.exec('BEGIN');
    this.batchOpen = true;
  }

  /**
   * Applies one batch all or nothing, saved before this resolves. A write refused part way (a full
   * disk) or a save that fails leaves nothing of it: its rows, counters and platform ids are put
   * back, `undo` puts back what the caller keeps beside the store, and the error is thrown for a
   * 5xx. Writes refused part way used to stay in the open transaction, shown at once and committed
   * by the next batch's save: the client's retry of a batch it was told had failed then found
   * "duplicates" it had never been answered for.
   */
  async apply<T>(change: () => { reply: T; changed: boolean }, undo?: () => void): Promise<T> {
    this.markBatch();
    try {
      const { reply, changed } = change();
      if (changed) await this.save();
      return reply;
    } catch (e) {
      this.undoBatch();
      undo?.();
      throw e;
    }
  }

  /** Puts the rows, counters and ids back to where the batch began (`markBatch`). */
  private undoBatch(): void {
    const db = this.db;
    // SQLite may have rolled the whole transaction back itself (SQLITE_FULL, SQLITE_IOERR may):
    // on file, that is the batch; in memory, everything held since the start, past mending.
    if (db?.inTransaction && this.batchOpen) {
      // On file nothing but the batch is uncommitted: all of it goes, and no transaction is left
      // holding a read snapshot until the next batch. In memory, its writes taken back, last first.
      if (this.undo) this.undo.run();
      else db.exec('ROLLBACK');
    }
    this.undo?.clear();
    this.batchOpen = false;
    this.restore();
  }

  /** The accepted entry for a key, if any. */
  get(key: string): StoredLicense | undefined {
    const body = this.q.entry.get(key) as string | undefined;
    return body === undefined ? undefined : parse(body);
  }

  /**
   * For a key accepted before, what a duplicate is answered with: the platform id it was given,
   * exactly as `get(key)?.platformId` reads it, without parsing the whole entry (~1 KB) for it.
   * SQLite hands the id over as JSON text, parsed here, so an id that is not a plain string reads as
   * the full parse reads it. Where SQLite cannot answer, the full parse does: an entry nested past
   * SQLite's JSON depth limit (1000; item-check keeps a license's unknown fields as received) is
   * "malformed JSON" to it, and an entry with no platform id (edited by hand) reads NULL, answered
   * as before without the field.
   */
  acceptedAs(key: string): Pick<StoredLicense, 'platformId'> | undefined {
    let row: { platformId: string | null } | undefined;
    try {
      row = this.q.platformId.get(key) as { platformId: string | null } | undefined;
    } catch {
      return this.get(key);
    }
    if (row === undefined) return undefined;
    if (row.platformId === null) return this.get(key);
    return { platformId: parseJsonText(row.platformId) as string };
  }

  holding(licenseId: string): LicenseHolding | undefined {
    const row = this.q.holding.get(licenseId) as HoldingRow | undefined;
    return row
      ? {
          licenseId: row.license_id,
          platformId: row.platform_id,
          latestVersion: row.latest_version,
          latestKey: row.latest_key,
        }
      : undefined;
  }

  /** The platform keeps one id per license across its versions: `held`'s, else a new one. */
  platformIdFor(licenseId: string, held: LicenseHolding | null = this.holding(licenseId) ?? null): string {
    const known = held?.platformId;
    if (known) return known;
    const id = `PV${String(this.nextPlatformSeq).padStart(12, '0')}`;
    this.nextPlatformSeq += 1;
    return id;
  }

  /**
   * Stores a newly accepted entry; returns whether it arrived after a higher version (out of order).
   * `held` is the license's holding when the caller has just read it (null: none), saving a lookup.
   */
  accept(entry: StoredLicense, held?: LicenseHolding | null): boolean {
    const before = held === undefined ? this.holding(entry.licenseId) : (held ?? undefined);
    const outOfOrder = before !== undefined && entry.version < before.latestVersion;
    this.writing();
    this.q.insert.run(...entryColumns(entry));
    this.undo?.entryAdded(entry.key);
    // A late, lower version is kept as an entry but never replaces the current view of the license.
    this.q.hold.run(entry.licenseId, entry.platformId, entry.version, entry.key);
    this.undo?.holdingSet(entry.licenseId, before);
    return outOfOrder;
  }

  /** The nonces seen by the platform's authentication, kept in this store (see nonce-store.ts). */
  nonces(): NonceStore {
    if (!this.db) throw new LicbridgeError(ErrorCodes.INTERNAL, 'simulator: state store used before load()');
    return new SqliteNonces(this.db);
  }

  /** Every entry, in acceptance order. Loads them all: for tests, not for large states. */
  all(): StoredLicense[] {
    return (this.q.all.all() as string[]).map(parse);
  }

  versionsOf(licenseId: string): StoredLicense[] {
    return (this.q.versions.all(licenseId) as string[]).map(parse);
  }

  /** Entries matching every filter given (`identifier` is `zzbs`, `number` is `zzbh`), in acceptance order. */
  find(filter: {
    identifier?: string | null;
    number?: string | null;
    licenseId?: string | null;
  }): StoredLicense[] {
    const where: string[] = [];
    const args: string[] = [];
    for (const [value, column] of [
      [filter.identifier, 'identifier'],
      [filter.number, 'number'],
      [filter.licenseId, 'license_id'],
    ] as const) {
      if (value === null || value === undefined) continue;
      where.push(`${column} = ?`);
      args.push(value);
    }
    const sql = `SELECT body FROM entries${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    let statement = this.lists.get(sql);
    if (!statement) {
      statement = this.q.all.database.prepare(sql).pluck();
      this.lists.set(sql, statement);
    }
    return (statement.all(...args) as string[]).map(parse);
  }

  /** The current entry (highest version) of each license with an id after `after`, in id order. */
  currentAfter(after: string, limit: number): StoredLicense[] {
    return (this.q.current.all(after, limit) as string[]).map(parse);
  }

  /** The first answer given to an `Idempotency-Key`, with the hash of the body it answered. */
  replyFor(key: string): { bodyHash: string; reply: JsonReply } | undefined {
    const row = this.q.reply.get(key) as { body_hash: string; reply: string } | undefined;
    return row ? { bodyHash: row.body_hash, reply: parseJsonText(row.reply) as JsonReply } : undefined;
  }

  /** Keeps the first answer to a key (a later one never replaces it); saved with the next `save()`. */
  keepReply(key: string, bodyHash: string, reply: JsonReply): void {
    this.writing();
    const { changes, lastInsertRowid } = this.q.keepReply.run(key, bodyHash, JSON.stringify(reply));
    if (changes === 0) return;
    const seq = Number(lastInsertRowid);
    this.undo?.replyAdded(seq);
    // The answer this one pushes out (once MAX_REPLY_KEYS are kept) comes back with it.
    this.undo?.repliesForgotten(seq - MAX_REPLY_KEYS);
    this.q.forgetReplies.run(seq - MAX_REPLY_KEYS);
  }

  /**
   * Commits what changed since the last save, counters included; resolves once it is committed.
   * Synchronous underneath, so saves can never overtake one another. In memory (no state file), a
   * no-op: the writes are already what every read sees.
   */
  save(): Promise<void> {
    if (!this.db || this.closed) return Promise.resolve();
    try {
      // In memory nothing outlives the process, so there is nothing to commit to: the writes stay
      // in the one open transaction, which every read on this connection sees; only the batch's
      // undo steps are dropped (markBatch). Committing an in-memory database walks its whole page
      // cache (SQLite's pager_end_transaction → pcache1Truncate), so a commit per batch cost what
      // the platform held: ~40 % of the simulator's CPU at 100,000 licenses (bench/pipeline.ts --profile-dir).
      if (this.file !== undefined) {
        this.writing();
        this.q.meta.run('nextPlatformSeq', String(this.nextPlatformSeq));
        this.q.meta.run('stats', JSON.stringify(this.stats));
        this.db.exec('COMMIT');
      }
      this.batchOpen = false;
      this.markBatch();
      return Promise.resolve();
    } catch (e) {
      // The rows are gone: so are the batch's counts and the ids it gave.
      this.undoBatch();
      return Promise.reject(
        new LicbridgeError(ErrorCodes.INTERNAL, `simulator: cannot save state to ${this.file ?? 'memory'}`, {
          cause: e,
        }),
      );
    }
  }

  /** Resolves when every save started so far has finished (saves finish before they return). */
  flushed(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Saves and closes a file's database (its WAL folded back into the file). A closed store opens
   * the file again when read, so a stopped simulator's `licenses()` still answers.
   */
  async close(): Promise<void> {
    if (!this.db || !this.file || this.closed) return;
    await this.save();
    // Back to a rollback journal: the file alone is the whole state, readable read-only.
    this.db.pragma('journal_mode = DELETE');
    this.db.close();
    this.db = undefined;
    this.sql = undefined;
    this.lists.clear();
    this.closed = true;
  }
}
