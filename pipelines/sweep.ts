/**
 * Recovers work the queue lost or a dead process left. Redis is not the record: a Redis restarted
 * without persistence forgets jobs, a killed `run` leaves versions unsigned and deliveries never
 * made, and a dead worker holds its jobs until their lock runs out — while the ledger still knows
 * what each version needs. The sweep reads that from the ledger, for the whole pipeline whichever
 * run created the work, and enqueues it again under fresh job ids (the stable ids of lost jobs may
 * still sit among completed ones). Re-sending is safe: the stages skip what is done, deliveries are
 * leased, and each carries its idempotency key.
 */

import type { Queue } from 'bullmq';
import { sealIdOf } from '../config/seal-id.js';
import type { PipelineBacklog } from '../ledger/ledger.js';
import { callDeliverQueue } from './call-deliver-queue.js';
import { enqueueDeliver, enqueueExtract, enqueueSign, JOB_BATCH } from './jobs.js';
import { jobData, unfinishedJobs } from './queue-scan.js';
import type { QueueSet } from './queues.js';
import { ownExtractJobUnfinished, runsWithExtractJob } from './run-liveness.js';
import type { Runtime } from './runtime.js';

/**
 * When `licbridge run` sweeps, and when it gives up. Two clocks: progress (the run's counts moved)
 * and the last sweep. A sweep is due once nothing has progressed for `sweepAfterMs` and the last
 * sweep is as old. The run gives up once nothing has progressed for `idleTimeoutMs` and the last
 * sweep had `sweepAfterMs` to show an effect.
 *
 * A sweep that re-enqueues work is not progress. If it were, work that nobody finishes (workers
 * stuck after Redis came back empty, no `licbridge worker` running) would be re-enqueued under
 * fresh ids every few seconds, each time restarting the idle clock: the run would never end.
 */
export class SweepSchedule {
  readonly #sweepAfterMs: number;
  readonly #idleTimeoutMs: number;
  readonly #now: () => number;
  #lastProgress: number;
  #lastSweep: number;
  #lastAdded: number;

  constructor(options: { sweepAfterMs: number; idleTimeoutMs: number; now?: () => number }) {
    this.#sweepAfterMs = options.sweepAfterMs;
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#now = options.now ?? Date.now;
    this.#lastProgress = this.#now();
    this.#lastSweep = this.#lastProgress;
    this.#lastAdded = this.#lastProgress;
  }

  /** The run's counts changed. */
  progressed(): void {
    this.#lastProgress = this.#now();
  }

  /** A sweep was made; `added` jobs were enqueued by it. */
  swept(added: number): void {
    this.#lastSweep = this.#now();
    if (added > 0) this.#lastAdded = this.#lastSweep;
  }

  /** How long neither progress nor a sweep that re-enqueued work happened, ms (a failed run waits that long). */
  quietMs(): number {
    return this.#now() - Math.max(this.#lastProgress, this.#lastAdded);
  }

