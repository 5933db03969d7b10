/**
 * License versions in the ledger (ledger/commit-page.ts, ledger/predecessors.ts): what a page
 * brings to commit, what the commit made of it, versions read back, and the port over them.
 */
import type { HolderContact } from '../catalog/holder-contact.js';
import type { License, LicenseOperation, LicenseStatus, Lineage } from '../catalog/license.js';
import type { Checkpoint } from '../core/checkpoint.js';
import type { SUCCESSOR_OPERATIONS } from '../core/code-lists.js';
import type { PredecessorLookup } from './predecessors.js';
import type { AbsentElementsInFile } from './run-absent-elements.js';
import type { QuarantinedStoredText, StageStoredTextInput } from './stored-text-quarantine.js';

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

/**
 * A connector-state entry the page's commit moves from `from` (null: none yet) to `to`, and only
 * from it (ledger/state-guard.ts).
 */
export interface StateGuard {
  source: string;
  scope: string;
  key: string;
  from: string | null;
  to: string;
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
  /** A page that leaves the checkpoint where it is commits only by moving this entry. */
  guard?: StateGuard;
  rowsRead: number;
  /** The source's key column(s), named in reasons (ledger/nul-text.ts). Absent: "the key". */
  keyName?: string;
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
   * The commit asks `today` with the ledger's time (ledger/db-clock.ts), by which the tick tells its
   * day too: the reading host's clock may be minutes behind the ticking host's at midnight. A
   * `today` that follows the time it is given (pipelines/lifecycle/settings.ts `lifecycleToday`)
   * maps the page again on the ledger's day.
   */
  mappedOn?: { day: string; today: (ledgerNow?: Date) => string };
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

export interface VersionPageQuery {
  afterVersionId: number;
  limit: number;
  pipeline?: string;
  licenseIds?: readonly string[];
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
  /**
   * Quarantines `LB_STORED_TEXT`, in the job's run, versions a sign or deliver job could not sign
   * or send as their stored text is corrupt, audited as `quarantine` (ledger/stored-text-quarantine.ts).
   */
  quarantineStoredText(input: StageStoredTextInput): Promise<QuarantinedStoredText[]>;
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
