/**
 * The ledger contract: licbridge's own store. Pipelines talk to this interface only; the knex
 * implementation (SQLite embedded, PostgreSQL in production) owns its connections.
 */
import type { HolderContact } from '../catalog/holder-contact.js';
import type { License, LicenseOperation, LicenseStatus, Lineage } from '../catalog/license.js';
import type { Checkpoint } from '../core/checkpoint.js';
import type { SUCCESSOR_OPERATIONS } from '../core/code-lists.js';
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
import type { StateEntry } from './connector-state.js';
import type { OverdueChanges } from './deadlines.js';
import type { LicenseFileLedger } from './license-files.js';
import type { ExpireDueInput, LifecycleWatermark } from './lifecycle.js';
import type {
  ObjectionQuery,
  OpenObjectionInput,
  ResolveObjectionInput,
  StoredObjection,
} from './objections.js';
import type { PredecessorLookup } from './predecessors.js';
import type { OpenQuarantineEntry, QuarantineRecord } from './quarantine-queries.js';
import type { ReminderStore } from './reminders.js';
import type { AbsentElementsInFile, RunAbsentElements } from './run-absent-elements.js';
import type { DeliveryCount, QuarantineReasonScan, RunTotals, SignatureCount } from './status-queries.js';

export type { AbsentElementsInFile, RunAbsentElements };

export interface QuarantineReason {
  /** Stable machine-readable code, e.g. `LB_MAP_DATE`, `LB_HOLDER_ID_CHECK`. */
  code: string;
  message: string;
  /** Rule path in the mapping or schema, e.g. `holder.id`. */
  path?: string;
  column?: string;
  /** Masked where personal. */
  value?: string;
  location?: string;
}

export interface VersionCandidate {
  /** Stable license id: the identifier without version and check char. */
  licenseId: string;
  sourceKey: string;
  /** Hash of the canonical license content without identifier version/check. */
  contentHash: string;
  status: LicenseStatus;
  lineage: Lineage;
  /** Builds the payload for the version number the ledger assigns (1 for a new license). */
  build(version: number): License;
  /** The license this one continues, as the mapping names it (pipelines/lifecycle/predecessors.ts resolves it). */
  predecessor?: { number?: string; sourceKey?: string };
  /** The operation of the license's first version when it continues another. @defaultValue issue */
  operation?: (typeof SUCCESSOR_OPERATIONS)[number];
  /** Names the identifier of the license this one continues: `build` carries it from then on. */
  continues?(previousIdentifier: string): void;
  /** The holder's contact for reminders, stored beside the license (ledger/reminders.ts); absent: the mapping has none. */
  contact?: HolderContact | null;
}

export interface QuarantineCandidate {
  sourceKey: string;
  reasons: QuarantineReason[];
}

export interface CommitPageInput {
  pipeline: string;
  runId: string;
  checkpoint: Checkpoint;
  /**
   * The checkpoint the ledger held when this copy of the run's extraction read the page: the one
   * it found when it started (`null`: none), then the checkpoint of its own last committed page.
   * The page commits only on top of it (ledger/commit-page-chain.ts). Absent: the page is not
   * checked against the chain (tools and tests committing pages by hand).
   */
  follows?: Checkpoint | null;
  rowsRead: number;
  candidates: VersionCandidate[];
  quarantined: QuarantineCandidate[];
  /**
   * The page's source-row fingerprints by source key (connectors/source.ts `Page.fingerprints`),
   * stored with each license for reconciliation; an unchanged license whose row's fingerprint
   * moved (padding, a column the mapping ignores) gets the new one. Absent: nothing is stored.
   */
  sourceFingerprints?: ReadonlyMap<string, string>;
  /**
   * Where each row stands among its key's records (connectors/source.ts `Page.orders`), stored
   * with each license. A candidate whose order `compareOrders` puts before the stored one is
   * superseded: counted unchanged, no version. Absent: every candidate is current.
   */
  sourceOrders?: ReadonlyMap<string, string>;
  compareOrders?: (a: string, b: string) => number;
  /**
   * The day the page's rows were mapped on (their derived expiry, `before: today`), and how to
   * tell today. A page mapped before midnight that commits after it would bring back as `valid` a
   * license the day's lifecycle tick has just expired: the commit then stops with
   * `PageMappedOnAnotherDay` (commit-page.ts), writing nothing, and the caller maps the page again.
   */
  mappedOn?: { day: string; today: () => string };
  /**
   * Export files whose rows the page holds and whose records all leave out elements the config
   * names (connectors/source.ts `Page.warnings`): counted in the run once per file, however often
   * a resumed read tells of it again (ledger/run-absent-elements.ts). Names only, never a value.
   */
  absentElements?: readonly AbsentElementsInFile[];
}

