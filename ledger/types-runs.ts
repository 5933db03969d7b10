/**
 * Runs and checkpoints in the ledger (ledger/runs.ts, ledger/backlog.ts): a run's counts and
 * state, what it and its pipeline still owe, and the port over them.
 */
import type { Checkpoint } from '../core/checkpoint.js';
import type { RunAbsentElements } from './run-absent-elements.js';
import type { QuarantineReason } from './types-versions.js';

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
  /**
   * The ledger's time when the run was read: its heartbeat is judged against this, not the
   * reader's host clock (ledger/db-clock.ts). Absent on a run not read from the ledger.
   */
  readAt?: Date;
}

/** A run as `finishRun` left it; `applied`: the outcome was recorded (the run was still `running`). */
export interface FinishedRun extends StoredRun {
  applied: boolean;
}

export interface StartRunInput {
  runId: string;
  pipeline: string;
  mode: 'incremental' | 'full';
  owner?: string;
}

/** How a run ended, as `finishRun` records it. */
export interface RunOutcome {
  state: 'done' | 'failed' | 'abandoned';
  error?: string;
  /**
   * The outcome instead when the run's extraction is over (`markExtracted`) as it is ended, judged
   * in the same statement: read before and decided after, an extract job marking the run extracted
   * in between was missed (a run given up ended `failed` with its licenses all in the ledger).
   */
  ifExtracted?: { state: 'done' | 'failed' | 'abandoned'; error?: string };
}

/** Work a pipeline still owes (ledger/backlog.ts). */
export interface PipelineBacklog {
  /** Versions without a signature by the pipeline's seal. */
  unsigned: number;
  /** Per target: signed versions without an accepted, dead-lettered or discarded delivery. */
  undelivered: Record<string, number>;
  /**
   * Per target: of those, the ones the platform answered `submitted` and still reviews, and the
   * ones held behind an earlier version of their license it still reviews (ledger/held-in-review.ts);
   * absent when there are none.
   */
  inReview?: Record<string, number>;
}

export interface RunProgress {
  created: number;
  signed: number;
  delivered: Record<string, number>;
  dead: Record<string, number>;
  /** Per target: dead letters an operator discarded (`dlq discard`); they end a version as `dead` does. */
  discarded: Record<string, number>;
  /**
   * Per target: deliveries the platform answered `submitted` and still reviews (no verdict yet),
   * and, once every version is signed, versions held behind an earlier version of their license it
   * still reviews (ledger/held-in-review.ts); absent when there are none.
   */
  inReview?: Record<string, number>;
}

/**
 * Runs and checkpoints (ledger/runs.ts, ledger/backlog.ts): a run from start to done, the
 * checkpoint a page commits, what a pipeline still owes.
 */
export interface RunLedger {
  startRun(input: StartRunInput): Promise<void>;
  finishRun(runId: string, outcome: RunOutcome): Promise<FinishedRun>;
  getRun(runId: string): Promise<StoredRun | null>;
  /** The pipeline's newest run of its source, not a lifecycle tick's (ledger/runs.ts). */
  lastRun(pipeline: string): Promise<StoredRun | null>;
  getCheckpoint(pipeline: string): Promise<Checkpoint | null>;
  resetCheckpoint(pipeline: string): Promise<void>;
  /** The extract stage of the run finished; the run stays `running` until its work is complete. */
  markExtracted(runId: string): Promise<void>;
  /**
   * Marks an extracted run `done` once its versions are signed and its deliveries final; whether it
   * is done (false when a failure was recorded meanwhile, even if its work is complete).
   */
  completeRun(runId: string, sealId: string, targets: readonly string[]): Promise<boolean>;
  /** The owner says it still drives these runs. */
  heartbeatRuns(runIds: readonly string[], owner: string): Promise<void>;
  /** The owner lets these `running` runs go: their jobs carry them from now on (runs.ts). */
  disownRuns(runIds: readonly string[], owner: string): Promise<void>;
  /** Runs in state `running`, oldest first. */
  runningRuns(): Promise<StoredRun[]>;
  /** What a pipeline still owes, whichever run created it (ledger/backlog.ts). */
  pipelineBacklog(pipeline: string, sealId: string, targets: readonly string[]): Promise<PipelineBacklog>;
  /** For a run: how many of its versions are signed, and delivered (`accepted`) per target. */
  runProgress(runId: string, sealId: string, targets: readonly string[]): Promise<RunProgress>;
  quarantineFor(runId: string): Promise<{ sourceKey: string; reasons: QuarantineReason[] }[]>;
}
