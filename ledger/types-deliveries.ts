/**
 * Deliveries in the ledger (ledger/deliveries.ts, ledger/delivery-outcomes.ts,
 * ledger/delivery-order.ts, ledger/delivery-claims.ts, ledger/dead-letters.ts, ledger/backlog.ts):
 * delivery rows, their order and dead letters, and the port over them.
 */
import type { LicenseOperation } from '../catalog/license.js';
import type { AttemptFailure } from './audit-attempts.js';
import type { NewDeliveryLease } from './deliveries.js';
import type { DeliveryAsRead } from './delivery-claims.js';
import type { DeliveryOutcome } from './delivery-outcomes.js';

/** `discarded`: a dead letter an operator closed without sending (see ledger/dead-letters.ts). */
export type DeliveryRowState = 'pending' | 'submitted' | 'accepted' | 'rejected' | 'dead' | 'discarded';

export interface StoredDelivery {
  key: string;
  licenseId: string;
  version: number;
  versionId: number;
  target: string;
  state: DeliveryRowState;
  /** Tries since the delivery was made, or since a reopening or a replay put it back to `pending`. */
  attempts: number;
  /**
   * Writes of the row so far; it only grows, through reopenings and replays too (migration 041).
   * What a conditional outcome (`DeliveryOutcome.revision`) passes back as read.
   */
  revision: number;
  platformId: string | null;
  reasons: string[];
  receipt: Record<string, unknown> | null;
  /**
   * The last failure that left it open (a send's error, a status request's reason for a
   * `submitted` one), null when none: what says why it still waits.
   */
  lastError?: string | null;
  updatedAt: Date;
  /**
   * Set on a `pending` delivery whose sender's lease ran out before it recorded an answer or let
   * the row go: it died (or its ledger failed it) after it may have sent it, so the platform is asked
   * before it is sent again. Read by `ensureDeliveries` and `getDeliveries` only.
   */
  leaseLapsed?: true;
  /**
   * Set by `ensureDeliveries` with a lease on an open delivery (`pending`, or `rejected` from before
   * migration 049) another sender holds a live lease on: that sender may be sending it. A caller
   * that finds it so does not send it, even should the lease run out before its claim: the sender
   * may have died after sending it, and the platform is asked first (`leaseLapsed`) by whoever
   * reads it next.
   */
  leaseHeld?: true;
  /**
   * Set by `ensureDeliveries` with a lease on an open delivery whose lease ran out while it named
   * that lease's `owner`: the reader's own take died holding it (a poison job given up tells its own
   * dead takes' rows so: pipelines/workers/stalled-out.ts). `leaseLapsed` is set beside it as for any
   * run-out lease.
   */
  leaseLapsedOwn?: true;
  /**
   * Set by `ensureDeliveries` and `getDeliveries` on an open delivery (`pending`, or `rejected` from
   * before migration 049): its lease as read, whoever held it or nobody. A claim given the row as
   * read takes a run-out lease only while it is still this one (delivery-claims.ts): one another
   * sender took after the read may have been sent by it. Never logged: it names the job that held it.
   */
  leaseAsRead?: LeaseAsRead;
}

/**
 * A delivery's lease exactly as read: its `claim_owner` and its `claimed_until` in a text that
 * casts back to the very value stored (microseconds on PostgreSQL, the stored text on SQLite), null
 * where the column was. Compared by a claim, never shown.
 */
export interface LeaseAsRead {
  owner: string | null;
  until: string | null;
}

/** Signed versions of a pipeline still owed to a target (ledger/backlog.ts). */
export interface UndeliveredQuery {
  pipeline: string;
  sealId: string;
  target: string;
  limit: number;
}

export interface OverdueDeliveries {
  pipeline: string;
  target: string;
  count: number;
  oldest: Date;
}

