/**
 * How `licbridge run` starts (pipelines/run-pipelines.ts): every part of its pipelines opened,
 * the configuration recorded when it changed, the pipelines leased, earlier runs whose process or
 * extract job is gone closed, in-process workers started, each run recorded with its extract job
 * queued and what earlier runs left queued beside it, and the heartbeat that keeps the runs and
 * their leases. What it takes up is noted in {@link RunHold} as it goes, so that a start that
 * fails part way lets go of what it had (run-end.ts).
 */
import { randomUUID } from 'node:crypto';
import { sealIdOf } from '../config/seal-id.js';
import type { Config } from '../config/types.js';
import { answeredWithin } from '../core/within.js';
import type { Ledger, PipelineBacklog } from '../ledger/ledger.js';
import { recordConfigChange } from './config-audit.js';
import { HeardFailures } from './heard-failures.js';
import { IDLE_TIMEOUT_MS } from './idle-rule.js';
import { enqueueExtract } from './jobs.js';
import { holdPipelines } from './pipeline-lease.js';
import type { QueueSet } from './queues.js';
import type { RedisConnectionOptions } from './redis.js';
import { beatForRuns } from './run-heartbeat.js';
import type { RunOptions } from './run-pipelines.js';
import { markAbandoned } from './run-recovery.js';
import { throwIfStopped } from './run-stop.js';
import type { Runtime } from './runtime.js';
import { recoverPipeline } from './sweep.js';
import { startWorkers, type WorkerSet } from './workers.js';

/** A run of `licbridge run`: its pipeline and the run id the ledger knows it by. */
export interface PlannedRun {
  pipeline: string;
  runId: string;
}

/** What the start has taken up so far; the end lets go of it however far the start got. */
export interface RunHold {
  /** This process, as the runs and leases name it. */
  readonly owner: string;
  /** The runs, once their pipelines are leased; empty before. */
  runs: PlannedRun[];
  /** The ledger and the runs whose pipelines it leased to this process. */
  leased?: { ledger: Ledger; runs: readonly PlannedRun[] };
  workers?: WorkerSet;
  stopHeartbeat?: () => void;
}

/** What the poll loop needs of a run started (run-watch.ts). */
export interface StartedRuns {
  ledger: Ledger;
  runs: readonly PlannedRun[];
  /** Failures the in-process workers heard of, by run. */
  failures: HeardFailures;
  sealOf(pipeline: string): string;
  backlogOf(pipeline: string): Promise<PipelineBacklog>;
  /** Per pipeline, what earlier runs had left as this run started. */
  recovered: ReadonlyMap<string, PipelineBacklog>;
}