  /** What the run loop does now. */
  next(): 'wait' | 'sweep' | 'give-up' {
    const now = this.#now();
    const swept = now - this.#lastSweep > this.#sweepAfterMs;
    if (now - this.#lastProgress > this.#idleTimeoutMs && swept) return 'give-up';
    return now - this.#lastProgress > this.#sweepAfterMs && swept ? 'sweep' : 'wait';
  }
}

/** Versions recovered per pipeline and stage in one sweep; the next sweep takes the rest. */
export const SWEEP_LIMIT = 100_000;

/**
 * Whether a queue has work of `pipeline` that is moving: its jobs waiting to be taken, or active
 * jobs of it whose worker still holds their lock. An active job whose lock ran out belongs to a
 * dead worker: it is not busy, only waiting for a stalled check to put it back. Queues are shared
 * by every pipeline (one sign queue, one deliver queue per target): another pipeline's jobs say
 * nothing of this one's, and a backfill of another pipeline kept its waiting jobs there for hours.
 */
export async function queueMoving(queue: Queue, pipeline: string): Promise<boolean> {
  if (await queueHoldsPipeline(queue, pipeline, ['prioritized', 'waiting', 'waiting-children'])) return true;
  return (await lockedActiveJobs(queue, pipeline)).locked > 0;
}

/** Active jobs of a queue (of `pipeline` only, when given), split by whether a live worker holds their lock. */
export async function lockedActiveJobs(
  queue: Queue,
  pipeline?: string,
): Promise<{ locked: number; orphaned: number }> {
  const ids: string[] = [];
  for await (const page of unfinishedJobs(queue, ['active'])) {
    for (const job of page)
      if (pipeline === undefined || jobData(job.data)?.pipeline === pipeline) ids.push(job.id);
  }
  if (ids.length === 0) return { locked: 0, orphaned: 0 };
  const client = await queue.getBackend().client;
  // BullMQ keeps a job's lock at `<job key>:lock` (the holder's token), set with the lock
  // duration and renewed by its worker: gone means the worker stopped renewing it.
  const held = await Promise.all(ids.map((id) => client.get(`${queue.toKey(id)}:lock`)));
  const locked = held.filter((token) => token !== null).length;
  return { locked, orphaned: ids.length - locked };
}

/** Whether any queue of the pipeline's stages has work of it moving (see `queueMoving`). */
export async function queuesMoving(
  queues: QueueSet,
  targets: readonly string[],
  pipeline: string,
): Promise<boolean> {
  const list = [queues.extract, queues.sign, ...targets.flatMap((t) => queues.deliver.get(t) ?? [])];
  for (const q of list) if (await queueMoving(q as Queue, pipeline)) return true;
  return false;
}

/**
 * Enqueues what the ledger shows a pipeline still owes: versions its seal has not signed, and
 * signed versions whose delivery to a target is missing, or open with no live lease. Jobs carry
 * `runId`, the run now responsible, so a failure for good fails that run. Returns the jobs added.
 *
 * `sweeping` (a sweep of a run waiting for its work): versions an unfinished sign job of the
 * pipeline holds are not queued for signing again, nor versions an unfinished deliver job of the
 * pipeline holds for that target; and unsigned versions are left alone while the
 * sign queue holds a delayed job of the pipeline, one waiting out a signing server's Retry-After
 * or its backoff: queued again, a fresh job asked the server in maintenance again at every sweep,
 * and was deferred in turn. Once that job has run, the next sweep queues what is still unsigned.
 *
 * `leaveHeld` (a lifecycle tick, queuing its new versions and what its pipeline owes; the start of
 * a `licbridge run` beside the jobs earlier runs left): versions an unfinished sign or deliver job
 * of the pipeline holds are not queued again, as for `sweeping`, but the others unsigned are queued
 * beside a delayed sign job, which holds only its own: left alone, the tick's new versions waited
 * for a later sweep, and the scheduled tick has none; what earlier runs left waited for the run's
 * extraction to end, and for a later run when that failed.
 *
 * `owed`: the pipeline's backlog as read just before (a run's poll). The unsigned versions are not
 * read when it shows none, nor the versions owed to a target it shows nothing owed: while a
 * platform reviews a run's last deliveries, a sweep is due every few seconds for minutes, and each
 * read again what the poll had just counted as nothing. What was owed since is found by the next.
 */
export async function recoverPipeline(
  rt: Runtime,
  queues: QueueSet,
  pipeline: string,
  runId: string,
  tag: string,
  options: { sweeping?: boolean; leaveHeld?: boolean; owed?: PipelineBacklog } = {},
): Promise<number> {
  const parts = rt.pipelineConfig(pipeline);
  const ledger = await rt.ledger();
  const sealId = sealIdOf(rt.config, parts);
  const leaveHeld = options.sweeping === true || options.leaveHeld === true;
  const unsignedLeft =
    options.owed?.unsigned === 0 ||
    (options.sweeping === true && (await queueHoldsPipeline(queues.sign as Queue, pipeline, ['delayed'])));
  const unsigned = unsignedLeft
    ? []
    : await ledger.unsignedVersionIds({ sealId, pipeline, limit: SWEEP_LIMIT });
  // A sweep comes after a spell where nothing moved, which a slow signer or platform makes too,
  // its jobs still queued: only what no unfinished job of the pipeline holds is queued again, not
  // another copy of the whole backlog at every sweep.
  const signQueued =
    leaveHeld && unsigned.length > 0
      ? await heldVersionIds(queues.sign as Queue, pipeline, unsigned)
      : undefined;
  const added = await enqueueSign(
    queues,
    { pipeline, runId, versionIds: signQueued ? unsigned.filter((id) => !signQueued.has(id)) : unsigned },
    { tag, chunk: JOB_BATCH },
  );
  const owedTo = options.owed?.undelivered;
  return (
    added +
    (await requeueUndelivered(
      rt,
      queues,
      { pipeline, runId, tag },
      async (_queue, target) => owedTo?.[target] !== 0,
      leaveHeld ? (deliver) => [deliver] : undefined,
    ))
  );
}

/**
 * Those of `owed` that the unfinished jobs of `pipeline` in `queue` hold (a sign or deliver job's
 * `versionIds`). Only those are kept, and the scan ends once every one is found: a queue holding
 * a backlog larger than one sweep's share (`SWEEP_LIMIT`) was read to its end at every sweep and a set
 * of all of it kept (1,000,000 versions in 2,000 jobs: 0.7-1 s and 40-70 MB a sweep; now ~0.2 s).
 */
export async function heldVersionIds(
  queue: Queue,
  pipeline: string,
  owed: readonly number[],
): Promise<Set<number>> {
  const wanted = new Set(owed);
  const held = new Set<number>();
  if (wanted.size === 0) return held;
  for await (const page of unfinishedJobs(queue)) {
    for (const job of page) {
      const data = jobData(job.data);
      if (data?.pipeline !== pipeline || !Array.isArray(data.versionIds)) continue;
      for (const id of data.versionIds) if (wanted.has(id)) held.add(id);
    }
    if (held.size === wanted.size) break;
  }
  return held;
}

/**
 * Those of `owed` that no unfinished job of `pipeline` in `holders` holds (see `heldVersionIds`),
 * the queues read in the order given, each for the versions the ones before did not find.
 */
export async function unheldVersionIds(
  holders: readonly Queue[],
  pipeline: string,
  owed: readonly number[],
): Promise<number[]> {
  let open = [...owed];
  for (const queue of holders) {
    if (open.length === 0) break;
    const held = await heldVersionIds(queue, pipeline, open);
    if (held.size > 0) open = open.filter((id) => !held.has(id));
  }
  return open;
}

/**
 * The queues whose unfinished jobs of a pipeline hold back a delivery to a target from a scheduled
 * run's recovery (`recoverUnqueuedDeliveries`), and from the `delivery-unqueued` note of `status`
 * (observability/unqueued-attention.ts), which names what that recovery would queue: the sign
 * queue (a sign job queues the deliveries of its versions when it is done), then the target's
 * deliver queue. In that order, so a sign job that ends between the two scans has queued its
 * deliveries by then and the deliver queue's scan after it finds them. Without a deliver queue
 * (one `status` does not list), the sign queue alone.
 */
export function deliveryHolders(queues: QueueSet, deliver: Queue | undefined): Queue[] {
  return deliver === undefined ? [queues.sign as Queue] : [queues.sign as Queue, deliver];
}

/**
 * Enqueues again, for each of the pipeline's targets `wanted` accepts, the signed versions whose
 * delivery is missing or open with no live lease; with `holders`, not those an unfinished job of
 * the pipeline in the queues it gives for the target's deliver queue holds. A target without a
 * queue in `queues` gets one for the call (see call-deliver-queue.ts).
 */
async function requeueUndelivered(
  rt: Runtime,
  queues: QueueSet,
  job: { pipeline: string; runId: string; tag: string },
  wanted: (queue: Queue, target: string) => Promise<boolean>,
  holders?: (deliver: Queue) => readonly Queue[],
): Promise<number> {
  const { pipeline, runId, tag } = job;
  const parts = rt.pipelineConfig(pipeline);
  const ledger = await rt.ledger();
  const sealId = sealIdOf(rt.config, parts);
  let added = 0;
  for (const target of parts.targets) {
    const { set, queue, close } = callDeliverQueue(queues, target);
    try {
      if (!(await wanted(queue as Queue, target))) continue;
      const owed = await ledger.undeliveredVersionIds({ pipeline, sealId, target, limit: SWEEP_LIMIT });
      const open = holders ? await unheldVersionIds(holders(queue as Queue), pipeline, owed) : owed;
      added += await enqueueDeliver(
        rt.config,
        set,
        target,
        { pipeline, runId, versionIds: open },
        { tag, chunk: JOB_BATCH },
      );
    } finally {
      await close();
    }
  }
  return added;
}

/**
 * Whether a queue holds a job of `pipeline` not finished: waiting (in a paused queue too),
 * delayed (a retry's backoff) or active; with `states`, in one of those. Queues are shared by every pipeline (one sign queue, one deliver queue per
 * target), so a job of another pipeline does not count.
 */
export async function queueHoldsPipeline(
  queue: Queue,
  pipeline: string,
  states?: Parameters<typeof unfinishedJobs>[1],
): Promise<boolean> {
  for await (const page of unfinishedJobs(queue, states)) {
    if (page.some((job) => jobData(job.data)?.pipeline === pipeline)) return true;
  }
  return false;
}

/**
 * A scheduled run's share of recovery in a deployment of `licbridge worker`s alone, where no
 * `licbridge run` sweeps: signed versions owed to a target that no unfinished job of the pipeline
 * holds — their jobs were removed, lost with a Redis that restarted without persistence, or failed
 * for good before recording a dead letter — are queued again. A version an unfinished deliver job
 * to the target holds, a retry waiting out its backoff included, is left to it, so a platform
 * outage does not gather a second chain of retries on every schedule; so is a version an
 * unfinished sign job holds, as that job queues its deliveries when it is done. Whole queues were
 * left alone before: one delayed retry, or one sign job waiting out a Retry-After, kept every other
 * owed version whose job was lost undelivered, schedule after schedule, for as long as it waited.
 * Jobs of other pipelines hold nothing back. Returns the jobs added.
 *
 * The jobs carry the new run's id; the run that left the versions is marked done by whichever
 * job finishes its last one (workers/complete-runs.ts).
 */
export async function recoverUnqueuedDeliveries(
  rt: Runtime,
  queues: QueueSet,
  pipeline: string,
  runId: string,
  tag: string,
): Promise<number> {
  return requeueUndelivered(
    rt,
    queues,
    { pipeline, runId, tag },
    async () => true,
    (deliver) => deliveryHolders(queues, deliver),
  );
}

/**
 * Enqueues the extract job of a run whose extraction has not finished, when no job of the pipeline
 * is moving in its stages' queues (other pipelines' jobs there do not count) and no unfinished
 * extract job works the run (its extract job went with the queue): it resumes from the checkpoint.
 * A full run's job stays full: one lost before its first page then reads from the start, where
 * an incremental job would read from the checkpoint the last run left at the stream's end, read
 * nothing, and end the run `done` without the re-read asked for (stages/extract.ts resumes a full
 * run that has read pages from the checkpoint).
 */
export async function recoverExtract(
  queues: QueueSet,
  run: { pipeline: string; runId: string; mode: string },
  targets: readonly string[],
  tag: string,
): Promise<number> {
  if (await queuesMoving(queues, targets, run.pipeline)) return 0;
  // Delayed (a retry's backoff while the source is away) is not moving, yet not gone: a copy
  // queued beside it at every sweep read the source again, many at once once it was back.
  const extract = queues.extract as Queue;
  if (
    (await runsWithExtractJob(extract)).has(run.runId) ||
    (await ownExtractJobUnfinished(extract, run.runId))
  )
    return 0;
  const full = run.mode === 'full';
  await enqueueExtract(queues, { pipeline: run.pipeline, runId: run.runId, full }, tag);
  return 1;
}