export interface CreatedVersion {
  versionId: number;
  licenseId: string;
  version: number;
  operation: LicenseOperation;
}

export interface CommitPageResult {
  created: CreatedVersion[];
  /** Includes the superseded candidates. */
  unchanged: number;
  /** Candidates older than the record the ledger already holds for their key. */
  superseded: number;
  quarantined: number;
}

export interface StoredVersion {
  versionId: number;
  licenseId: string;
  version: number;
  identifier: string;
  contentHash: string;
  status: LicenseStatus;
  operation: LicenseOperation;
  payload: License;
  lineage: Lineage;
  createdAt: Date;
}

export interface StoredSignature {
  versionId: number;
  contentHash: string;
  algorithm: string;
  digest: string;
  signature: Uint8Array;
  distId: string;
  sealId: string;
  signerKind: string;
  certificateSerial: string | null;
  certificateIssuer: string | null;
  signedAt: Date;
}

/** `discarded`: a dead letter an operator closed without sending (see ledger/dead-letters.ts). */
export type DeliveryRowState = 'pending' | 'submitted' | 'accepted' | 'rejected' | 'dead' | 'discarded';

export interface StoredDelivery {
  key: string;
  licenseId: string;
  version: number;
  versionId: number;
  target: string;
  state: DeliveryRowState;
  attempts: number;
  platformId: string | null;
  reasons: string[];
  receipt: Record<string, unknown> | null;
  updatedAt: Date;
}

export interface RunCounts {
  read: number;
  created: number;
  unchanged: number;
  quarantined: number;
  /**
   * The export files the run read whose records all leave out elements the config names, each
   * counted once, and the distinct element names (at most `ABSENT_ELEMENT_NAMES_KEPT` of
   * ledger/run-absent-elements.ts, in the order first told). Absent: no such file.
   */
  absentElements?: RunAbsentElements;
}

export interface StoredRun extends RunCounts {
  runId: string;
  pipeline: string;
  /** `lifecycle`: a daily tick's run (ledger/lifecycle.ts), which reads no rows. */
  mode: 'incremental' | 'full' | 'lifecycle';
  /** `running` until every version is signed and every delivery final; `abandoned`: its process died. */
  state: 'running' | 'done' | 'failed' | 'abandoned';
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  /** When the extract stage finished; `null` while it extracts (ledger/runs.ts). */
  extractedAt?: Date | null;
  /** The process driving the run, `<host> <pid>`, and when it last said it lives. */
  owner?: string | null;
  heartbeatAt?: Date | null;
}

/** A run as `finishRun` left it; `applied`: the outcome was recorded (the run was still `running`). */
export interface FinishedRun extends StoredRun {
  applied: boolean;
}

/**
 * Runs and checkpoints (ledger/runs.ts, ledger/backlog.ts): a run from start to done, the
 * checkpoint a page commits, what a pipeline still owes.
 */
export interface RunLedger {
  startRun(input: {
    runId: string;
    pipeline: string;
    mode: 'incremental' | 'full';
    owner?: string;
  }): Promise<void>;
  finishRun(
    runId: string,
    outcome: { state: 'done' | 'failed' | 'abandoned'; error?: string },
  ): Promise<FinishedRun>;
  getRun(runId: string): Promise<StoredRun | null>;
  lastRun(pipeline: string): Promise<StoredRun | null>;
  getCheckpoint(pipeline: string): Promise<Checkpoint | null>;
  resetCheckpoint(pipeline: string): Promise<void>;
  /** The extract stage of the run finished; the run stays `running` until its work is complete. */
  markExtracted(runId: string): Promise<void>;
  /** Marks an extracted run `done` once its versions are signed and its deliveries final; whether it is done. */
  completeRun(runId: string, sealId: string, targets: readonly string[]): Promise<boolean>;
  /** The owner says it still drives these runs. */
  heartbeatRuns(runIds: readonly string[], owner: string): Promise<void>;
  /** Runs in state `running`, oldest first. */
  runningRuns(): Promise<StoredRun[]>;
  /** What a pipeline still owes, whichever run created it (ledger/backlog.ts). */
  pipelineBacklog(pipeline: string, sealId: string, targets: readonly string[]): Promise<PipelineBacklog>;
  /** For a run: how many of its versions are signed, and delivered (`accepted`) per target. */
  runProgress(runId: string, sealId: string, targets: readonly string[]): Promise<RunProgress>;
  quarantineFor(runId: string): Promise<{ sourceKey: string; reasons: QuarantineReason[] }[]>;
}

