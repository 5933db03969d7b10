/**
 * The ledger contract: licbridge's own store. Pipelines talk to this interface only; the knex
 * implementation (SQLite embedded, PostgreSQL in production) owns its connections.
 */
import type { License, LicenseOperation, LicenseStatus, Lineage } from '../catalog/license.js';
import type { Checkpoint } from '../connectors/source.js';

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
}

export interface QuarantineCandidate {
  sourceKey: string;
  reasons: QuarantineReason[];
}

export interface CommitPageInput {
  pipeline: string;
  runId: string;
  checkpoint: Checkpoint;
  rowsRead: number;
  candidates: VersionCandidate[];
  quarantined: QuarantineCandidate[];
}

export interface CreatedVersion {
  versionId: number;
  licenseId: string;
  version: number;
  operation: LicenseOperation;
}

export interface CommitPageResult {
  created: CreatedVersion[];
  unchanged: number;
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

export type DeliveryRowState = 'pending' | 'submitted' | 'accepted' | 'rejected' | 'dead';

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
}

export interface StoredRun extends RunCounts {
  runId: string;
  pipeline: string;
  mode: 'incremental' | 'full';
  state: 'running' | 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

export interface Ledger {
  /** Applies pending migrations. Safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  startRun(input: { runId: string; pipeline: string; mode: 'incremental' | 'full' }): Promise<void>;
  finishRun(runId: string, outcome: { state: 'done' | 'failed'; error?: string }): Promise<StoredRun>;
  getRun(runId: string): Promise<StoredRun | null>;
  lastRun(pipeline: string): Promise<StoredRun | null>;

  getCheckpoint(pipeline: string): Promise<Checkpoint | null>;
  resetCheckpoint(pipeline: string): Promise<void>;
  /**
   * One transaction: new versions for changed content, quarantine records, the run's counts and
   * the checkpoint. A replayed page changes nothing (content hashes match).
   */
  commitPage(input: CommitPageInput): Promise<CommitPageResult>;

  getVersions(versionIds: readonly number[]): Promise<StoredVersion[]>;
  /** Version ids of the given run, in id order. */
  runVersionIds(runId: string): Promise<number[]>;
  /** Version ids without a signature by the given seal, oldest first. */
  unsignedVersionIds(options: { sealId: string; pipeline?: string; limit?: number }): Promise<number[]>;
  /** Idempotent: a (version, seal) pair already signed keeps its first signature. */
  recordSignatures(signatures: readonly StoredSignature[]): Promise<number>;
  getSignatures(versionIds: readonly number[]): Promise<StoredSignature[]>;

  /** Creates `pending` delivery rows for (version, target) pairs that have none; returns all of them. */
  ensureDeliveries(versionIds: readonly number[], target: string): Promise<StoredDelivery[]>;
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

  /** For a run: how many of its versions are signed, and delivered (`accepted`) per target. */
  runProgress(runId: string, sealId: string, targets: readonly string[]): Promise<RunProgress>;
  quarantineFor(runId: string): Promise<{ sourceKey: string; reasons: QuarantineReason[] }[]>;
}

export interface RunProgress {
  created: number;
  signed: number;
  delivered: Record<string, number>;
  dead: Record<string, number>;
}
