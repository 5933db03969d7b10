/**
 * The ledger contract: licbridge's own store. Pipelines talk to this interface only; the knex
 * implementation (SQLite embedded, PostgreSQL in production) owns its connections. The ports of
 * runs, versions, signatures, deliveries and the lifecycle, with the types of their inputs and
 * results, live in ledger/types-*.ts by area and are exported from here as well.
 */

import type { LicenseAuditOptions, VerifyAuditOptions } from './audit.js';
import type {
  AuditEntry,
  AuditQuery,
  AuditVerification,
  BucketDigest,
  LedgerLicense,
  LedgerLicenseAtTarget,
  LicenseAuditEntry,
  RepairVersionsInput,
  StoredReport,
} from './audit-types.js';
import type { ConfigChanges } from './config-changes.js';
import type { StateEntry } from './connector-state.js';
import type { LicenseFileLedger } from './license-files.js';
import type { LostTicks } from './lost-ticks.js';
import type { PipelineHolder, PipelineLeases, SkippedFiring } from './pipeline-leases.js';
import type { OpenQuarantineEntry, QuarantineRecord } from './quarantine-queries.js';
import type { QuarantineReasonCount } from './quarantine-reason-counts.js';
import type { ResolvedReason } from './quarantine-resolve.js';
import type { RepairDuplicates } from './reconcile-duplicates.js';
import type { ReminderStore } from './reminders.js';
import type { AbsentElementsInFile, RunAbsentElements } from './run-absent-elements.js';
import type { DeliveryCount, RunTotals, SignatureCount } from './status-queries.js';
import type { DeliveryLedger } from './types-deliveries.js';
import type { LifecycleLedger } from './types-lifecycle.js';
import type { RunLedger } from './types-runs.js';
import type { SignatureLedger } from './types-signatures.js';
import type { CreatedVersion, StateGuard, VersionLedger } from './types-versions.js';

export type {
  DeadLetter,
  DeadLetterQuery,
  DeliveryLedger,
  DeliveryPredecessor,
  DeliveryRowState,
  FailingStatusChecks,
  OverdueDeliveries,
  StoredDelivery,
  UndeliveredQuery,
  VersionDeliveryState,
} from './types-deliveries.js';
export type {
  BeginLifecycleTickInput,
  FinishLifecycleTickInput,
  LifecycleLedger,
  OverdueChangesQuery,
} from './types-lifecycle.js';
export type {
  FinishedRun,
  PipelineBacklog,
  RunCounts,
  RunLedger,
  RunOutcome,
  RunProgress,
  StartRunInput,
  StoredRun,
} from './types-runs.js';
export type {
  ResignSelection,
  SignatureLedger,
  SigningKeyRecord,
  StoredSignature,
  UnsignedVersionPageQuery,
} from './types-signatures.js';
export type {
  CommitPageInput,
  CommitPageResult,
  CreatedVersion,
  QuarantineCandidate,
  QuarantineReason,
  StateGuard,
  StoredVersion,
  VersionCandidate,
  VersionLedger,
  VersionPageQuery,
} from './types-versions.js';
export type { AbsentElementsInFile, PipelineHolder, PipelineLeases, RunAbsentElements, SkippedFiring };

/**
 * The audit chain (ledger/audit-chain.ts, ledger/audit.ts): append-only, SM3-chained, never
 * pruned.
 */
export interface AuditLedger {
  /** A page of audit entries in `seq` order. */
  readAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /**
   * Walks the whole chain and names the first entry that does not fit. `rangeCap`: most ranges of
   * recorded version ids held at once (ledger/audit-id-ranges.ts); `onPage`, `onVersions` (per
   * window), `onRewalk` (each window past the first walks the chain again) and `onNearest` (the
   * walk that names the entries nearest an unrecorded version): how far each pass is, for a
   * progress line.
   */
  verifyAudit(options?: VerifyAuditOptions): Promise<AuditVerification>;
  /**
   * Every entry about one license, in `seq` order: its own entries and the batch entries naming
   * one of its versions (docs/audit.md, "Acts of a batch"); `undefined` when the ledger has no such
   * license. Walks the whole chain, as `verifyAudit` does; `onPage`: how far, for a progress line.
   */
  licenseAudit(licenseId: string, options?: LicenseAuditOptions): Promise<LicenseAuditEntry[] | undefined>;
  /** The `seq` the chain's head names as its last entry; `undefined` when it names none. */
  auditHeadSeq(): Promise<number | undefined>;
}