/**
 * License versions (ledger/commit-page.ts, ledger/predecessors.ts): a page committed in one
 * transaction, versions read back.
 */
export interface VersionLedger {
  /**
   * One transaction: new versions for changed content, quarantine records, the run's counts and
   * the checkpoint. A replayed page changes nothing (content hashes match).
   */
  commitPage(input: CommitPageInput): Promise<CommitPageResult>;
  getVersions(versionIds: readonly number[]): Promise<StoredVersion[]>;
  /** Version ids of the given run, in id order. */
  runVersionIds(runId: string): Promise<number[]>;
  /** A page of versions in id order, for verification. */
  versionPage(query: VersionPageQuery): Promise<StoredVersion[]>;
  /**
   * The identifiers successors name as `previousIdentifier` (ledger/predecessors.ts), by successor
   * license id; a number more than one unrelated license holds resolves to none, its candidates'
   * source keys in `ambiguous`.
   */
  predecessorIdentifiers(
    pipeline: string,
    refs: readonly PredecessorLookup[],
    ambiguous?: Map<string, string[]>,
  ): Promise<Map<string, string>>;
}

/**
 * Signatures and seal keys (ledger/signatures.ts, ledger/signing-keys.ts, ledger/signing-
 * queries.ts).
 */
export interface SignatureLedger {
  /** Version ids without a signature by the given seal, oldest first. */
  unsignedVersionIds(options: { sealId: string; pipeline?: string; limit?: number }): Promise<number[]>;
  /** Idempotent: a (version, seal) pair already signed keeps its first signature. */
  recordSignatures(signatures: readonly StoredSignature[]): Promise<number>;
  getSignatures(versionIds: readonly number[]): Promise<StoredSignature[]>;
  /** Records a seal key (and certificate) that signs; the same key and certificate again is a no-op. */
  registerSigningKey(key: SigningKeyRecord): Promise<void>;
  /** Registered seal keys, of the given seals or all. */
  signingKeys(sealIds?: readonly string[]): Promise<SigningKeyRecord[]>;
  /** Version ids after `afterVersionId` without a signature by the seal, ascending (keyset pages). */
  unsignedVersionPage(options: {
    sealId: string;
    pipeline?: string;
    afterVersionId: number;
    limit: number;
  }): Promise<number[]>;
  countUnsignedVersions(options: { sealId: string; pipeline?: string }): Promise<number>;
  /** Version ids to re-sign under a new seal, ascending (keyset pages). */
  resignCandidates(selection: ResignSelection): Promise<number[]>;
  /** How many versions a re-sign selection still holds (all pages). */
  countResignCandidates(selection: Omit<ResignSelection, 'afterVersionId' | 'limit'>): Promise<number>;
}

/**
 * Deliveries, their order, leases and dead letters (ledger/deliveries.ts, ledger/delivery-
 * order.ts, ledger/delivery-claims.ts, ledger/dead-letters.ts).
 */
