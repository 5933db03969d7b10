/**
 * The `Ledger` on knex: SQLite (embedded) and PostgreSQL (production) behind one interface.
 * Each group of methods lives in its own module; this class wires them to one database handle,
 * port by port in the order `Ledger` (ledger/ledger.ts) names them. The reconciliation port's
 * methods (ledger/reconcile-ledger.ts) and the stores it hands out whole (ledger/stores.ts) come
 * through the classes it extends.
 */
import type { Checkpoint } from '../core/checkpoint.js';
import { DEFAULT_TIME_ZONE } from '../core/local-date.js';
import * as audit from './audit.js';
import type { AttemptFailure } from './audit-attempts.js';
import * as auditHead from './audit-head.js';
import type * as auditTypes from './audit-types.js';
import * as backlog from './backlog.js';
import { commitPage } from './commit-page.js';
import * as connectorState from './connector-state.js';
import type { Db } from './db.js';
import * as deadLetters from './dead-letters.js';
import { deadSuccessors } from './dead-successors.js';
import * as deadlines from './deadlines.js';
import * as deliveries from './deliveries.js';
import * as deliveryChecks from './delivery-checks.js';
import * as deliveryClaims from './delivery-claims.js';
import * as deliveryOrder from './delivery-order.js';
import * as deliveryOutcomes from './delivery-outcomes.js';
import { stopReclaiming } from './delivery-vacuum.js';
import type * as L from './ledger.js';
import * as lifecycle from './lifecycle.js';
import { migrateLatest } from './migrate.js';
import * as objections from './objections.js';
import { type PredecessorLookup, predecessorIdentifiers } from './predecessors.js';
import * as quarantineQueries from './quarantine-queries.js';
import * as quarantineCounts from './quarantine-reason-counts.js';
import * as quarantineResolve from './quarantine-resolve.js';
import { ReconcileLedger } from './reconcile-ledger.js';
import * as runProgress from './run-progress.js';
import * as runs from './runs.js';
import { SettledPrefixes } from './settled-prefixes.js';
import * as signatures from './signatures.js';
import * as signingKeys from './signing-keys.js';
import * as signingQueries from './signing-queries.js';
import { moveStateEntry } from './state-guard.js';
import * as status from './status-queries.js';
import {
  type QuarantinedStoredText,
  quarantineStageStoredText,
  type StageStoredTextInput,
} from './stored-text-quarantine.js';
import * as versions from './versions.js';

export class KnexLedger extends ReconcileLedger implements L.Ledger {
  readonly #db: Db;
  readonly #schema: string | undefined;
  readonly #timeZone: string;
  #closed = false;
  readonly #settled = new SettledPrefixes();

  /** `timeZone`: the zone of the day a page committed without its mapping day is judged on (commit-page.ts). */
  constructor(db: Db, schema?: string, timeZone: string = DEFAULT_TIME_ZONE) {
    super(db);
    this.#db = db;
    this.#schema = schema;
    this.#timeZone = timeZone;
  }

