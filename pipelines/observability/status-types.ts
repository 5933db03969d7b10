/** The shape of what `licbridge status` reports, and the options it is collected with. */
import type { Checkpoint } from '../../connectors/source.js';
import type { RunAbsentElements } from '../../ledger/ledger.js';
import type { DeliveryCount } from '../../ledger/status-queries.js';
import type { DeadlineStatus } from '../lifecycle/deadlines.js';
import type { AheadOfClockCount } from './ahead-of-clock.js';
import type { AttentionKind, CertificateStatus } from './attention.js';
import type { SourceLag } from './lag.js';
import type { NextRun, QueueStats } from './queue-stats.js';

export interface TargetDeliveryStatus {
  delivered: number;
  /** Open: `pending`, or `submitted` and awaiting the platform's verdict. */
  pending: number;
  /** Of `pending`, the deliveries a platform answered `submitted` and still reviews; absent when none. */
  inReview?: number;
  dead: number;
  /** Dead letters an operator discarded (`licbridge dlq discard`): ended, never delivered. */
  discarded: number;
}

/**
 * Where a run is: a run is `done` only once its versions are signed and its deliveries final;
 * `in-review` while all it has left is deliveries a platform answered `submitted` and still reviews.
 */
export type RunStage =
  | 'extracting'
  | 'signing'
  | 'delivering'
  | 'in-review'
  | 'done'
  | 'failed'
  | 'abandoned';

export interface PipelineStatus {
  pipeline: string;
  source: string;
  lastRun: null | {
    runId: string;
    mode: string;
    state: string;
    stage: RunStage;
    startedAt: string;
    finishedAt: string | null;
    read: number;
    created: number;
    unchanged: number;
    quarantined: number;
    /** Quarantined rows per reason code, most frequent first. */
    quarantineByReason: Record<string, number>;
    /** Export files read with elements the config names in none of their records; absent: none. */
    absentElements?: RunAbsentElements;
    error: string | null;
  };
  checkpoint: Checkpoint | null;
  /** Rows in the source after the checkpoint; null when not measured. */
  lag: SourceLag | { error: string } | null;
  /**
   * Rows of the stream whose date/time cursor lies ahead of the source database's clock, waiting
   * for their time, as the last run that read the stream to its end counted them (names and a
   * count, never a value); absent when none wait or none were counted (ahead-of-clock.ts).
   */
  aheadOfClock?: AheadOfClockCount;
  awaitingSignature: number;
  /** Per target: signed versions without a final delivery, whichever run made them. */
  awaitingDelivery: Record<string, number>;
  targets: Record<string, TargetDeliveryStatus>;
  nextRun: NextRun;
  /**
   * The run holding the pipeline (pipelines/pipeline-lease.ts): another is not started until it
   * lets go, or its lease runs out (`until`). Null when none holds it: a lease run out, of a run
   * that has ended, or of a process gone from this host holds nothing.
   */
  heldBy?: { runId: string; holder: string; startedAt: string; until: string } | null;
  /** The last scheduled firing skipped because another run held the pipeline; null when none was. */
  lastSkipped?: { at: string; runId: string; heldBy: string; skips: number } | null;
}

export interface StatusReport {
  generatedAt: string;
  pipelines: PipelineStatus[];
  queues: QueueStats[] | { error: string };
  sources: Record<string, { ok: true } | { ok: false; error: string }>;
  /** Seal certificates named in the config and when they expire. */
  certificates: CertificateStatus[];
  /** What needs a person, one sentence each; empty when all is well. */
  attention: string[];
  /** The same, counted by kind (every kind present). */
  attentionByKind: Record<AttentionKind, number>;
  /**
   * What is true and worth knowing but needs nobody, one sentence each (a renewed root in a CA
   * bundle before its start): printed, never counted in `attention`, for the exit code or /metrics.
   */
  information: string[];
  /** The rules' deadlines (docs/lifecycle.md); absent when the ledger cannot be read. */
  deadlines?: DeadlineStatus;
}

/** How long `status` waits for one source or for Redis by default, ms: a person is waiting for the answer. */
export const PROBE_TIMEOUT_MS = 5000;

export interface StatusOptions {
  /** Open each source to check it answers and measure the lag. @defaultValue true */
  probeSources?: boolean;
  /** Rows counted at most when measuring lag. @defaultValue `metrics.lagLimit` */
  lagLimit?: number;
  /** Time one probe (a source, the queues) may take, ms. @defaultValue {@link PROBE_TIMEOUT_MS} */
  timeoutMs?: number;
  now?: Date;
  /** Judge the deadlines as of this day, `YYYY-MM-DD` in `lifecycle.timeZone`. @defaultValue the day of `now` */
  today?: string;
  /**
   * Rows behind per pipeline as measured elsewhere (the lag probe of `licbridge serve`), used when
   * the sources are not probed here, so a schedule left behind is still noticed.
   */
  knownLag?: ReadonlyMap<string, number>;
  /**
   * Per pipeline, why that measurement last failed (its source could not be read): said as the
   * source being unreachable, as a probe here would.
   */
  knownLagErrors?: ReadonlyMap<string, string>;
  /**
   * License types with a face template, as read from the catalog by a caller that keeps them
   * (`licbridge serve`); read here when absent and a file store is configured.
   */
  faceTypes?: ReadonlySet<string>;
  /**
   * Read each last run's quarantine records for its breakdown by reason code. Off for a scrape of
   * `/metrics`, which exports only how many states need a person: the records of a run that
   * quarantined a large stock (millions of rows, each with its source key and reasons) were read
   * whole on every scrape. @defaultValue true
   */
  quarantineBreakdown?: boolean;
  /**
   * The ledger's deliveries by pipeline, target and state, as the caller has just read them (a
   * scrape of `/metrics`, which exports them too): a join of every delivery with its version, not
   * made twice a scrape. @defaultValue read here
   */
  deliveryCounts?: readonly DeliveryCount[];
}
