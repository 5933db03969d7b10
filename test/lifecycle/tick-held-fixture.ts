/**
 * What a lifecycle tick starts beside, in the tests of what it queues (run-tick.ts, tick-job.ts):
 * a run extracted and signed on `FIRST_DAY` whose deliver jobs wait (../pipelines/deliveries-waiting.ts),
 * and an earlier tick's `expire` versions held by its sign job, delayed as one waiting out a
 * signing server's Retry-After is. The caller's tick, on `TICK_DAY`, expires more.
 */
import type { Job, Queue } from 'bullmq';
import { afterEach, expect } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import type { DeliverJobData, SignJobData } from '../../pipelines/queues.js';
import type { Backend, TestDatabase } from '../ledger/backends.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from '../pipelines/deliveries-waiting.js';

export { PIPELINE };
/** The day the run reads the source as: what passed its date by then maps as expired already. */
export const FIRST_DAY = '2026-06-01';
/** The earlier tick's day, whose versions the delayed sign job holds. */
export const EARLIER_DAY = addDays(FIRST_DAY, 365);
/** The day the test's tick runs as: licenses valid to before it and after `EARLIER_DAY` expire. */
export const TICK_DAY = addDays(FIRST_DAY, 3 * 365);

export interface TickHeld {
  delivering: DeliveriesWaiting;
  /** The earlier tick's `expire` versions, held by one delayed sign job. */
  earlier: number[];
  /** The versions owed to `province`, held by the waiting deliver jobs, sorted. */
  delivered: number[];
  /** The version ids the pipeline's unfinished sign jobs hold, one entry per job holding one, sorted. */
  signHeld(): Promise<number[]>;
  /** The same of the `province` deliver queue's unfinished jobs. */
  deliverHeld(): Promise<number[]>;
  /** The `expire` versions of the tick that ticked `TICK_DAY`. */
  ticked(): Promise<number[]>;
  close(): Promise<void>;
}

type Held = Job<SignJobData | DeliverJobData>;

async function heldIds(queue: Queue): Promise<number[]> {
  const jobs = (await queue.getJobs(['waiting', 'delayed', 'prioritized', 'active'])) as Held[];
  return jobs.flatMap((j) => j.data.versionIds).sort((a, b) => a - b);
}

/** The state above; `LICBRIDGE_TODAY` is `FIRST_DAY` from here on, until the caller sets it back. */
export async function tickHeld(options: { runId: string; ledgerUrl: string }): Promise<TickHeld> {
  process.env.LICBRIDGE_TODAY = FIRST_DAY;
  const delivering = await deliveriesWaiting({ rows: 60, ...options });
  try {
    const { rt, queues, deliver } = delivering;
    const delivered = await heldIds(deliver);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered).toHaveLength(await delivering.owedToProvince());

    const [tick] = (await lifecycleTick(rt, { today: EARLIER_DAY, pipelines: [PIPELINE] })).pipelines;
    const earlier = (tick?.created ?? []).map((c) => c.versionId).sort((a, b) => a - b);
    expect(earlier.length).toBeGreaterThan(0);
    // Its sign job waits out a signing server's Retry-After: a delayed job of the pipeline.
    await queues.sign.add(
      'sign',
      { pipeline: PIPELINE, runId: tick?.runId as string, versionIds: earlier },
      { jobId: `sign-${options.runId}-earlier`, delay: 10 * 60_000 },
    );
    expect(await queues.sign.getDelayedCount()).toBe(1);

    const ledger = await rt.ledger();
    return {
      delivering,
      earlier,
      delivered,
      signHeld: () => heldIds(queues.sign as Queue),
      deliverHeld: () => heldIds(deliver),
      async ticked() {
        const mark = await ledger.lifecycleWatermark(PIPELINE);
        expect(mark?.day).toBe(TICK_DAY);
        return [...(await ledger.runVersionIds(mark?.runId ?? ''))].sort((a, b) => a - b);
      },
      close: () => delivering.close(),
    };
  } catch (e) {
    await delivering.close();
    throw e;
  }
}

/**
 * Each test's TickHeld (`open()`), on a new database of `backend`: closed after the test, its
 * database disposed and LICBRIDGE_TODAY put back as it was.
 */
export function tickHeldPerTest(backend: Backend, runId: string): { open(): Promise<TickHeld> } {
  const savedToday = process.env.LICBRIDGE_TODAY;
  let database: TestDatabase | undefined;
  let held: TickHeld | undefined;
  afterEach(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await held?.close();
    await database?.dispose();
    held = undefined;
    database = undefined;
  });
  return {
    async open() {
      database = await backend.create();
      held = await tickHeld({ runId, ledgerUrl: database.url });
      return held;
    },
  };
}
