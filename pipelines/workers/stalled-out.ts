/**
 * A sign or deliver job BullMQ failed as "stalled more than allowable limit": its lock ran out
 * more than MAX_STALLED_COUNT times. That is a worker killed by the job each time (a poison job),
 * or a live worker starved of CPU past `queue.lockDurationMs` each time — and then its copies went
 * on and did, or are still doing, the work. Both stages are recoverable from the ledger and their
 * copies idempotent (a version signed once, a delivery leased and keyed), so a stall-out is not
 * the run's failure by itself:
 * - the ledger shows the job's work done (every version signed, or finally delivered to the
 *   target): nothing failed; a sign job's deliveries are queued, a deliver job's run (and the
 *   pipeline's other open runs) checked for completion, as their processors would have;
 * - otherwise the job is queued again under a fresh id, at most STALL_REQUEUES times;
 * - past that it is a poison job. A deliver job's open deliveries become dead letters naming the
 *   crash, as those of a job whose attempts ran out do, and its run ends as one with dead letters:
 *   left owed, each run of the pipeline queued them again, and the job killed up to 12 workers a
 *   run, run after run. `licbridge dlq replay` sends them again once the cause is found. A sign job
 *   has no dead letter to write: its run fails naming the stage and the job.
 */
import type { Job } from 'bullmq';
import { sealIdOf } from '../../config/seal-id.js';
import { ErrorCodes, errorLine, LicbridgeError } from '../../core/errors.js';
import { FINAL_DELIVERY_STATES } from '../../ledger/backlog.js';
import { deadLetterOpen } from '../delivery-policy.js';
import { deliverJobOptions } from '../jobs.js';
import type { DeliverJobData, QueueSet, SignJobData } from '../queues.js';
import type { Runtime } from '../runtime.js';
import { signedBy } from '../stages/deliver-items.js';
import { completeOpenRuns, warnCompletionFailed } from './complete-runs.js';
import { enqueueSignedDeliveries } from './deliver-enqueue.js';

/** Times a stalled-out job is queued again before it is given up (a deliver job's deliveries dead-lettered, a sign job's run failed): a poison job kills workers (STALL_REQUEUES + 1) × (MAX_STALLED_COUNT + 1) times. */
export const STALL_REQUEUES = 1;

/**
 * BullMQ's failedReason for a job stalled more than `maxStalledCount` times, and the one
 * ./stalled-scheduled.ts fails a scheduler's job with.
 */
export const STALLED_OUT = 'job stalled more than allowable limit';

/** Delivery states that end a delivery. */
const FINAL = new Set<string>(FINAL_DELIVERY_STATES);

/** A job's data once queued again after stalling out: how many times it has. */
export type Requeued<D> = D & { stalledOut?: number };

export function isStalledOut(error: Error): boolean {
  return error.message === STALLED_OUT;
}

export type StallOutcome =
  /** Its work is in the ledger: done, or (`deadLettered`) its open deliveries given up as dead letters. */
  | { kind: 'done'; deadLettered?: number }
  | { kind: 'requeued'; jobId: string }
  | { kind: 'failed'; message: string };

/** The id a job stalled out `times` times is queued again under: `<first job id>-stalled-<times>`. */
export function requeuedJobId(jobId: string, times: number): string {
  return `${jobId.replace(/-stalled-\d+$/, '')}-stalled-${times}`;
}

/** Why a job that stalled out once more than it may be queued again fails: by its ids alone. */
export function stallFailure(queue: string, jobId: string, times: number): string {
  return `${queue}: job ${jobId} stalled out${times > 1 ? ` ${times} times` : ''}: its worker stopped renewing its lock every time it took it (a worker the job kills, or one starved past queue.lockDurationMs)`;
}

/** A stalled-out job given up: a run's failure, or `lost` where no run is there to fail. */
export type GivenUp<K extends 'failed' | 'lost'> = { kind: K; message: string };

