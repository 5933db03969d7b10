/**
 * How the simulated platform takes back a batch that failed part way when its state is in memory
 * (state-store.ts `apply`): each write of the batch noted as it is made, and undone last first.
 *
 * Not a savepoint: while one is open, SQLite copies every page a write touches into its journal
 * first, and a batch's items land on pages all over the b-trees (random keys, four indexes). At
 * 64 KB a page that was ~0.3 MB copied per entry once the platform held 20,000 licenses, most of
 * the simulator's CPU, and it grew with what the platform held. On file each batch is a
 * transaction of its own, and ROLLBACK takes it back.
 */
import type Database from 'better-sqlite3';
import type { LicenseHolding } from './state-store.js';

type ReplyRow = [seq: number, key: string, bodyHash: string, reply: string];

function prepare(db: Database.Database) {
  return {
    dropEntry: db.prepare('DELETE FROM entries WHERE key = ?'),
    dropHolding: db.prepare('DELETE FROM holdings WHERE license_id = ?'),
    putHolding: db.prepare(
      'INSERT OR REPLACE INTO holdings (license_id, platform_id, latest_version, latest_key) VALUES (?, ?, ?, ?)',
    ),
    dropReply: db.prepare('DELETE FROM replies WHERE seq = ?'),
    repliesUpTo: db.prepare('SELECT seq, key, body_hash, reply FROM replies WHERE seq <= ?').raw(),
    putReply: db.prepare('INSERT INTO replies (seq, key, body_hash, reply) VALUES (?, ?, ?, ?)'),
  };
}

export class BatchUndo {
  private readonly sql: ReturnType<typeof prepare>;
  private readonly steps: Array<() => void> = [];

  constructor(db: Database.Database) {
    this.sql = prepare(db);
  }

  /** The batch starts, or is kept: nothing of it is to be taken back. */
  clear(): void {
    this.steps.length = 0;
  }

  /** Takes every write noted since `clear` back, the last first. */
  run(): void {
    for (let i = this.steps.length - 1; i >= 0; i--) this.steps[i]?.();
    this.steps.length = 0;
  }

  /** An entry was inserted under `key`. */
  entryAdded(key: string): void {
    this.steps.push(() => this.sql.dropEntry.run(key));
  }

  /** The holding of `licenseId` was written; `before` is what it held (undefined: none). */
  holdingSet(licenseId: string, before: LicenseHolding | undefined): void {
    const { dropHolding, putHolding } = this.sql;
    this.steps.push(
      before === undefined
        ? () => dropHolding.run(licenseId)
        : () => putHolding.run(before.licenseId, before.platformId, before.latestVersion, before.latestKey),
    );
  }

  /** A reply was kept as row `seq`. */
  replyAdded(seq: number): void {
    this.steps.push(() => this.sql.dropReply.run(seq));
  }

  /** The replies up to row `seq` are about to be deleted: noted, to be put back as they were. */
  repliesForgotten(seq: number): void {
    const { repliesUpTo, putReply } = this.sql;
    for (const row of repliesUpTo.all(seq) as ReplyRow[]) this.steps.push(() => putReply.run(...row));
  }
}