/** Submitted deliveries of a pipeline to a target whose status checks fail (ledger/delivery-checks.ts). */
export interface FailingStatusChecks {
  pipeline: string;
  target: string;
  count: number;
  /** The newest failure's reason, as stored (an adapter's text, personal values masked). */
  lastError: string;
  /** When it was recorded. */
  latest: Date;
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
  /**
   * Only those past this one in the list's order (target, license, version): the next page of a
   * walk through the list, so dead letters a replay leaves dead do not hide the ones after them.
   */
  after?: Pick<DeadLetter, 'target' | 'licenseId' | 'version'>;
  /** @defaultValue 1000 */
  limit?: number;
  /** @defaultValue `dead` */
  state?: 'dead' | 'discarded';
}

/**
 * Deliveries, their order, leases and dead letters (ledger/deliveries.ts, ledger/delivery-
 * outcomes.ts, ledger/delivery-order.ts, ledger/delivery-claims.ts, ledger/dead-letters.ts).
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
    lease?: NewDeliveryLease,
  ): Promise<StoredDelivery[]>;
  getDeliveries(keys: readonly string[]): Promise<StoredDelivery[]>;
  /**
   * Records outcomes (ledger/delivery-outcomes.ts); returns the keys of the rows it changed: an
   * outcome's `from` or `attempts` condition, or an accepted row, may leave one as it is.
   */
  recordDeliveryOutcomes(outcomes: readonly DeliveryOutcome[]): Promise<string[]>;
  /**
   * Counts a failed attempt without changing the state, audited as `deliver-attempt` with the
   * caller's reason code (ledger/audit-attempts.ts). With `onlyIf`, only rows still in that
   * state: a status request's failure says nothing of a delivery another check decided meanwhile.
   */
  recordDeliveryAttempt(
    keys: readonly string[],
    failure: AttemptFailure,
    onlyIf?: 'submitted',
  ): Promise<void>;
  /** For each version after the first: its predecessor's delivery state at `target`. */
  deliveryPredecessors(versionIds: readonly number[], target: string): Promise<DeliveryPredecessor[]>;
  /** Each version's delivery state at `target` (`null` where none exists yet). */
  deliveryStates(versionIds: readonly number[], target: string): Promise<VersionDeliveryState[]>;
  /** Dead (or discarded) deliveries, oldest version first per license. */
  listDeadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]>;
  /**
   * Dead → `pending`, logged; returns the rows moved (the caller enqueues them). Audited as the
   * operator's act, or `actor`'s when given (licbridge's own: pipelines/held-replay.ts). Given as
   * letters read (a caller that checked them), each moves only if still as read (its `revision`).
   */
  replayDeadLetters(
    keys: readonly string[] | readonly DeadLetter[],
    note?: string,
    actor?: string,
  ): Promise<DeadLetter[]>;
  /**
   * Dead letters at `target` of the versions right after `versionIds`: a license's next version, a
   * first version continuing one of them (ledger/dead-successors.ts).
   */
  deadSuccessors(versionIds: readonly number[], target: string): Promise<DeadLetter[]>;
  /** Dead → `discarded`, logged; returns the rows moved. */
  discardDeadLetters(keys: readonly string[], note?: string): Promise<DeadLetter[]>;
  /**
   * Leases open deliveries to `owner` until `leaseMs` from now at least (a lease it holds for that
   * long already is left as it is); returns the keys it now holds (ledger/delivery-claims.ts). With
   * `asRead`, what the sender read of them: one another sender took or wrote since is not leased.
   */
  claimDeliveries(
    keys: readonly string[],
    owner: string,
    leaseMs: number,
    asRead?: readonly DeliveryAsRead[],
  ): Promise<string[]>;
  /** Ends `owner`'s leases on these keys. */
  releaseDeliveries(keys: readonly string[], owner: string): Promise<void>;
  /** Signed versions whose delivery to `target` is missing or open and not leased now, oldest first. */
  undeliveredVersionIds(options: UndeliveredQuery): Promise<number[]>;
  /**
   * Open (`pending`, `submitted`) deliveries to `target` open since before `before` (since written,
   * or since their latest replay: ledger/backlog.ts), per pipeline.
   */
  overdueDeliveries(target: string, before: Date): Promise<OverdueDeliveries[]>;
  /** Submitted deliveries to `target` whose last status check failed, per pipeline, the newest reason with each. */
  failingStatusChecks(target: string): Promise<FailingStatusChecks[]>;
}
