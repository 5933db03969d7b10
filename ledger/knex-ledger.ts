/**
 * The `Ledger` on knex: SQLite (embedded) and PostgreSQL (production) behind one interface.
 * Each group of methods lives in its own module; this class wires them to one database handle.
 */
import type { Checkpoint } from '../core/checkpoint.js';
import { licenseAudit, readAudit, verifyAudit } from './audit.js';
import type {
  AuditEntry,
  AuditQuery,
  AuditVerification,
  BucketDigest,
  CreatedVersion,
  LedgerLicense,
  LedgerLicenseAtTarget,
  LicenseAuditEntry,
  RepairVersionsInput,
  StoredReport,
} from './audit-types.js';
import * as backlog from './backlog.js';
import { commitPage } from './commit-page.js';
import type { StateEntry } from './connector-state.js';
import * as connectorState from './connector-state.js';
import { chunk, type Db } from './db.js';
import * as deadLetters from './dead-letters.js';
import * as deadlines from './deadlines.js';
import {
  type DeliveryOutcome,
  ensureDeliveries,
  getDeliveries,
  recordDeliveryAttempt,
  recordDeliveryOutcomes,
} from './deliveries.js';
import * as deliveryClaims from './delivery-claims.js';
import * as deliveryOrder from './delivery-order.js';
import type {
  CommitPageInput,
  CommitPageResult,
  DeadLetter,
  DeadLetterQuery,
  DeliveryPredecessor,
  FinishedRun,
  Ledger,
  OverdueDeliveries,
  PipelineBacklog,
  QuarantineReason,
  ResignSelection,
  RunProgress,
  SigningKeyRecord,
  StoredDelivery,
  StoredRun,
  StoredSignature,
  StoredVersion,
  VersionDeliveryState,
  VersionPageQuery,
} from './ledger.js';
import { type LicenseFileLedger, licenseFileLedger } from './license-files.js';
import * as lifecycle from './lifecycle.js';
import { migrateLatest } from './migrate.js';
import type {
  ObjectionQuery,
  OpenObjectionInput,
  ResolveObjectionInput,
  StoredObjection,
} from './objections.js';
import * as objections from './objections.js';
import { type PredecessorLookup, predecessorIdentifiers } from './predecessors.js';
import type { OpenQuarantineEntry, QuarantineRecord } from './quarantine-queries.js';
import * as quarantineQueries from './quarantine-queries.js';
import * as reconcile from './reconcile-store.js';
import { type ReminderStore, reminderStore } from './reminders.js';
import { toVersion, type VersionRow } from './rows.js';
import * as runs from './runs.js';
import { getSignatures, recordSignatures, unsignedVersionIds } from './signatures.js';
import * as signingKeys from './signing-keys.js';
import * as signingQueries from './signing-queries.js';
import type { DeliveryCount, QuarantineReasonScan, RunTotals, SignatureCount } from './status-queries.js';
import * as status from './status-queries.js';
import { withVersionContext } from './version-context.js';

export class KnexLedger implements Ledger {
  readonly #db: Db;
  readonly #schema: string | undefined;
  #closed = false;
  readonly reminders: ReminderStore;
  readonly licenseFiles: LicenseFileLedger;
  readonly #settled = new Map<string, runs.SettledPrefix>();