export interface DeliveryLedger {
  /**
   * Creates `pending` delivery rows for (version, target) pairs that have none; returns all of them.
   * With `lease`, the rows it creates are leased to `lease.owner` for `lease.leaseMs` and a short
   * grace (delivery-claims.ts `newRowLeaseMs`): a sender about to send them, whose first
   * `claimDeliveries` then takes them without writing them again.
   */
  ensureDeliveries(
    versionIds: readonly number[],
    target: string,
    lease?: { owner: string; leaseMs: number },
  ): Promise<StoredDelivery[]>;
  getDeliveries(keys: readonly string[]): Promise<StoredDelivery[]>;
  recordDeliveryOutcomes(
    outcomes: readonly {
      key: string;
      state: DeliveryRowState;
      platformId?: string;
      reasons?: string[];
      receipt?: Record<string, unknown>;
    }[],
  ): Promise<void>;
  /** Counts a failed attempt without changing the state. */
  recordDeliveryAttempt(keys: readonly string[], error: string): Promise<void>;
  /** For each version after the first: its predecessor's delivery state at `target`. */
  deliveryPredecessors(versionIds: readonly number[], target: string): Promise<DeliveryPredecessor[]>;
  /** Each version's delivery state at `target` (`null` where none exists yet). */
  deliveryStates(versionIds: readonly number[], target: string): Promise<VersionDeliveryState[]>;
  /** Dead (or discarded) deliveries, oldest version first per license. */
  listDeadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]>;
  /** Dead → `pending`, logged; returns the rows moved (the caller enqueues them). */
  replayDeadLetters(keys: readonly string[], note?: string): Promise<DeadLetter[]>;
  /** Dead → `discarded`, logged; returns the rows moved. */
  discardDeadLetters(keys: readonly string[], note?: string): Promise<DeadLetter[]>;
  /**
   * Leases open deliveries to `owner` until `leaseMs` from now at least (a lease it holds for that
   * long already is left as it is); returns the keys it now holds (ledger/delivery-claims.ts).
   */
  claimDeliveries(keys: readonly string[], owner: string, leaseMs: number): Promise<string[]>;
  /** Ends `owner`'s leases on these keys. */
  releaseDeliveries(keys: readonly string[], owner: string): Promise<void>;
  /** Signed versions whose delivery to `target` is missing or open and not leased now, oldest first. */
  undeliveredVersionIds(options: {
    pipeline: string;
    sealId: string;
    target: string;
    limit: number;
  }): Promise<number[]>;
  /** Open (`pending`, `submitted`) deliveries to `target` created before `before`, per pipeline. */
  overdueDeliveries(target: string, before: Date): Promise<OverdueDeliveries[]>;
}

/**
 * The audit chain (ledger/audit-chain.ts, ledger/audit.ts): append-only, SM3-chained, never
 * pruned.
 */
export interface AuditLedger {
  /** A page of audit entries in `seq` order. */
  readAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /** Walks the whole chain and names the first entry that does not fit. */
  verifyAudit(options?: { pageSize?: number }): Promise<AuditVerification>;
  /**
   * Every entry about one license, in `seq` order: its own entries and the batch entries naming
   * one of its versions (docs/audit.md, "Acts of a batch"); `undefined` when the ledger has no such
   * license. Walks the whole chain, as `verifyAudit` does.
   */
  licenseAudit(licenseId: string): Promise<LicenseAuditEntry[] | undefined>;
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
   * Of `licenseIds`, those the ledger holds under a pipeline other than `pipeline`: licenses of
   * the same type and issuer that another pipeline issued are not unknown to the platform check.
   */
  licensesOfOtherPipelines(pipeline: string, licenseIds: readonly string[]): Promise<Set<string>>;
  /** Licenses of a pipeline by status. */
  licenseStatusCounts(pipeline: string): Promise<Record<string, number>>;
  /** Source keys of a pipeline held in quarantine and not licenses. */
  openQuarantineCount(pipeline: string): Promise<number>;
  /** Every license of a pipeline with its latest version, in license-id order (the light check's key set). */
  pipelineLicenses(pipeline: string): Promise<LedgerLicense[]>;
  /** The source keys `openQuarantineCount` counts. */
  openQuarantineKeys(pipeline: string): Promise<string[]>;
  /** New versions decided by reconciliation, with their audit entries, in one transaction. */
  appendRepairVersions(input: RepairVersionsInput): Promise<CreatedVersion[]>;
  /** Deliveries back to `pending` for an ordinary re-delivery; audited as `repair`. */
  reopenDeliveries(keys: readonly string[], actor: string, reason: string): Promise<number>;
  saveReport(report: Omit<StoredReport, 'createdAt'>): Promise<void>;
  /** Stored reconciliation reports, newest first. */
  getReports(query: { reportId?: string; pipeline?: string; limit?: number }): Promise<StoredReport[]>;
}

/**
 * Status and metrics (ledger/status-queries.ts, ledger/quarantine-queries.ts): grouped counts
 * cheap enough for every scrape, and the quarantine worklist.
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
  /** Quarantined rows by reason code among quarantine records with id above `afterId`. */
  quarantineReasonCounts(afterId: number): Promise<QuarantineReasonScan>;
  /** Source keys with an open quarantine record, one entry each, by pipeline and key. */
  openQuarantine(query: { pipeline?: string }): Promise<OpenQuarantineEntry[]>;
  /** Every quarantine record of a source key, newest first. */
  quarantineHistory(query: { sourceKey: string; pipeline?: string }): Promise<QuarantineRecord[]>;
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
  /** Forgets a source's state (one scope, or all); returns how many entries were forgotten. */
  forgetState(source: string, scope?: string): Promise<number>;
}