/**
 * Reconciliation (ledger/reconcile-store.ts): bucket digests, the ledger side of a comparison,
 * repairs and reports.
 */
export interface ReconciliationLedger {
  /** Per-bucket count and fingerprint sum of a pipeline's licenses (inside the database on PostgreSQL). */
  ledgerBuckets(pipeline: string, buckets: number): Promise<BucketDigest[]>;
  /** The licenses in the given buckets, with their latest version id. */
  ledgerRowsInBuckets(pipeline: string, buckets: number, wanted: readonly number[]): Promise<LedgerLicense[]>;
  /** A page of licenses after `after` in license-id order, with the latest version's delivery state at `target`. */
  licensesAtTarget(
    pipeline: string,
    target: string,
    after: string,
    limit: number,
  ): Promise<LedgerLicenseAtTarget[]>;
  /**
   * Of `licenseIds`, the pipeline's licenses with their latest version's delivery state at
   * `target`, as `licensesAtTarget` gives them, in no particular order (one query per chunk of ids).
   */
  licensesAtTargetByIds(
    pipeline: string,
    target: string,
    licenseIds: readonly string[],
  ): Promise<LedgerLicenseAtTarget[]>;
  /**
   * The pipeline the ledger holds each of `licenseIds` under (ids it does not hold are absent), one
   * query per chunk of ids: a platform license held under another pipeline is that pipeline's to
   * compare, or nobody's when the config no longer names it.
   */
  pipelinesOfLicenses(licenseIds: readonly string[]): Promise<Map<string, string>>;
  /** Licenses of a pipeline by status. */
  licenseStatusCounts(pipeline: string): Promise<Record<string, number>>;
  /** Source keys of a pipeline with an open quarantine record (one not resolved) and no license. */
  openQuarantineCount(pipeline: string): Promise<number>;
  /** Every license of a pipeline with its latest version, in license-id byte order, held at once. */
  pipelineLicenses(pipeline: string): Promise<LedgerLicense[]>;
  /**
   * Up to `limit` licenses of a pipeline after license id `after` ('' first), in license-id byte
   * order: the checks walk a pipeline a page at a time with it.
   */
  pipelineLicensePage(pipeline: string, after: string, limit: number): Promise<LedgerLicense[]>;
  /** The source keys `openQuarantineCount` counts. */
  openQuarantineKeys(pipeline: string): Promise<string[]>;
  /** New versions decided by reconciliation, with their audit entries, in one transaction. */
  appendRepairVersions(input: RepairVersionsInput): Promise<CreatedVersion[]>;
  /** Deliveries back to `pending` for an ordinary re-delivery; audited as `repair`. */
  reopenDeliveries(keys: readonly string[], actor: string, reason: string): Promise<number>;
  /**
   * Closes the open `LB_VERSION_LIMIT` records of licenses only `target` held at version 999 (keys
   * `platform:<target>:…`) whose keys a full check's listing of it no longer holds so (not in
   * `held`): ledger/version-limit.ts. Returns how many were closed.
   */
  closeAdoptionsAtLimit(pipeline: string, target: string, held: ReadonlySet<string>): Promise<number>;
  saveReport(report: Omit<StoredReport, 'createdAt'>): Promise<void>;
  /** Stored reconciliation reports, newest first. */
  getReports(query: { reportId?: string; pipeline?: string; limit?: number }): Promise<StoredReport[]>;
}

/**
 * Status and metrics (ledger/status-queries.ts, ledger/quarantine-queries.ts): counts kept as the
 * rows change (ledger/status-counts.ts), a row per group for every scrape, and the quarantine worklist.
 */
