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
 *   run, run after run. Those leased to its own takes (their worker died after the claim) and those
 *   `submitted` are dead-lettered too; one another live job holds is left to it. `licbridge dlq
 *   replay` sends them again once the cause is found (what it asks first: `deadLetterPoison`). A
 *   sign job has no dead letter to write: its run fails naming the stage and the job.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { sealIdOf } from '../../config/seal-id.js';
import { ErrorCodes, errorLine, failureMessage, LicbridgeError } from '../../core/errors.js';
import { FINAL_DELIVERY_STATES } from '../../ledger/backlog.js';
import type { DeliveryLedger } from '../../ledger/ledger.js';
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
export type Requeued<D> = D & {
  stalledOut?: number;
  /** A deliver job's: the senders of the takes of the jobs it is a copy of (`sendersOf`). */
  senders?: string[];
};

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
      // The copy knows the takes before it: given up, it dead-letters what they left leased.
      const copy: Requeued<DeliverJobData> = { ...(next as DeliverJobData), senders: sendersOf(job) };
      return q.add('deliver', copy, { jobId, ...deliverJobOptions(rt.config, target) });
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
 * Who the leases of a deliver job's take name (stages/deliver.ts `owner`): the job's id and the
 * take's number (BullMQ's `attemptsStarted`, counted as a worker takes it), unique to the take, so
 * that two takes of one job at once (a starved worker's and the one that took the job over) do not
 * send each other's deliveries, yet a job given up knows the leases of each of its takes.
 */
export function deliverSender(jobId: string, take: number): string {
  // The job's id by its digest: a delivery keeps the name of its last sender, and a deliver job's id
  // (queue, run, range, tag) is ~90 characters, 53 bytes a license more than the random id before.
  return `${createHash('sha256').update(jobId).digest('base64url').slice(0, 22)}#${take}`;
}

/** The senders of every take of a job (`deliverSender`), those of the jobs it is a copy of first. */
export function sendersOf(job: {
  id?: string | undefined;
  attemptsStarted?: number;
  data: object;
}): string[] {
  const earlier = (job.data as Requeued<object>).senders ?? [];
  const takes = Math.max(1, job.attemptsStarted ?? 0);
  return [...earlier, ...Array.from({ length: takes }, (_, n) => deliverSender(job.id ?? '', n + 1))];
}

/** What a poison deliver job's deliveries became (`deadLetterPoison`), counted by row. */
export interface PoisonDeliveries {
  /** Open and held by none of its takes nor another job: dead-lettered. */
  open: number;
  /** Leased to one of its own takes, which died after it may have sent them: dead-lettered. */
  leased: number;
  /** Under the platform's review, its verdict not asked since: dead-lettered. */
  submitted: number;
  /** Held by another live job's lease, or written by one since the read: left to it. */
  left: number;
}

/**
 * A deliver job that stalled out past its copies, given up as the deliver worker gives up a job
 * whose attempts ran out: its open deliveries signed by the pipeline's seal dead-lettered, and its
 * runs checked for completion. Nothing is asked of the platform first: that asking may be what
 * kills the worker. A take dies after its claim (the send comes after it), and its lease (the
 * whole send's, stages/delivery-lease.ts: 25 s for a batch by default) outlasts the 12 s in which a
 * stall is noticed: its rows are the dead sender's, not another's. They are dead-lettered with the
 * dead take's send counted as an attempt beside the dead letter's, as a dead letter written over
 * any dead sender's run-out lease is (ledger/delivery-outcomes.ts `senderDied`). One a live job
 * holds (a sweep's, a replay's) is left to it. A `submitted` one (its status request may be what
 * kills the worker) is dead-lettered too: left so, nothing would ask about it again but a copy of
 * this job, and its run stayed open. Each such dead letter reads as tried more than once, and
 * `licbridge dlq replay` replays it as a send whose answer was lost (ledger/dead-letters.ts
 * `unsureLease`), which holds as far as the target can be asked (stages/deliver.ts `mayHaveLanded`
 * needs its `poll`): a REST/JSON or SOAP/XML target's status request is asked first and only what
 * the platform lacks is sent; a front database with `exchangeStatus` is asked its status column,
 * but a row the exchange system already took out reads as no row and is written again; one
 * without `exchangeStatus` has nothing to ask, and the replay writes the row again, relying on
 * the write being an upsert by the delivery's key (docs/operations.md, stalled jobs).
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
  const ids = data.versionIds.filter((id) => sealed.has(id));
  const crash = stallFailure(queue, jobId, times);
  const reason = new LicbridgeError(
    ErrorCodes.INTERNAL,
    `${crash}; its deliveries are dead-lettered: find why the job stops its worker (its log lines, the host's out-of-memory kills), then licbridge dlq replay sends them again`,
    { retryable: false, context: { target, jobId } },
  );
  const review = new LicbridgeError(
    ErrorCodes.INTERNAL,
    `${crash}; this delivery was under the platform's review (submitted), its verdict not asked since, and is dead-lettered: find why the job stops its worker, then licbridge dlq replay asks the platform about it where the target can be asked`,
    { retryable: false, context: { target, jobId } },
  );
  const counts = await deadLetterPoisonRows(ledger, ids, target, sendersOf(job), { reason, review });
  const dead = counts.open + counts.leased + counts.submitted;
  const log = rt.logger.child({ pipeline: data.pipeline, runId: data.runId, jobId });
  const fields = { queue, target, deliveries: dead, ...counts, error: errorLine(reason) };
  if (dead > 0) log.error(fields, 'job: stalled out again; its open deliveries dead-lettered');
  else
    log.error(
      fields,
      counts.left > 0
        ? 'job: stalled out again; none of its deliveries dead-lettered: the open ones are held by another live job'
        : 'job: stalled out again; none of its deliveries was left open to dead-letter',
    );
  // As after a deliver job that dead-lettered its deliveries: its run ends once all are final.
  await completeOpenRuns(ledger, { pipeline: data.pipeline }, sealId, parts.targets).catch((e: unknown) =>
    warnCompletionFailed(rt.logger, { pipeline: data.pipeline, runId: data.runId }, e),
  );
  return { kind: 'done', deadLettered: dead };
}

/**
 * The writes of deadLetterPoison. Whose live lease a row is under is read through the ledger's
 * view of it (`leaseHeld`: live and not the reader's): held when read as a stranger, not when read
 * as one of the job's senders. Each write is conditional on the row as read (its `revision`, and
 * the lease it names), so an answer another job records meanwhile wins.
 */
async function deadLetterPoisonRows(
  ledger: DeliveryLedger,
  versionIds: readonly number[],
  target: string,
  senders: readonly string[],
  errors: { reason: unknown; review: unknown },
): Promise<PoisonDeliveries> {
  const counts: PoisonDeliveries = { open: 0, leased: 0, submitted: 0, left: 0 };
  if (versionIds.length === 0) return counts;
  // Every row made first (none leased), then read as nobody's: which are under a live lease.
  await ledger.ensureDeliveries(versionIds, target);
  const stranger = await ledger.ensureDeliveries(versionIds, target, { owner: randomUUID(), leaseMs: 1 });
  const held = new Set(stranger.filter((r) => r.leaseHeld).map((r) => r.key));
  const owners = new Map<string, string>();
  // A dead take's lease that has run out is held by nobody, but it is still that take's: read as
  // its sender, it says so (`leaseLapsedOwn`), and the row counts leased, not open.
  for (const sender of senders) {
    const read = await ledger.ensureDeliveries(versionIds, target, { owner: sender, leaseMs: 1 });
    for (const r of read)
      if (((held.has(r.key) && !r.leaseHeld) || r.leaseLapsedOwn) && !owners.has(r.key))
        owners.set(r.key, sender);
  }
  // The dead take's send, which it could not count: the dead letter reads as tried before it
  // died, and `licbridge dlq replay` asks before sending it (ledger/dead-letters.ts `unsureLease`).
  // Over a run-out lease the dead letter counts that send itself (delivery-outcomes.ts senderDied).
  const reasonText = failureMessage(errors.reason, { bounded: 1000 }).message;
  const liveOwned = [...owners.keys()].filter((k) => held.has(k));
  await ledger.recordDeliveryAttempt(liveOwned, { error: reasonText, reason: 'other' });
  const rows = await ledger.ensureDeliveries(versionIds, target);
  const review = failureMessage(errors.review, { bounded: 1000 }).message;
  const outcomes: Parameters<DeliveryLedger['recordDeliveryOutcomes']>[0][number][] = [];
  const kind = new Map<string, keyof PoisonDeliveries>();
  for (const r of rows) {
    const owner = owners.get(r.key);
    if (r.state === 'submitted') {
      outcomes.push({
        key: r.key,
        state: 'dead',
        reasons: [review],
        from: 'submitted',
        revision: r.revision,
      });
      kind.set(r.key, 'submitted');
    } else if (r.state === 'pending' || r.state === 'rejected') {
      if (held.has(r.key) && owner === undefined) {
        counts.left += 1;
        continue;
      }
      outcomes.push({
        key: r.key,
        state: 'dead',
        reasons: [reasonText],
        from: r.state,
        revision: r.revision,
        unleased: owner === undefined ? {} : { owner },
      });
      kind.set(r.key, owner === undefined ? 'open' : 'leased');
    }
  }
  const written = new Set(await ledger.recordDeliveryOutcomes(outcomes));
  for (const o of outcomes) {
    const k = kind.get(o.key);
    if (written.has(o.key) && k !== undefined) counts[k] += 1;
    else counts.left += 1;
  }
  return counts;
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
