/**
 * The target (platform) adapter contract: deliver a batch, get one outcome per license.
 */
import type { License, LicenseOperation } from '../../catalog/license.js';
import type { AttemptReason } from '../../core/attempt-reasons.js';
import type { UnreadableReason } from './unreadable-reasons.js';

export interface DeliveryItem {
  /** `<licenseId>:<version>:<target>` — sent as the platform's idempotency key. */
  key: string;
  licenseId: string;
  version: number;
  operation: LicenseOperation;
  license: License;
  signature: DeliveredSignature;
  /**
   * The version's sealed license file, for a target that takes files (`licenseFiles` below):
   * checked in the file store against the SM3 and size the ledger holds before it is here, and
   * read by the target for the request that carries it.
   */
  file?: DeliveryFile;
}

/** A version's signature as a platform receives it. */
export interface DeliveredSignature {
  /** Algorithm OID (sm2sign-with-sm3 `1.2.156.10197.1.501`). */
  algorithm: string;
  /** DER signature, base64. */
  value: string;
  /** Hex e = SM3(Z ‖ M). */
  digest: string;
  sealId: string;
  /**
   * The SM2 distinguishing id Z was computed over, present only when it is not GM/T 0009's default
   * `1234567812345678`: a verifier takes the default when no id was agreed (GB/T 35276), and one
   * other id verifies nothing unless the platform is told it.
   */
  distId?: string;
}

export interface DeliveryFile {
  /** File name the platform sees: `<licenseId>-<version>.ofd`. */
  name: string;
  /** Hex SM3 of its bytes, equal to the ledger's. */
  sm3: string;
  /** Its bytes' length, equal to the ledger's. */
  size: number;
  /**
   * Its bytes, read again and checked against `sm3` and `size` (a failure when the file changed
   * or went since: retryable, the next try's check dead-letters it). A target reads only the files
   * of the request it sends: read for a whole delivery up front, its files were all held at once
   * (100 of `licenseFiles.maxBytes`, up to 6.4 GB), not one request's `maxBatchBytes`.
   */
  read(): Promise<Buffer>;
}

/** How a target takes license files; absent on a target that takes none. */
export interface TargetFileRule {
  /** Largest file it takes, bytes: a larger one is dead-lettered, never sent. */
  maxBytes: number;
  /** A version with no file yet: sent without one, or held until one is issued. */
  whenMissing: 'send-without' | 'wait';
}

export type DeliveryState = 'accepted' | 'submitted' | 'rejected' | 'failed';

export interface DeliveryOutcome {
  key: string;
  state: DeliveryState;
  /** The platform's own id for the license, when it returns one. */
  platformId?: string;
  reasons?: string[];
  /** For `failed`: whether trying again may succeed. */
  retryable?: boolean;
  /**
   * For `failed`: what kind of failure it is, as the audit chain records the attempt
   * (core/attempt-reasons.ts), set where the outcome is made and from what failed it (an error's
   * fields, shared/failure-kind.ts), never from `reasons`' words. Absent, the deliver stage reads
   * the kind from the words (pipelines/stages/deliver-attempt-reasons.ts).
   */
  failure?: AttemptReason;
  /**
   * For `failed`: how long the platform asked every caller to wait (Retry-After of a 429 or 503,
   * ms), when the request that failed it was answered so after others of the same call were not.
   */
  retryAfterMs?: number;
  /**
   * For `failed`: the request that was to carry it (a batch, a status request) never left this
   * host (a wait the platform asked for held it back, an earlier request of the call failed and
   * sending stopped, or its own part of the request could not be built). Nothing reached the
   * platform: a retryable one is no attempt, neither counted nor audited as tried
   * (pipelines/stages/deliver.ts). A final one is dead-lettered as a refusal before sending is (a
   * corrupt stored text, a file refused): its dead letter counts the one attempt every dead letter
   * counts and is audited `dead-letter`, not `deliver-attempt` (ledger/delivery-outcomes.ts); a
   * replay reads only the attempts past that one as sends that may have landed
   * (ledger/dead-letters.ts unsureLease).
   */
  unsent?: true;
  /**
   * For `failed`: the fault that failed it, where it is one of no known kind (a license's part of a
   * request that could not be built: shared/request-not-built.ts). The deliver stage logs it, masked
   * as any logged error is; it is never stored, as its text may quote the license.
   */
  cause?: unknown;
  receipt?: Record<string, unknown>;
  /** From `poll` only: the platform could not be asked about this key (the request failed). */
  unverified?: boolean;
}

/** What a platform says it holds for one license (its current version). */
export interface PlatformRecord {
  licenseId: string;
  identifier: string;
  version: number;
  /** Canonical status, mapped back from the platform's code list. */
  status: string;
  platformId: string | null;
  /** The delivery key the platform last accepted for this license, when it echoes it. */
  key?: string;
  /** SM3 hex of the canonical form the platform holds, when licbridge can compute it from the answer. */
  contentHash?: string;
  /**
   * The license as the platform holds it, mapped back to canonical form. `lookup` carries it
   * whenever the platform's answer holds the license: a repair adopting a license the ledger does
   * not know (policy `revoke`) builds the revocation from it, and flags the license instead when
   * it is absent. The target conformance suite checks it.
   */
  license?: License;
  /**
   * Set when the platform's entry cannot be read back into a license (no version number, no
   * license id, content that cannot be hashed): the record then says only which license it names
   * (`licenseId`, `''` when none) and where it came in the listing (1-based `position`), with
   * `version`, `status` and `identifier` empty. Reconciliation reports it (`unreadable-at-platform`).
   */
  unreadable?: {
    /** In the words of ./unreadable-reasons.ts, which the Chinese reports translate. */
    reason: UnreadableReason;
    position?: number;
    /**
     * The license id was read from the entry's license (`zzbs`), not from the `licenseId` the
     * listing is ordered by: the entry's place in the listing says nothing of that id's order.
     */
    namedByContent?: true;
  };
}

/** A delivery the platform answered `submitted`: accepted for checking, final state later. */
export interface SubmittedDelivery {
  key: string;
  platformId: string | null;
  receipt: Record<string, unknown> | null;
}

export interface TargetAdapter {
  readonly name: string;
  readonly kind: string;
  /** Present when delivered versions carry their license files (pipelines/stages/deliver-files.ts). */
  readonly licenseFiles?: TargetFileRule;
  deliver(items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]>;
  /**
   * For platforms that accept first and validate later: the final state of deliveries answered
   * `submitted` (still `submitted` while the platform has not decided). Absent: `submitted` is final.
   */
  poll?(submitted: readonly SubmittedDelivery[]): Promise<DeliveryOutcome[]>;
  /** Looks up what the platform holds for these license ids (absent ids are simply missing). */
  lookup?(licenseIds: readonly string[]): Promise<PlatformRecord[]>;
  /** Lists everything the platform holds for this unit, in chunks, for reconciliation. */
  list?(options?: { chunkSize?: number; signal?: AbortSignal }): AsyncIterable<PlatformRecord[]>;
  /**
   * Time left, ms, of a wait the platform asked every caller for (Retry-After) while this process
   * sent to it; undefined when none (shared/send-pause.ts). The deliver stage claims and sends
   * nothing during it. Absent: a target whose platform never asks to wait (a front database).
   */
  waitLeft?(): number | undefined;
  close(): Promise<void>;
}