export interface StatusLedger {
  /** Deliveries by pipeline, target and state, with attempts and retries. */
  deliveryCounts(): Promise<DeliveryCount[]>;
  /** Sums over all runs, per pipeline. */
  runTotals(): Promise<RunTotals[]>;
  /** Signatures by pipeline and seal. */
  signatureCounts(): Promise<SignatureCount[]>;
  /** Versions of a pipeline without a signature by the given seal. */
  awaitingSignature(pipeline: string, sealId: string): Promise<number>;
  /** Quarantined rows by pipeline and reason code, over every run (counted as pages commit). */
  quarantineReasonTotals(): Promise<QuarantineReasonCount[]>;
  /** Source keys with an open quarantine record, one entry each, by pipeline and key. */
  openQuarantine(query: { pipeline?: string }): Promise<OpenQuarantineEntry[]>;
  /** Every quarantine record of a source key, newest first. */
  quarantineHistory(query: { sourceKey: string; pipeline?: string }): Promise<QuarantineRecord[]>;
  /**
   * A person closes a key's reasons of `code`, every open record's (ledger/quarantine-resolve.ts):
   * `LB_VERSION_LIMIT` takes out its own reason only; `LB_SOURCE_KEY_MISSING` closes the stand-in's
   * records whole, with the row's other reasons.
   */
  resolveReason(query: { pipeline: string; sourceKey: string; code: string }): Promise<ResolvedReason>;
}

/**
 * Connector state (ledger/connector-state.ts): opaque values a source connector keeps between
 * runs, per source and scope (connectors/state-port.ts).
 */
export interface ConnectorStateLedger {
  /** The entries of one scope of a source, in key order. */
  stateEntries(source: string, scope: string): Promise<StateEntry[]>;
  /** Writes one entry; writing it again replaces its value. */
  putStateEntry(source: string, scope: string, key: string, value: string): Promise<void>;
  /** Moves one entry from `guard.from` (null: none) to `guard.to`; false if it held something else. */
  moveStateEntry(guard: StateGuard): Promise<boolean>;
  /** Forgets a source's state (one scope, or all); returns how many entries were forgotten. */
  forgetState(source: string, scope?: string): Promise<number>;
}

/**
 * The ledger: every role-sized port above, implemented by the module named in each (KnexLedger
 * wires them to one database), plus the stores it hands out and its own lifecycle. A use case
 * asks for the ports it needs (`DeliveryLedger & SignatureLedger`), not the whole ledger.
 */
export interface Ledger
  extends RunLedger,
    VersionLedger,
    SignatureLedger,
    DeliveryLedger,
    AuditLedger,
    ReconciliationLedger,
    StatusLedger,
    ConnectorStateLedger,
    LifecycleLedger {
  /** Expiry reminders and holder contacts (ledger/reminders.ts). */
  readonly reminders: ReminderStore;
  /** Sealed license files (OFD) per version (ledger/license-files.ts). */
  readonly licenseFiles: LicenseFileLedger;
  /** Re-deliveries answered as duplicates, held back by a repair (ledger/reconcile-duplicates.ts). */
  readonly repairDuplicates: RepairDuplicates;
  /** Lifecycle ticks a worker gave up, until a tick finishes after them (ledger/lost-ticks.ts). */
  readonly lostTicks: LostTicks;
  /** Which run holds each pipeline: one run of a pipeline at a time (ledger/pipeline-leases.ts). */
  readonly pipelineLeases: PipelineLeases;
  /** The configurations in force, as `config` entries of the audit chain (ledger/config-changes.ts). */
  readonly configChanges: ConfigChanges;
  /**
   * Whether a source key holding a NUL (U+0000) is stored as it is: false on PostgreSQL, whose
   * text cannot hold one, where such a row is quarantined (ledger/nul-text.ts).
   */
  readonly keysHoldNul: boolean;
  /** Applies pending migrations. Safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}