/** Starts the runs of `options.pipelines`, noting in `hold` what it takes up. */
export async function startRuns(
  config: Readonly<Config>,
  rt: Runtime,
  queues: QueueSet,
  connection: RedisConnectionOptions,
  options: RunOptions,
  hold: RunHold,
): Promise<StartedRuns> {
  const log = options.logger;
  const owner = hold.owner;
  const ledger = await rt.ledger();
  // Open every part first: a bad key, mapping or source fails here, before anything is queued.
  // The stop is heard before each: a source slow to connect may outlast its bound, and a part
  // opened after the stop let go of the runtime would stay open.
  for (const p of options.pipelines) {
    throwIfStopped(options.stop, []);
    await rt.pipeline(p);
  }
  // The catalog and mappings as compiled above, not read again: one saved since is recorded as
  // the run uses it, as opening each pipeline recorded it.
  await recordConfigChange(config, ledger.configChanges, log, rt.heldParts());
  const planned = options.pipelines.map((pipeline) => ({ pipeline, runId: randomUUID() }));
  throwIfStopped(options.stop, []);
  // One run of a pipeline at a time (pipeline-lease.ts): one held by another run starts nothing.
  await holdPipelines(ledger, planned, owner);
  hold.leased = { ledger, runs: planned };
  hold.runs = planned;
  const runs = planned;
  // One beat at a time, as a scheduled run's lease is kept (run-heartbeat.ts), from the moment the
  // leases are taken: each step below may wait on Redis or the ledger up to the idle timeout, and a
  // start longer than a lease (PIPELINE_LEASE_MS) once let them run out under it, for another run
  // to take the pipeline, while the runs it had started looked abandoned to other processes. A
  // run's beat is a no-op until the run is recorded. It renews the leases past the runs' end (a run
  // is `done` once its last version is delivered) until the end lets them go (run-end.ts): the
  // pipelines stay held while the queues are emptied and the light check reads the source, which
  // another run's extraction would make report rows `missed`.
  hold.stopHeartbeat = beatForRuns(ledger, {
    owner,
    runs: () => runs.map((r) => r.runId),
    leases: runs,
    logger: log,
    say: {
      lost: 'run: another run took the pipeline over (this run renewed it too late)',
      failed: 'run: heartbeat not recorded',
    },
  });
  throwIfStopped(options.stop, runs);
  // Each step on Redis is bounded by the idle timeout, as a sweep is (run-watch.ts): BullMQ's
  // commands wait for an answer without a bound, and a Redis that took them and stopped answering
  // held an unattended run (no stop comes) at its start for good, its pipelines leased.
  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  await answeredWithin(
    markAbandoned(rt, ledger, queues, runs, log),
    idleTimeoutMs,
    'run: looking for runs left by a dead process',
    'Redis or the ledger',
  );
  // Heard again after each step that waits on Redis or the ledger: one that outlasted the stop's
  // bound was left behind by it (unlessStuckAfterStop), and must start nothing once it ends.
  throwIfStopped(options.stop, runs);
  const failures = new HeardFailures();
  if (options.workInProcess !== false) {
    const workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues });
    hold.workers = workers;
    workers.events.on('runFailed', (runId: string, message: string) => failures.add(runId, message));
  }
  const sealOf = (pipeline: string) => sealIdOf(config, rt.pipelineConfig(pipeline));
  const backlogOf = (pipeline: string) =>
    ledger.pipelineBacklog(pipeline, sealOf(pipeline), rt.pipelineConfig(pipeline).targets);

  const recovered = new Map<string, PipelineBacklog>();
  for (const r of runs) {
    throwIfStopped(options.stop, runs);
    recovered.set(r.pipeline, await backlogOf(r.pipeline));
    throwIfStopped(options.stop, runs);
    await ledger.startRun({
      runId: r.runId,
      pipeline: r.pipeline,
      mode: options.full ? 'full' : 'incremental',
      owner,
    });
    throwIfStopped(options.stop, runs);
    await answeredWithin(
      enqueueExtract(queues, { pipeline: r.pipeline, runId: r.runId, full: options.full }),
      idleTimeoutMs,
      'run: queuing its extract job',
    );
    // What earlier runs left is queued now, beside this run's own work: only what no job holds.
    // Their jobs still queued (a run ended in-review asking the platform, a sign job waiting out
    // Retry-After) do their own work; unlike a sweep, the start waits for no delayed sign job.
    throwIfStopped(options.stop, runs);
    if (owes(recovered.get(r.pipeline)))
      await answeredWithin(
        recoverPipeline(rt, queues, r.pipeline, r.runId, `${r.runId}-recover`, { leaveHeld: true }),
        idleTimeoutMs,
        'run: queuing what earlier runs left',
        'Redis or the ledger',
      );
  }
  throwIfStopped(options.stop, runs);
  return { ledger, runs, failures, sealOf, backlogOf, recovered };
}

/** Whether a backlog owes work: versions unsigned, or signed ones without a final delivery at a target. */
export function owes(b: PipelineBacklog | undefined): boolean {
  return b !== undefined && (b.unsigned > 0 || Object.values(b.undelivered).some((n) => n > 0));
}
