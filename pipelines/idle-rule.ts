/**
 * When a wait with nothing moving gives up: `licbridge run`, `lifecycle run`, a repair's wait and
 * `dlq replay`'s alike. It gives up once nothing has moved for its idle timeout (120 s unless the
 * caller says otherwise) and no job of its pipelines is in a live worker's hands; the time such a
 * job is worked counts as not idle.
 *
 * Why the jobs in flight, not a longer timeout: one request may take up to its target's, signer's
 * or source's timeout (`timeoutMs` up to 600 s, `statementTimeoutMs` up to an hour), and a job may
 * make several before it records anything (a deliver job sends a batch per `batchSize` versions
 * and writes their outcomes after the last; a signing server's request is tried up to `attempts`
 * times). A timeout sized on the config would have to outlast all of that, would keep a run that
 * nobody works (no worker, or a dead one) waiting as long, and would not know the timeouts of the
 * `licbridge worker` processes, which read their own config. A job's lock tells instead: BullMQ
 * renews it while its worker process lives and lets it run out once it is gone, and every request
 * the job makes ends within its own timeout. (A job whose processor never ended while its process
 * lived would hold a wait as long: a stop, Ctrl-C, ends it then.)
 */
import type { Queue } from 'bullmq';
import { jobData, unfinishedJobs } from './queue-scan.js';
import type { QueueSet } from './queues.js';
import { SweepSchedule } from './sweep.js';

/** How long a wait sees nothing move, with no job of its pipelines worked, before it gives up, ms. */
export const IDLE_TIMEOUT_MS = 120_000;

/**
 * How long the queues may take to say whether a job is worked, ms: Redis gone, BullMQ's commands
 * wait for it without a bound, and the wait gives up as it would have (nothing is seen worked).
 */
export const IN_FLIGHT_LOOK_MS = 5000;

/**
 * A wait's schedule (SweepSchedule: when to sweep, when to give up) with the jobs in flight
 * counted: a give-up is a wait while `inFlight` answers true, and until the idle timeout has
 * passed since the last look that did. Once a look found a job worked, each step looks again, so
 * the idle time counts from the job's end; sweeps and `quietMs` (a review's wait) are the
 * schedule's own, left as they are.
 */
export class IdleSchedule extends SweepSchedule {
  readonly #idleTimeoutMs: number;
  readonly #clock: () => number;
  readonly #inFlight: (() => Promise<boolean>) | undefined;
  #workedAt = Number.NEGATIVE_INFINITY;
  #watching = false;

  constructor(options: {
    sweepAfterMs: number;
    idleTimeoutMs: number;
    now?: () => number;
    /** Whether a live worker works a job of the wait's pipelines (`jobsInFlight`). */
    inFlight?: () => Promise<boolean>;
  }) {
    super(options);
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#clock = options.now ?? Date.now;
    this.#inFlight = options.inFlight;
  }

  /** What the wait does now: `next()`, a give-up held back by work in flight. */
  async step(): Promise<'wait' | 'sweep' | 'give-up'> {
    if (this.#watching) this.#watching = await this.#worked();
    const next = this.next();
    if (next !== 'give-up' || this.#inFlight === undefined) return next;
    if (this.#clock() - this.#workedAt <= this.#idleTimeoutMs) return 'wait';
    this.#watching = await this.#worked();
    return this.#watching ? 'wait' : 'give-up';
  }

  async #worked(): Promise<boolean> {
    const worked = this.#inFlight !== undefined && (await answeredTrue(this.#inFlight()));
    if (worked) this.#workedAt = this.#clock();
    return worked;
  }
}

/**
 * A look at whether a live worker holds an active job of one of `pipelines` in the stage queues
 * (extract, sign, every target's deliver queue). An active job whose lock ran out belongs to a
 * dead worker: it is not worked, only waiting for a stalled check to put it back.
 */
export function jobsInFlight(queues: QueueSet, pipelines: readonly string[]): () => Promise<boolean> {
  const wanted = new Set(pipelines);
  const list = [queues.extract, queues.sign, ...queues.deliver.values()] as Queue[];
  return () => anyWorked(list, wanted);
}

async function anyWorked(list: readonly Queue[], wanted: ReadonlySet<string>): Promise<boolean> {
  for (const queue of list) {
    for await (const page of unfinishedJobs(queue, ['active'])) {
      const mine = page.filter((j) => {
        const pipeline = jobData(j.data)?.pipeline;
        return typeof pipeline === 'string' && wanted.has(pipeline);
      });
      if (mine.length === 0) continue;
      const client = await queue.getBackend().client;
      // BullMQ keeps a job's lock at `<job key>:lock`, renewed by its worker (sweep.ts).
      const held = await Promise.all(mine.map((j) => client.get(`${queue.toKey(j.id)}:lock`)));
      if (held.some((token) => token !== null)) return true;
    }
  }
  return false;
}

/** True only when `p` resolves true within IN_FLIGHT_LOOK_MS; a failed or late look is false. */
async function answeredTrue(p: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), IN_FLIGHT_LOOK_MS);
  });
  try {
    return await Promise.race([p.catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
