/**
 * Types of the audit chain and the reconciliation store, kept beside `ledger.ts` so the contract
 * file stays short. Re-exported through the `Ledger` interface's method signatures.
 */
import type { License, LicenseStatus, Lineage } from '../catalog/license.js';
import type { CreatedVersion } from './ledger.js';

/** The acts the audit chain records. */
export const AUDIT_ACTIONS = [
  'read',
  'issue',
  'update',
  'suspend',
  'resume',
  'revoke',
  'cancel',
  'expire',
  'renew',
  'change',
  'transfer',
  'transfer-out',
  'sign',
  'deliver',
  // A failed send or status request counted on its deliveries: the attempt, a reason code and the
  // SM3 of the error text, never the text (ledger/audit-attempts.ts).
  'deliver-attempt',
  'repair',
  'dead-letter',
  'replay',
  // An objection to a license opened, upheld or rejected (ledger/objections.ts).
  'objection',
  // A decision on an objection that did not move it: an uphold started, held back, or refused (ledger/objections.ts).
  'objection-attempt',
  // An expiry reminder sent to a holder, or skipped with its reason (ledger/reminders.ts).
  'remind',
  // A sealed license file issued and recorded for a version (ledger/license-files.ts).
  'issue-file',
  // A seal key (or a certificate of it) registered in the ledger's key registry (ledger/signing-keys.ts).
  'register-key',
  // Holder contacts of licenses no longer valid deleted, counted (ledger/reminders.ts purgeContacts).
  'purge-contacts',
  // The effective configuration a process started with, when it differs from the last recorded (ledger/config-changes.ts).
  'config',
  // A license set aside, its quarantine record opened: by the sign or deliver stage or the lifecycle
  // tick, its stored text corrupt (LB_STORED_TEXT: ledger/stored-text-quarantine.ts,
  // expiry-stored-text.ts); by a reconcile repair, a license it could not end (LB_VERSION_LIMIT) or
  // whose stored text is corrupt (ledger/repair-leftovers.ts).
  'quarantine',
  // A person closing a key's quarantine records at version 999 (LB_VERSION_LIMIT), which no read
  // closes once the reason's advice is followed (ledger/quarantine-resolve.ts).
  'quarantine-resolve',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  seq: number;
  /** ISO-8601 UTC with milliseconds. */
  at: string;
  actor: string;
  action: string;
  licenseId: string | null;
  version: number | null;
  digest: string | null;
  /** JCS text of the entry's detail object (ids and counts only). */
  detail: string;
  prevHash: string;
  hash: string;
  /**
   * Only on an entry whose row holds what no licbridge writer writes (a time that is no time, a
   * version that is no integer, bytes for text: SQLite keeps any value in any column): the columns
   * that do, their values shown as text. `audit verify` names such an entry as altered.
   */
  malformed?: string[];
}

/** An entry about one license, with the license's versions it names. */
export interface LicenseAuditEntry extends AuditEntry {
  /** The license's versions (numbers, 1, 2, …) the entry is about; empty for its own-entry acts without a version. */
  versions: number[];
  /** How many acts the entry records in all, the license's and others' (1 for an entry of one act). */
  acts: number;
}

export interface AuditQuery {
  /** Entries with `seq` strictly above this (paging). */
  afterSeq?: number;
  fromSeq?: number;
  toSeq?: number;
  /** Entries at or after this time. */
  from?: Date;
  /** Entries before this time. */
  to?: Date;
  /** @defaultValue 1000 */
  limit?: number;
}

export interface AuditProblem {
  /** The first sequence number that does not fit the chain. */
  seq: number;
  /**
   * `acts-differ`: a batch entry's digest no longer matches the ledger rows of its acts.
   * `anchor-differs`: the entry is not the one a signed export holds at its `seq` (pipelines/audit-anchor.ts).
   * `unrecorded`: versions of the ledger that no entry records (audit-versions.ts), or deliveries in a
   * state no entry records (audit-deliveries.ts), at the entry after the head.
   */
  kind:
    | 'altered'
    | 'missing'
    | 'chain-broken'
    | 'head-mismatch'
    | 'acts-differ'
    | 'anchor-differs'
    | 'unrecorded';
  message: string;
}

export type AuditVerification =
  | { ok: true; entries: number; headSeq: number; headHash: string }
  | {
      ok: false;
      entries: number;
      headSeq: number;
      firstBad: AuditProblem;
      /** With `unrecorded`: the versions no entry records, by license and number (the first 100). */
      unrecorded?: { licenseId: string; version: number; versionId: number | string }[];
    };

/** One license as the ledger holds it, for reconciliation. */
export interface LedgerLicense {
  licenseId: string;
  sourceKey: string;
  version: number;
  versionId: number;
  contentHash: string;
  status: LicenseStatus;
  /**
   * No source row stands behind it (`source_fp = '-'`: a deletion answered by the policy, an
   * adopted license): left out of the bucket digests. Set by the reads that select the fingerprint.
   */
  sourceless?: true;
}

/** A license with its latest version's delivery state at one target. */
export interface LedgerLicenseAtTarget extends LedgerLicense {
  deliveryKey: string;
  deliveryState: string | null;
}

/** Order-independent digest of one bucket of `(source key, content hash)` pairs. */
export interface BucketDigest {
  bucket: number;
  count: number;
  /** Sum of the pairs' 52-bit fingerprints modulo 2^52, as decimal text. */
  sum: string;
}

/** A version reconciliation writes: a deletion policy applied, or a platform record adopted. */
export interface RepairVersionInput {
  licenseId: string;
  sourceKey: string;
  contentHash: string;
  status: LicenseStatus;
  lineage: Lineage;
  build(version: number): License;
  /** Why: `deleted-at-source`, `unknown-at-platform`. */
  reason: string;
  /** The version the new one follows (0 for a license new to the ledger). */
  after: number;
  /** A license only a platform holds: the new version follows the platform's `after`. */
  adopt?: boolean;
}

/**
 * A license whose ending a repair could not write, as it holds version 999: one deleted at the
 * source, or one only a platform holds (`adoptedAt`), which the repair would adopt ended.
 */
export interface UnendedAtVersionLimit {
  licenseId: string;
  /** Its source key; for one only a platform holds, the key its adoption would take (`platform:…`). */
  sourceKey: string;
  /** The status the policy would have given it (an adopted license keeps the platform's ending). */
  status: 'revoked' | 'cancelled' | 'withdrawn';
  /** The target holding the license the repair would adopt (`adopt-revoke`). */
  adoptedAt?: string;
}

/** A license a repair would end whose stored license, at the version the check saw, is corrupt. */
export interface CorruptStoredText {
  licenseId: string;
  version: number;
  sourceKey: string;
  /** What is wrong with the text (pipelines/reconcile/stored-text.ts), never a value of it. */
  problem: string;
}

export interface RepairVersionsInput {
  pipeline: string;
  runId: string;
  actor: string;
  versions: readonly RepairVersionInput[];
  /** Quarantined `LB_VERSION_LIMIT` in the repair's run (ledger/version-limit.ts). */
  unended?: readonly UnendedAtVersionLimit[];
  /** Quarantined `LB_STORED_TEXT` in the repair's run (ledger/repair-quarantine.ts). */
  corrupt?: readonly CorruptStoredText[];
}

export interface StoredReport {
  reportId: string;
  pipeline: string;
  mode: string;
  differences: number;
  summary: Record<string, unknown>;
  report: Record<string, unknown>;
  createdAt: Date;
}

export type { CreatedVersion };
