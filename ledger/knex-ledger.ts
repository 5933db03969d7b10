/**
 * The `Ledger` on knex: SQLite (embedded) and PostgreSQL (production) behind one interface.
 * Each group of methods lives in its own module; this class wires them to one database handle.
 */
import type { Checkpoint } from '../connectors/source.js';
import { commitPage } from './commit-page.js';
import { chunk, type Db } from './db.js';
import {
  type DeliveryOutcome,
  ensureDeliveries,
  getDeliveries,
  recordDeliveryAttempt,
  recordDeliveryOutcomes,
} from './deliveries.js';
import type {
  CommitPageInput,
  CommitPageResult,
  Ledger,
  QuarantineReason,
  RunProgress,
  StoredDelivery,
  StoredRun,
  StoredSignature,
  StoredVersion,
} from './ledger.js';
import { migrateLatest } from './migrate.js';
import { toVersion, type VersionRow } from './rows.js';
import * as runs from './runs.js';
import { getSignatures, recordSignatures, unsignedVersionIds } from './signatures.js';

export class KnexLedger implements Ledger {
  readonly #db: Db;
  readonly #schema: string | undefined;
  #closed = false;

  constructor(db: Db, schema?: string) {
    this.#db = db;
    this.#schema = schema;
  }

  async migrate(): Promise<void> {
    const db = this.#db;
    // Under the write lock: two ledgers of one process on one SQLite file migrate one after the other.
    await db.exclusive('migrate', () =>
      migrateLatest(db.knex, { log: db.log, ...(this.#schema ? { schema: this.#schema } : {}) }),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.knex.destroy();
  }

  startRun(input: { runId: string; pipeline: string; mode: 'incremental' | 'full' }): Promise<void> {
    return runs.startRun(this.#db, input);
  }

  finishRun(runId: string, outcome: { state: 'done' | 'failed'; error?: string }): Promise<StoredRun> {
    return runs.finishRun(this.#db, runId, outcome);
  }

  getRun(runId: string): Promise<StoredRun | null> {
    return runs.getRun(this.#db, runId);
  }

  lastRun(pipeline: string): Promise<StoredRun | null> {
    return runs.lastRun(this.#db, pipeline);
  }

  getCheckpoint(pipeline: string): Promise<Checkpoint | null> {
    return runs.getCheckpoint(this.#db, pipeline);
  }

  resetCheckpoint(pipeline: string): Promise<void> {
    return runs.resetCheckpoint(this.#db, pipeline);
  }

  commitPage(input: CommitPageInput): Promise<CommitPageResult> {
    return commitPage(this.#db, input);
  }

  getVersions(versionIds: readonly number[]): Promise<StoredVersion[]> {
    const db = this.#db;
    return db.read('getVersions', async (k) => {
      const out: StoredVersion[] = [];
      for (const ids of chunk([...new Set(versionIds)], db.maxParams)) {
        const rows: VersionRow[] = await k('license_versions').select('*').whereIn('version_id', ids);
        out.push(...rows.map(toVersion));
      }
      return out.sort((a, b) => a.versionId - b.versionId);
    });
  }

  runVersionIds(runId: string): Promise<number[]> {
    return runs.runVersionIds(this.#db, runId);
  }

  unsignedVersionIds(options: { sealId: string; pipeline?: string; limit?: number }): Promise<number[]> {
    return unsignedVersionIds(this.#db, options);
  }

  recordSignatures(signatures: readonly StoredSignature[]): Promise<number> {
    return recordSignatures(this.#db, signatures);
  }

  getSignatures(versionIds: readonly number[]): Promise<StoredSignature[]> {
    return getSignatures(this.#db, versionIds);
  }

  ensureDeliveries(versionIds: readonly number[], target: string): Promise<StoredDelivery[]> {
    return ensureDeliveries(this.#db, versionIds, target);
  }

  getDeliveries(keys: readonly string[]): Promise<StoredDelivery[]> {
    return getDeliveries(this.#db, keys);
  }

  recordDeliveryOutcomes(outcomes: readonly DeliveryOutcome[]): Promise<void> {
    return recordDeliveryOutcomes(this.#db, outcomes);
  }

  recordDeliveryAttempt(keys: readonly string[], error: string): Promise<void> {
    return recordDeliveryAttempt(this.#db, keys, error);
  }

  runProgress(runId: string, sealId: string, targets: readonly string[]): Promise<RunProgress> {
    return runs.runProgress(this.#db, runId, sealId, targets);
  }

  quarantineFor(runId: string): Promise<{ sourceKey: string; reasons: QuarantineReason[] }[]> {
    return runs.quarantineFor(this.#db, runId);
  }
}