export interface StallRequeue<D extends object, K extends 'failed' | 'lost'> {
  /** The job's queue, as messages name it. */
  queue: string;
  /** The job that stalled out; a copy's data counts the times it did before (`stalledOut`). */
  job: { id?: string | undefined; data: D };
  /** The copy's data before its count is set. @defaultValue the job's own */
  data?: D;
  /** Adds the copy under `jobId` to the job's queue. */
  add(data: Requeued<D>, jobId: string): Promise<unknown>;
  /** Whether the job's queue keeps a job under `jobId`, in any state. @defaultValue none is */
  taken?(jobId: string): Promise<boolean>;
  /** How a job given up ends. */
  giveUp: K;
  /** What becomes of its work, said after why it was given up once its copies are used up. */
  exhausted: string;
  /** Likewise when its copy could not be added. @defaultValue nothing */
  addFailed?: string;
}

/** Ids past `<first job id>-stalled-<times>` tried for a copy before it is given up. */
export const REQUEUE_IDS = 100;

/**
 * The end every stall settlement shares: the job counted once more; past STALL_REQUEUES given up;
 * else queued again as `<first job id>-stalled-<times>`, or the next such id the queue does not
 * keep; a copy that cannot be added gives it up.
 */
export async function requeueStalled<D extends object, K extends 'failed' | 'lost'>(
  stall: StallRequeue<D, K>,
): Promise<{ kind: 'requeued'; jobId: string } | GivenUp<K>> {
  const { queue, job, giveUp } = stall;
  const jobId = job.id ?? '';
  const times = ((job.data as Requeued<D>).stalledOut ?? 0) + 1;
  if (times > STALL_REQUEUES) {
    return { kind: giveUp, message: `${stallFailure(queue, jobId, times)}; ${stall.exhausted}` };
  }
  const addFailed = stall.addFailed === undefined ? '' : `; ${stall.addFailed}`;
  let fresh = requeuedJobId(jobId, times);
  try {
    // A job retried by hand after it stalled out keeps its data: stalling out again, its copy's id
    // is the one its first stall-out used, and BullMQ ignores an add under an id it still keeps (a
    // copy done, failed or still queued), saying nothing — the work would be told queued, and not be.
    for (let n = times; (await stall.taken?.(fresh)) === true; n += 1) {
      if (n - times >= REQUEUE_IDS)
        return {
          kind: giveUp,
          message: `${queue}: job ${jobId} stalled out and could not be queued again: ids ${requeuedJobId(jobId, times)} to ${fresh} are all taken${addFailed}`,
        };
      fresh = requeuedJobId(jobId, n + 1);
    }
    await stall.add({ ...(stall.data ?? job.data), stalledOut: times }, fresh);
  } catch (error) {
    return {
      kind: giveUp,
      message: `${queue}: job ${jobId} stalled out and could not be queued again: ${errorLine(error)}${addFailed}`,
    };
  }
  return { kind: 'requeued', jobId: fresh };
}

/** What becomes of a sign job (`target` undefined) or a deliver job that stalled out. */
export async function settleStalledOut(
  rt: Runtime,
  queues: QueueSet,
  queue: string,
  job: Job<SignJobData> | Job<DeliverJobData>,
  target?: string,
): Promise<StallOutcome> {
  const data: SignJobData | DeliverJobData = job.data;
  let done = false;
  try {
    done = await workDone(rt, queues, data, target);
  } catch (error) {
    // The ledger cannot say: queue it again; the fresh job skips whatever is done.
    rt.logger.warn(
      { queue, jobId: job.id ?? '', error: errorLine(error) },
      'job: could not check a stalled-out job in the ledger',
    );
  }
  if (done) return { kind: 'done' };
  const times = ((data as Requeued<typeof data>).stalledOut ?? 0) + 1;
  if (target !== undefined && times > STALL_REQUEUES)
    return deadLetterPoison(rt, queue, job as Job<DeliverJobData>, target, times);
  return requeueStalled({
    queue,
    job: { id: job.id, data },
    async add(next, jobId) {
      if (target === undefined) return queues.sign.add('sign', next as SignJobData, { jobId });
      const q = queues.deliver.get(target);
      if (!q) throw new Error(`no queue for target ${target}`);
      return q.add('deliver', next as DeliverJobData, { jobId, ...deliverJobOptions(rt.config, target) });
    },
    taken: async (jobId) => {
      const q = target === undefined ? queues.sign : queues.deliver.get(target);
      return q !== undefined && (await q.getJobState(jobId)) !== 'unknown';
    },
    giveUp: 'failed',
    exhausted: 'its versions stay in the ledger for a later run',
  });
}