  get keysHoldNul(): boolean {
    return this.#db.dialect !== 'postgres';
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
    await stopReclaiming(this.#db);
    await this.#db.knex.destroy();
  }

  // RunLedger (ledger/runs.ts, ledger/run-progress.ts, ledger/backlog.ts).
  startRun(input: L.StartRunInput): Promise<void> {
    return runs.startRun(this.#db, input);
  }

  finishRun(runId: string, outcome: L.RunOutcome): Promise<L.FinishedRun> {
    return runs.finishRun(this.#db, runId, outcome);
  }

  getRun(runId: string): Promise<L.StoredRun | null> {
    return runs.getRun(this.#db, runId);
  }

  lastRun(pipeline: string): Promise<L.StoredRun | null> {
    return runs.lastRun(this.#db, pipeline);
  }

  getCheckpoint(pipeline: string): Promise<Checkpoint | null> {
    return runs.getCheckpoint(this.#db, pipeline);
  }

  resetCheckpoint(pipeline: string): Promise<void> {
    return runs.resetCheckpoint(this.#db, pipeline);
  }

  markExtracted(runId: string): Promise<void> {
    return runs.markExtracted(this.#db, runId);
  }

  completeRun(runId: string, sealId: string, targets: readonly string[]): Promise<boolean> {
    return runs.completeRun(this.#db, runId, sealId, targets);
  }

  heartbeatRuns(runIds: readonly string[], owner: string): Promise<void> {
    return runs.heartbeatRuns(this.#db, runIds, owner);
  }

  disownRuns(runIds: readonly string[], owner: string): Promise<void> {
    return runs.disownRuns(this.#db, runIds, owner);
  }

  runningRuns(): Promise<L.StoredRun[]> {
    return runs.runningRuns(this.#db);
  }

  pipelineBacklog(pipeline: string, sealId: string, targets: readonly string[]): Promise<L.PipelineBacklog> {
    return backlog.pipelineBacklog(this.#db, pipeline, sealId, targets);
  }

  runProgress(runId: string, sealId: string, targets: readonly string[]): Promise<L.RunProgress> {
    return runProgress.runProgress(
      this.#db,
      runId,
      sealId,
      targets,
      this.#settled.of(runId, sealId, targets),
    );
  }

  quarantineFor(runId: string): Promise<{ sourceKey: string; reasons: L.QuarantineReason[] }[]> {
    return runs.quarantineFor(this.#db, runId);
  }

  // VersionLedger (ledger/commit-page.ts, ledger/versions.ts, ledger/predecessors.ts).
  commitPage(input: L.CommitPageInput): Promise<L.CommitPageResult> {
    return commitPage(this.#db, input, this.#timeZone);
  }

  getVersions(versionIds: readonly number[]): Promise<L.StoredVersion[]> {
    return versions.getVersions(this.#db, versionIds);
  }
  quarantineStoredText(input: StageStoredTextInput): Promise<QuarantinedStoredText[]> {
    return quarantineStageStoredText(this.#db, input);
  }

  runVersionIds(runId: string): Promise<number[]> {
    return runs.runVersionIds(this.#db, runId);
  }

  versionPage(query: L.VersionPageQuery): Promise<L.StoredVersion[]> {
    return signingQueries.versionPage(this.#db, query);
  }

  predecessorIdentifiers(
    pipeline: string,
    refs: readonly PredecessorLookup[],
    ambiguous?: Map<string, string[]>,
  ): Promise<Map<string, string>> {
    return predecessorIdentifiers(this.#db, pipeline, refs, ambiguous);
  }

  // SignatureLedger (ledger/signatures.ts, signing-keys.ts, signing-queries.ts).
  unsignedVersionIds(options: { sealId: string; pipeline?: string; limit?: number }): Promise<number[]> {
    return signatures.unsignedVersionIds(this.#db, options);
  }

  recordSignatures(records: readonly L.StoredSignature[]): Promise<number> {
    return signatures.recordSignatures(this.#db, records);
  }

  getSignatures(versionIds: readonly number[]): Promise<L.StoredSignature[]> {
    return signatures.getSignatures(this.#db, versionIds);
  }

  registerSigningKey(key: L.SigningKeyRecord): Promise<void> {
    return signingKeys.registerSigningKey(this.#db, key);
  }

  signingKeys(sealIds?: readonly string[]): Promise<L.SigningKeyRecord[]> {
    return signingKeys.signingKeys(this.#db, sealIds);
  }

  unsignedVersionPage(options: L.UnsignedVersionPageQuery): Promise<number[]> {
    return signingQueries.unsignedVersionPage(this.#db, options);
  }

  countUnsignedVersions(options: { sealId: string; pipeline?: string }): Promise<number> {
    return signingQueries.countUnsignedVersions(this.#db, options);
  }

  resignCandidates(selection: L.ResignSelection): Promise<number[]> {
    return signingQueries.resignCandidates(this.#db, selection);
  }

  countResignCandidates(selection: Omit<L.ResignSelection, 'afterVersionId' | 'limit'>): Promise<number> {
    return signingQueries.countResignCandidates(this.#db, selection);
  }

  // DeliveryLedger (ledger/deliveries.ts, delivery-outcomes.ts, delivery-order.ts,
  // delivery-claims.ts, dead-letters.ts, backlog.ts).
  ensureDeliveries(
    versionIds: readonly number[],
    target: string,
    lease?: deliveries.NewDeliveryLease,
  ): Promise<L.StoredDelivery[]> {
    return deliveries.ensureDeliveries(this.#db, versionIds, target, lease);
  }

  getDeliveries(keys: readonly string[]): Promise<L.StoredDelivery[]> {
    return deliveries.getDeliveries(this.#db, keys);
  }

  recordDeliveryOutcomes(outcomes: readonly deliveryOutcomes.DeliveryOutcome[]): Promise<string[]> {
    return deliveryOutcomes.recordDeliveryOutcomes(this.#db, outcomes);
  }

  recordDeliveryAttempt(
    keys: readonly string[],
    failure: AttemptFailure,
    onlyIf?: 'submitted',
  ): Promise<void> {
    return deliveries.recordDeliveryAttempt(this.#db, keys, failure, onlyIf);
  }

  deliveryPredecessors(versionIds: readonly number[], target: string): Promise<L.DeliveryPredecessor[]> {
    return deliveryOrder.deliveryPredecessors(this.#db, versionIds, target);
  }

  deliveryStates(versionIds: readonly number[], target: string): Promise<L.VersionDeliveryState[]> {
    return deliveryOrder.deliveryStates(this.#db, versionIds, target);
  }

  listDeadLetters(query?: L.DeadLetterQuery): Promise<L.DeadLetter[]> {
    return deadLetters.listDeadLetters(this.#db, query);
  }

  replayDeadLetters(keys: readonly string[] | readonly L.DeadLetter[], note?: string, actor?: string) {
    return deadLetters.replayDeadLetters(this.#db, keys, note, actor);
  }

  deadSuccessors(versionIds: readonly number[], target: string): Promise<L.DeadLetter[]> {
    return deadSuccessors(this.#db, versionIds, target);
  }

  discardDeadLetters(keys: readonly string[], note?: string): Promise<L.DeadLetter[]> {
    return deadLetters.discardDeadLetters(this.#db, keys, note);
  }

  claimDeliveries(
    keys: readonly string[],
    owner: string,
    leaseMs: number,
    asRead?: readonly deliveryClaims.DeliveryAsRead[],
  ): Promise<string[]> {
    return deliveryClaims.claimDeliveries(this.#db, keys, owner, leaseMs, asRead);
  }

  releaseDeliveries(keys: readonly string[], owner: string): Promise<void> {
    return deliveryClaims.releaseDeliveries(this.#db, keys, owner);
  }

  undeliveredVersionIds(options: L.UndeliveredQuery): Promise<number[]> {
    return backlog.undeliveredVersionIds(this.#db, options);
  }

  overdueDeliveries(target: string, before: Date): Promise<L.OverdueDeliveries[]> {
    return backlog.overdueDeliveries(this.#db, target, before);
  }

  failingStatusChecks(target: string): Promise<L.FailingStatusChecks[]> {
    return deliveryChecks.failingStatusChecks(this.#db, target);
  }

  // AuditLedger (ledger/audit.ts).
  readAudit(query: auditTypes.AuditQuery): Promise<auditTypes.AuditEntry[]> {
    return audit.readAudit(this.#db, query);
  }

  verifyAudit(options?: audit.VerifyAuditOptions): Promise<auditTypes.AuditVerification> {
    return audit.verifyAudit(this.#db, options);
  }

  auditHeadSeq(): Promise<number | undefined> {
    return auditHead.auditHeadSeq(this.#db);
  }

  licenseAudit(
    licenseId: string,
    options?: audit.LicenseAuditOptions,
  ): Promise<auditTypes.LicenseAuditEntry[] | undefined> {
    return audit.licenseAudit(this.#db, licenseId, options);
  }

  // StatusLedger (ledger/status-queries.ts, ledger/quarantine-queries.ts).
  deliveryCounts(): Promise<status.DeliveryCount[]> {
    return status.deliveryCounts(this.#db);
  }

  runTotals(): Promise<status.RunTotals[]> {
    return status.runTotals(this.#db);
  }

  signatureCounts(): Promise<status.SignatureCount[]> {
    return status.signatureCounts(this.#db);
  }

  awaitingSignature(pipeline: string, sealId: string): Promise<number> {
    return status.awaitingSignature(this.#db, pipeline, sealId);
  }

  quarantineReasonTotals(): Promise<quarantineCounts.QuarantineReasonCount[]> {
    return quarantineCounts.quarantineReasonTotals(this.#db);
  }

  openQuarantine(query: { pipeline?: string }): Promise<quarantineQueries.OpenQuarantineEntry[]> {
    return quarantineQueries.openQuarantine(this.#db, query);
  }

  quarantineHistory(query: {
    sourceKey: string;
    pipeline?: string;
  }): Promise<quarantineQueries.QuarantineRecord[]> {
    return quarantineQueries.quarantineHistory(this.#db, query);
  }

  resolveReason(query: {
    pipeline: string;
    sourceKey: string;
    code: string;
  }): Promise<quarantineResolve.ResolvedReason> {
    return quarantineResolve.resolveReason(this.#db, query);
  }

  // ConnectorStateLedger (ledger/connector-state.ts).
  stateEntries(source: string, scope: string): Promise<connectorState.StateEntry[]> {
    return connectorState.stateEntries(this.#db, source, scope);
  }

  putStateEntry(source: string, scope: string, key: string, value: string): Promise<void> {
    return connectorState.putStateEntry(this.#db, source, scope, key, value);
  }

  moveStateEntry(guard: L.StateGuard): Promise<boolean> {
    return moveStateEntry(this.#db, guard);
  }

  forgetState(source: string, scope?: string): Promise<number> {
    return connectorState.forgetState(this.#db, source, scope);
  }

  // LifecycleLedger (ledger/deadlines.ts, ledger/objections.ts, ledger/lifecycle.ts).
  overdueChanges(query: L.OverdueChangesQuery): Promise<deadlines.OverdueChanges> {
    return deadlines.overdueChanges(this.#db, query);
  }

  openObjection(input: objections.OpenObjectionInput): Promise<objections.StoredObjection> {
    return objections.openObjection(this.#db, input);
  }

  resolveObjection(input: objections.ResolveObjectionInput): Promise<objections.StoredObjection> {
    return objections.resolveObjection(this.#db, input);
  }

  listObjections(query?: objections.ObjectionQuery): Promise<objections.StoredObjection[]> {
    return objections.listObjections(this.#db, query);
  }

  openObjectionsBefore(before: Date): Promise<{ count: number; oldest: Date | null }> {
    return objections.openObjectionsBefore(this.#db, before);
  }

  lifecycleWatermark(pipeline: string): Promise<lifecycle.LifecycleWatermark | null> {
    return lifecycle.lifecycleWatermark(this.#db, pipeline);
  }

  beginLifecycleTick(input: L.BeginLifecycleTickInput): Promise<void> {
    return lifecycle.beginLifecycleTick(this.#db, input);
  }

  async expireDue(input: lifecycle.ExpireDueInput): Promise<L.CreatedVersion[]> {
    return (await lifecycle.expireDuePage(this.#db, input)).created;
  }

  expireDuePage(input: lifecycle.ExpireDueInput): Promise<lifecycle.ExpiredPage> {
    return lifecycle.expireDuePage(this.#db, input);
  }

  finishLifecycleTick(input: L.FinishLifecycleTickInput): Promise<boolean> {
    return lifecycle.finishLifecycleTick(this.#db, input);
  }

  countDueExpiries(pipeline: string, today: string): Promise<number> {
    return lifecycle.countDue(this.#db, pipeline, today);
  }
}