/**
 * The lifecycle clock, deadlines and objections (ledger/lifecycle.ts, ledger/deadlines.ts,
 * ledger/objections.ts).
 */
export interface LifecycleLedger {
  /** Versions of a pipeline read before `createdBefore` that `target` has not accepted (art. 10). */
  overdueChanges(query: { pipeline: string; target: string; createdBefore: Date }): Promise<OverdueChanges>;
  /** Opens an objection to a license, audited. */
  openObjection(input: OpenObjectionInput): Promise<StoredObjection>;
  /** Upholds or rejects an open objection, audited; an objection already resolved is an error. */
  resolveObjection(input: ResolveObjectionInput): Promise<StoredObjection>;
  listObjections(query?: ObjectionQuery): Promise<StoredObjection[]>;
  /** Open objections opened before `before`: how many, and the oldest's opening. */
  openObjectionsBefore(before: Date): Promise<{ count: number; oldest: Date | null }>;
  /** A pipeline's tick watermark; `null` before its first tick. */
  lifecycleWatermark(pipeline: string): Promise<LifecycleWatermark | null>;
  /** Marks a tick of `day` under way and opens its run (mode `lifecycle`). */
  beginLifecycleTick(input: { pipeline: string; day: string; runId: string; owner?: string }): Promise<void>;
  /** One transaction: up to `limit` licenses still `valid` with `validTo` before today get an `expire` version. */
  expireDue(input: ExpireDueInput): Promise<CreatedVersion[]>;
  /** The tick of `day` finished: the watermark moves to it. */
  finishLifecycleTick(input: {
    pipeline: string;
    day: string;
    runId: string;
    expired: number;
  }): Promise<void>;
  /** How many licenses a tick of `today` would expire (the same indexed range). */
  countDueExpiries(pipeline: string, today: string): Promise<number>;
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
  /** Applies pending migrations. Safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Work a pipeline still owes (ledger/backlog.ts). */
export interface PipelineBacklog {
  /** Versions without a signature by the pipeline's seal. */
  unsigned: number;
  /** Per target: signed versions without an accepted, dead-lettered or discarded delivery. */
  undelivered: Record<string, number>;
}

export interface OverdueDeliveries {
  pipeline: string;
  target: string;
  count: number;
  oldest: Date;
}

/** A seal key the ledger knows (ledger/signing-keys.ts). */
export interface SigningKeyRecord {
  /** Hex SM3 of the SPKI DER. */
  keyId: string;
  sealId: string;
  signerKind: string;
  distId: string;
  publicKeyPem: string;
  certificatePem: string | null;
  certificateSerial: string | null;
  certificateIssuer: string | null;
  notBefore: Date | null;
  notAfter: Date | null;
}

export interface VersionPageQuery {
  afterVersionId: number;
  limit: number;
  pipeline?: string;
  licenseIds?: readonly string[];
}

export interface ResignSelection {
  /** The seal to sign under. */
  sealId: string;
  afterVersionId: number;
  limit: number;
  pipeline?: string;
  licenseIds?: readonly string[];
  /** Only versions already signed by this seal. */
  fromSealId?: string;
  /** Every version instead of each license's latest. @defaultValue false */
  allVersions?: boolean;
}

/**
 * The previous version of a license and its delivery state at one target (ledger/delivery-
 * order.ts).
 */
export interface DeliveryPredecessor {
  versionId: number;
  previousVersionId: number;
  previousKey: string;
  /** `null` when the previous version has no delivery row at this target yet. */
  previousState: DeliveryRowState | null;
}

/** A version's delivery state at one target; `state` is `null` when no delivery row exists. */
export interface VersionDeliveryState {
  versionId: number;
  pipeline: string;
  runId: string;
  key: string;
  state: DeliveryRowState | null;
}

/**
 * A dead (or discarded) delivery with what the license version knows of it (ledger/dead-
 * letters.ts).
 */
export interface DeadLetter extends StoredDelivery {
  pipeline: string;
  runId: string;
  operation: LicenseOperation;
  lastError: string | null;
}

export interface DeadLetterQuery {
  target?: string;
  pipeline?: string;
  /** Only these delivery keys. */
  keys?: readonly string[];
  /** @defaultValue 1000 */
  limit?: number;
  /** @defaultValue `dead` */
  state?: 'dead' | 'discarded';
}

export interface RunProgress {
  created: number;
  signed: number;
  delivered: Record<string, number>;
  dead: Record<string, number>;
}
