/** What a reconciliation finds and reports. */

/**
 * The kinds of difference, each defined once (docs/reconciliation.md):
 * - `missed`: a source row that maps to a valid license the ledger does not hold;
 * - `deleted-at-source`: a ledger license whose source row is gone (and the deletion policy has
 *   not been applied yet);
 * - `content-mismatch`: the ledger's content hash differs from the hash of the source row mapped
 *   now through the pipeline's mapping (trim and charset repair included, so padding is no difference);
 * - `unmappable`: a ledger license whose source row no longer maps (it would be quarantined);
 * - `missing-at-platform`: a ledger license the platform does not hold;
 * - `unknown-at-platform`: a license the platform holds, under this pipeline's type and issuer,
 *   that the ledger does not know, or knows only under a pipeline not in the config;
 * - `status-drift`: the platform's status of a license differs from the ledger's latest;
 * - `platform-content-mismatch`: same status, but the content the platform holds hashes differently,
 *   or it holds another version than the ledger's latest (the hash leaves the identifier out);
 * - `unreadable-at-platform`: an entry of the platform's listing (or its answer for a ledger
 *   license) that cannot be read back into a license, so it cannot be compared: the platform holds
 *   something under this pipeline's type and issuer (or names no license at all), changed or made
 *   outside licbridge.
 */
export const DIFFERENCE_KINDS = [
  'missed',
  'deleted-at-source',
  'content-mismatch',
  'unmappable',
  'missing-at-platform',
  'unknown-at-platform',
  'status-drift',
  'platform-content-mismatch',
  'unreadable-at-platform',
] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

export interface Difference {
  kind: DifferenceKind;
  licenseId: string;
  sourceKey: string | null;
  /** The target, for platform-side kinds. */
  target: string | null;
  /** Ledger side: latest version, its id, status and content hash (when the ledger holds it). */
  ledger: { version: number; versionId: number; status: string; contentHash: string } | null;
  /** Platform side (platform kinds), as the platform reports it. */
  platform: { version: number; status: string; contentHash: string | null; platformId: string | null } | null;
  /**
   * `unreadable-at-platform`: why the entry cannot be read (fields named, never values) and its
   * 1-based place in the listing. `licenseId` is `''` when the entry names no license.
   */
  unreadable?: { reason: string; position?: number };
  /**
   * `unknown-at-platform`: the ledger holds the license under a pipeline that is not in the config
   * (renamed, which renames its serials, or removed), or under one whose targets no longer hold this
   * platform, so no check compares it. A repair only flags it.
   */
  outsideConfig?: true;
  /**
   * `unknown-at-platform`: the license of a source row the same check found, that does not map now
   * (it is quarantined): the business system still holds its record, the ledger lacks its license.
   * A repair only flags it, as it does the license of a row found `missed`.
   */
  ofQuarantinedRow?: true;
  /**
   * Source-side kinds shown in the sample: the compared targets where the license's latest version
   * awaits delivery (awaiting-delivery.ts), so the platform does not hold it yet. Elsewhere a
   * target with no difference of the license holds its latest version, and the reports say so.
   */
  awaitingAt?: string[];
}

/** A difference shown in a report: masked, never a name or ID number in clear. */
export interface ShownDifference extends Difference {
  number: string | null;
  holderName: string | null;
  holderId: string | null;
}

export interface SideCounts {
  total: number;
  byStatus: Record<string, number>;
  /**
   * A target's: licenses whose latest version licbridge has not delivered there yet (no delivery
   * made, or one still pending) and the platform does not hold. Not differences: the queued delivery
   * or the next run sends them (see awaiting-delivery.ts).
   */
  awaitingDelivery?: number;
}

/** Counts of a side that holds licenses of this pipeline: also per area (division code, GB/T 2260). */
export interface AreaCounts extends SideCounts {
  byArea: Record<string, number>;
}

/**
 * The source's counts: the rows that do not map beside the licenses, the rows waiting ahead of the
 * clock, and (a full check with derived expiry) the licenses whose validity ended since the last lifecycle tick that the ledger holds
 * `valid` until the next tick expires them: no difference, nothing to repair.
 */
export interface SourceCounts extends AreaCounts {
  quarantined: number;
  awaitingTick?: number;
  /**
   * Source rows without a license that the stream leaves for their time, their cursor ahead of the
   * source database's clock (a 9999-12-31 placeholder, a mistyped year): no run reads them until
   * it comes, so they are not `missed` and a repair cannot help (`licbridge status` names them,
   * `source-ahead-of-clock`).
   */
  aheadOfClock?: number;
  /**
   * Licenses whose source row changed and moved its cursor ahead of the source database's clock:
   * the row differs from the license (`content-mismatch`, or `unmappable` for a row that no longer
   * maps), but no run reads the change until its time comes, nor would a repair's re-read. Counted
   * apart, not as differences (`licbridge status` names the rows, `source-ahead-of-clock`).
   */
  changedAheadOfClock?: number;
  /**
   * Light check: the stand-in keys of rows without a key (LB_SOURCE_KEY_MISSING), open on the
   * worklist, that no row of the source's whole key set gives any more — the key filled in, or the
   * row changed, moved ahead of the clock or left the view (stand-ins-gone.ts). Keys, not records: a key read by two runs holds two. Information only:
   * they stay open until a person closes them (`licbridge quarantine resolve`). Absent when none.
   */
  standInsNotSeen?: number;
}

/** Progress of a long check, for a caller to show (nothing is printed inside pipelines/). */
export interface ReconcileProgress {
  /** `source`: source rows mapped; `ledger`: ledger licenses read for counts; `platform`: licenses compared with a target. */
  phase: 'source' | 'ledger' | 'platform';
  done: number;
  /** Known for the drill-down (rows of the differing buckets) and the ledger read. */
  total?: number;
  target?: string;
}

export interface ReconcileReport {
  reportId: string;
  pipeline: string;
  mode: 'full' | 'light';
  licenseType: string;
  startedAt: string;
  finishedAt: string;
  counts: {
    source: SourceCounts;
    ledger: AreaCounts;
    targets: Record<string, SideCounts | { unavailable: string }>;
  };
  buckets: { total: number; differing: number };
  /** Differences per kind, every kind present (0 when none). */
  byKind: Record<DifferenceKind, number>;
  /** Differences per kind and target (platform kinds) or `source` (source/ledger kinds). */
  byKindAndSide: Record<string, number>;
  differences: number;
  /** The first differing licenses (up to `reconcile.sample`), masked. */
  sample: ShownDifference[];
  /** Every difference, unmasked ids only (no personal data): the input of a repair plan. */
  all: Difference[];
  /**
   * Set when the source holds far fewer keys than the ledger has licenses: more than
   * `reconcile.maxRepairShare` of them look deleted at the source. An emptied table or view, or
   * a folder of exports moved away, looks like this: a person checks the source before any repair.
   */
  sourceShrunk?: { sourceKeys: number; ledgerLicenses: number; deleted: number; share: number };
  /**
   * Light check: the stand-in keys counted in `counts.source.standInsNotSeen`, sorted, the first
   * 100 of them (stand-ins-gone.ts `STAND_INS_LISTED`): a key column's name and a hash of the row,
   * or an export file's name and a record's index, never a value of the row. Absent when none.
   */
  standInsNotSeen?: string[];
}
