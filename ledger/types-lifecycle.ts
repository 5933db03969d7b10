/**
 * The lifecycle clock, deadlines and objections in the ledger (ledger/lifecycle.ts,
 * ledger/deadlines.ts, ledger/objections.ts): the port over them and the inputs of a tick.
 */
import type { OverdueChanges } from './deadlines.js';
import type { ExpireDueInput, ExpiredPage, LifecycleWatermark } from './lifecycle.js';
import type {
  ObjectionQuery,
  OpenObjectionInput,
  ResolveObjectionInput,
  StoredObjection,
} from './objections.js';
import type { CreatedVersion } from './types-versions.js';

/** The question `overdueChanges` answers (ledger/deadlines.ts). */
export interface OverdueChangesQuery {
  pipeline: string;
  target: string;
  createdBefore: Date;
}

export interface BeginLifecycleTickInput {
  pipeline: string;
  day: string;
  runId: string;
  owner?: string;
}

export interface FinishLifecycleTickInput {
  pipeline: string;
  day: string;
  runId: string;
  expired: number;
}

/**
 * The lifecycle clock, deadlines and objections (ledger/lifecycle.ts, ledger/deadlines.ts,
 * ledger/objections.ts).
 */
export interface LifecycleLedger {
  /** Versions of a pipeline read before `createdBefore` that `target` has not accepted (art. 10). */
  overdueChanges(query: OverdueChangesQuery): Promise<OverdueChanges>;
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
  beginLifecycleTick(input: BeginLifecycleTickInput): Promise<void>;
  /** One transaction: up to `limit` licenses still `valid` with `validTo` before today get an `expire` version. */
  expireDue(input: ExpireDueInput): Promise<CreatedVersion[]>;
  /**
   * As `expireDue`, with the licenses the page set aside, their stored text corrupt
   * (`LB_STORED_TEXT`), and how many it read: fewer than `limit` means the day is done.
   */
  expireDuePage(input: ExpireDueInput): Promise<ExpiredPage>;
  /**
   * The tick of `day` finished: the watermark moves to it while that tick is the one under way.
   * `true` when it did; `false` when another tick took the watermark over (or the day was recorded).
   */
  finishLifecycleTick(input: FinishLifecycleTickInput): Promise<boolean>;
  /** How many licenses a tick of `today` would expire (the same indexed range). */
  countDueExpiries(pipeline: string, today: string): Promise<number>;
}