/**
 * A deliver job that stalled out past its copies, given up as the deliver worker gives up a job
 * whose attempts ran out: its open deliveries signed by the pipeline's seal dead-lettered (one
 * another sender still holds is left to it), and its runs checked for completion. Nothing is asked
 * of the platform first: that asking may be what kills the worker. A replay asks about a delivery
 * the platform may hold before sending it (ledger/dead-letters.ts).
 */
async function deadLetterPoison(
  rt: Runtime,
  queue: string,
  job: Job<DeliverJobData>,
  target: string,
  times: number,
): Promise<StallOutcome> {
  const { data } = job;
  const jobId = job.id ?? '';
  const ledger = await rt.ledger();
  const parts = rt.pipelineConfig(data.pipeline);
  const sealId = sealIdOf(rt.config, parts);
  const sealed = await signedBy(ledger, sealId, data.versionIds);
  const reason = new LicbridgeError(
    ErrorCodes.INTERNAL,
    `${stallFailure(queue, jobId, times)}; its deliveries are dead-lettered: find why the job stops its worker (its log lines, the host's out-of-memory kills), then licbridge dlq replay sends them again`,
    { retryable: false, context: { target, jobId } },
  );
  const dead = await deadLetterOpen(
    ledger,
    data.versionIds.filter((id) => sealed.has(id)),
    target,
    reason,
  );
  rt.logger
    .child({ pipeline: data.pipeline, runId: data.runId, jobId })
    .error(
      { queue, target, deliveries: dead, error: errorLine(reason) },
      'job: stalled out again; its open deliveries dead-lettered',
    );
  // As after a deliver job that dead-lettered its deliveries: its run ends once all are final.
  await completeOpenRuns(ledger, { pipeline: data.pipeline }, sealId, parts.targets).catch((e: unknown) =>
    warnCompletionFailed(rt.logger, { pipeline: data.pipeline, runId: data.runId }, e),
  );
  return { kind: 'done', deadLettered: dead };
}

/** Whether the ledger holds the job's work; a sign job's deliveries are queued when it does. */
async function workDone(
  rt: Runtime,
  queues: QueueSet,
  data: SignJobData | DeliverJobData,
  target: string | undefined,
): Promise<boolean> {
  const ledger = await rt.ledger();
  const parts = rt.pipelineConfig(data.pipeline);
  const sealId = sealIdOf(rt.config, parts);
  if (target !== undefined) {
    const states = await ledger.deliveryStates(data.versionIds, target);
    const final = new Set(
      states.filter((s) => s.state !== null && FINAL.has(s.state)).map((s) => s.versionId),
    );
    if (!data.versionIds.every((id) => final.has(id))) return false;
    // As the deliver processor does after its job: the job that did a run's last delivery is what
    // marks it done, and this job's workers died before they could. A check that fails is a warning:
    // the work is done, and settled as not done a copy would fail a run whose licenses are delivered.
    await completeOpenRuns(ledger, { pipeline: data.pipeline }, sealId, parts.targets).catch((e: unknown) =>
      warnCompletionFailed(rt.logger, { pipeline: data.pipeline, runId: data.runId }, e),
    );
    return true;
  }
  const signed = new Set(
    (await ledger.getSignatures(data.versionIds)).filter((s) => s.sealId === sealId).map((s) => s.versionId),
  );
  if (!data.versionIds.every((id) => signed.has(id))) return false;
  // As the sign processor does after signing: under the run's stable ids, a no-op where a copy
  // queued them already.
  for (const t of parts.targets) {
    await enqueueSignedDeliveries(rt.config, queues, t, {
      pipeline: data.pipeline,
      runId: data.runId,
      versionIds: data.versionIds,
    });
  }
  return true;
}