  constructor(db: Db, schema?: string) {
    this.#db = db;
    this.#schema = schema;
    this.reminders = reminderStore(db);
    this.licenseFiles = licenseFileLedger(db);
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

  startRun(input: {
    runId: string;
    pipeline: string;
    mode: 'incremental' | 'full';
    owner?: string;
  }): Promise<void> {
    return runs.startRun(this.#db, input);
  }

  finishRun(
    runId: string,
    outcome: { state: 'done' | 'failed' | 'abandoned'; error?: string },
  ): Promise<FinishedRun> {
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
        const rows: VersionRow[] = await withVersionContext(
          k('license_versions as v').select('v.*').whereIn('v.version_id', ids),
          'v',
        );
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

  ensureDeliveries(
    versionIds: readonly number[],
    target: string,
    lease?: { owner: string; leaseMs: number },
  ): Promise<StoredDelivery[]> {
    return ensureDeliveries(this.#db, versionIds, target, lease);
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
    // One settled prefix per run, seal and targets (runs.ts): a run's polls count only what is
    // still under way. Kept for the ledger's life; a run's entry is a few numbers.
    const key = JSON.stringify([runId, sealId, [...targets].sort()]);
    let settled = this.#settled.get(key);
    if (!settled) {
      settled = runs.emptyPrefix();
      this.#settled.set(key, settled);
    }
    return runs.runProgress(this.#db, runId, sealId, targets, settled);
  }

  quarantineFor(runId: string): Promise<{ sourceKey: string; reasons: QuarantineReason[] }[]> {
    return runs.quarantineFor(this.#db, runId);
  }

  deliveryPredecessors(versionIds: readonly number[], target: string): Promise<DeliveryPredecessor[]> {
    return deliveryOrder.deliveryPredecessors(this.#db, versionIds, target);
  }

  deliveryStates(versionIds: readonly number[], target: string): Promise<VersionDeliveryState[]> {
    return deliveryOrder.deliveryStates(this.#db, versionIds, target);
  }

  listDeadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]> {
    return deadLetters.listDeadLetters(this.#db, query);
  }

  replayDeadLetters(keys: readonly string[], note?: string): Promise<DeadLetter[]> {
    return deadLetters.replayDeadLetters(this.#db, keys, note);
  }

  discardDeadLetters(keys: readonly string[], note?: string): Promise<DeadLetter[]> {
    return deadLetters.discardDeadLetters(this.#db, keys, note);
  }

  claimDeliveries(keys: readonly string[], owner: string, leaseMs: number): Promise<string[]> {
    return deliveryClaims.claimDeliveries(this.#db, keys, owner, leaseMs);
  }

  releaseDeliveries(keys: readonly string[], owner: string): Promise<void> {
    return deliveryClaims.releaseDeliveries(this.#db, keys, owner);
  }

  deliveryCounts(): Promise<DeliveryCount[]> {
    return status.deliveryCounts(this.#db);
  }

  runTotals(): Promise<RunTotals[]> {
    return status.runTotals(this.#db);
  }

  signatureCounts(): Promise<SignatureCount[]> {
    return status.signatureCounts(this.#db);
  }

  awaitingSignature(pipeline: string, sealId: string): Promise<number> {
    return status.awaitingSignature(this.#db, pipeline, sealId);
  }

  quarantineReasonCounts(afterId: number): Promise<QuarantineReasonScan> {
    return status.quarantineReasonCounts(this.#db, afterId);
  }

  stateEntries(source: string, scope: string): Promise<StateEntry[]> {
    return connectorState.stateEntries(this.#db, source, scope);
  }

  putStateEntry(source: string, scope: string, key: string, value: string): Promise<void> {
    return connectorState.putStateEntry(this.#db, source, scope, key, value);
  }

  forgetState(source: string, scope?: string): Promise<number> {
    return connectorState.forgetState(this.#db, source, scope);
  }

  readAudit(query: AuditQuery): Promise<AuditEntry[]> {
    return readAudit(this.#db, query);
  }

  verifyAudit(options?: { pageSize?: number }): Promise<AuditVerification> {
    return verifyAudit(this.#db, options);
  }

  licenseAudit(licenseId: string): Promise<LicenseAuditEntry[] | undefined> {
    return licenseAudit(this.#db, licenseId);
  }

  ledgerBuckets(pipeline: string, buckets: number): Promise<BucketDigest[]> {
    return reconcile.ledgerBuckets(this.#db, pipeline, buckets);
  }

  ledgerRowsInBuckets(
    pipeline: string,
    buckets: number,
    wanted: readonly number[],
  ): Promise<LedgerLicense[]> {
    return reconcile.ledgerRowsInBuckets(this.#db, pipeline, buckets, wanted);
  }

  licensesAtTarget(
    pipeline: string,
    target: string,
    after: string,
    limit: number,
  ): Promise<LedgerLicenseAtTarget[]> {
    return reconcile.licensesAtTarget(this.#db, pipeline, target, after, limit);
  }

  licensesOfOtherPipelines(pipeline: string, licenseIds: readonly string[]): Promise<Set<string>> {
    return reconcile.licensesOfOtherPipelines(this.#db, pipeline, licenseIds);
  }

  licenseStatusCounts(pipeline: string): Promise<Record<string, number>> {
    return reconcile.licenseStatusCounts(this.#db, pipeline);
  }

  openQuarantineCount(pipeline: string): Promise<number> {
    return reconcile.openQuarantineCount(this.#db, pipeline);
  }

  pipelineLicenses(pipeline: string): Promise<LedgerLicense[]> {
    return reconcile.pipelineLicenses(this.#db, pipeline);
  }

  openQuarantineKeys(pipeline: string): Promise<string[]> {
    return reconcile.openQuarantineKeys(this.#db, pipeline);
  }

  appendRepairVersions(input: RepairVersionsInput): Promise<CreatedVersion[]> {
    return reconcile.appendRepairVersions(this.#db, input);
  }

  reopenDeliveries(keys: readonly string[], actor: string, reason: string): Promise<number> {
    return reconcile.reopenDeliveries(this.#db, keys, actor, reason);
  }

  saveReport(report: Omit<StoredReport, 'createdAt'>): Promise<void> {
    return reconcile.saveReport(this.#db, report);
  }

  getReports(query: { reportId?: string; pipeline?: string; limit?: number }): Promise<StoredReport[]> {
    return reconcile.getReports(this.#db, query);
  }

  // Batch signing and verification (ledger/signing-keys.ts, ledger/signing-queries.ts).
  registerSigningKey(key: SigningKeyRecord): Promise<void> {
    return signingKeys.registerSigningKey(this.#db, key);
  }

  signingKeys(sealIds?: readonly string[]): Promise<SigningKeyRecord[]> {
    return signingKeys.signingKeys(this.#db, sealIds);
  }

  unsignedVersionPage(options: {
    sealId: string;
    pipeline?: string;
    afterVersionId: number;
    limit: number;
  }): Promise<number[]> {
    return signingQueries.unsignedVersionPage(this.#db, options);
  }

  countUnsignedVersions(options: { sealId: string; pipeline?: string }): Promise<number> {
    return signingQueries.countUnsignedVersions(this.#db, options);
  }

  versionPage(query: VersionPageQuery): Promise<StoredVersion[]> {
    return signingQueries.versionPage(this.#db, query);
  }

  resignCandidates(selection: ResignSelection): Promise<number[]> {
    return signingQueries.resignCandidates(this.#db, selection);
  }

  countResignCandidates(selection: Omit<ResignSelection, 'afterVersionId' | 'limit'>): Promise<number> {
    return signingQueries.countResignCandidates(this.#db, selection);
  }

  // Runs that finish (ledger/runs.ts, ledger/backlog.ts).
  markExtracted(runId: string): Promise<void> {
    return runs.markExtracted(this.#db, runId);
  }

  completeRun(runId: string, sealId: string, targets: readonly string[]): Promise<boolean> {
    return runs.completeRun(this.#db, runId, sealId, targets);
  }

  heartbeatRuns(runIds: readonly string[], owner: string): Promise<void> {
    return runs.heartbeatRuns(this.#db, runIds, owner);
  }

  runningRuns(): Promise<StoredRun[]> {
    return runs.runningRuns(this.#db);
  }

  pipelineBacklog(pipeline: string, sealId: string, targets: readonly string[]): Promise<PipelineBacklog> {
    return backlog.pipelineBacklog(this.#db, pipeline, sealId, targets);
  }

  undeliveredVersionIds(options: {
    pipeline: string;
    sealId: string;
    target: string;
    limit: number;
  }): Promise<number[]> {
    return backlog.undeliveredVersionIds(this.#db, options);
  }

  overdueDeliveries(target: string, before: Date): Promise<OverdueDeliveries[]> {
    return backlog.overdueDeliveries(this.#db, target, before);
  }

  openQuarantine(query: { pipeline?: string }): Promise<OpenQuarantineEntry[]> {
    return quarantineQueries.openQuarantine(this.#db, query);
  }

  quarantineHistory(query: { sourceKey: string; pipeline?: string }): Promise<QuarantineRecord[]> {
    return quarantineQueries.quarantineHistory(this.#db, query);
  }

  overdueChanges(query: {
    pipeline: string;
    target: string;
    createdBefore: Date;
  }): Promise<deadlines.OverdueChanges> {
    return deadlines.overdueChanges(this.#db, query);
  }

  openObjection(input: OpenObjectionInput): Promise<StoredObjection> {
    return objections.openObjection(this.#db, input);
  }

  resolveObjection(input: ResolveObjectionInput): Promise<StoredObjection> {
    return objections.resolveObjection(this.#db, input);
  }

  listObjections(query?: ObjectionQuery): Promise<StoredObjection[]> {
    return objections.listObjections(this.#db, query);
  }

  openObjectionsBefore(before: Date): Promise<{ count: number; oldest: Date | null }> {
    return objections.openObjectionsBefore(this.#db, before);
  }

  lifecycleWatermark(pipeline: string): Promise<lifecycle.LifecycleWatermark | null> {
    return lifecycle.lifecycleWatermark(this.#db, pipeline);
  }

  beginLifecycleTick(input: { pipeline: string; day: string; runId: string; owner?: string }): Promise<void> {
    return lifecycle.beginLifecycleTick(this.#db, input);
  }

  expireDue(input: lifecycle.ExpireDueInput): Promise<CreatedVersion[]> {
    return lifecycle.expireDuePage(this.#db, input);
  }

  finishLifecycleTick(input: {
    pipeline: string;
    day: string;
    runId: string;
    expired: number;
  }): Promise<void> {
    return lifecycle.finishLifecycleTick(this.#db, input);
  }

  countDueExpiries(pipeline: string, today: string): Promise<number> {
    return lifecycle.countDue(this.#db, pipeline, today);
  }

  predecessorIdentifiers(
    pipeline: string,
    refs: readonly PredecessorLookup[],
    ambiguous?: Map<string, string[]>,
  ): Promise<Map<string, string>> {
    return predecessorIdentifiers(this.#db, pipeline, refs, ambiguous);
  }
}
