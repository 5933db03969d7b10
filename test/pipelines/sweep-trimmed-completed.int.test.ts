/**
 * BullMQ keeps only the last 1,000 completed and 5,000 failed jobs of a queue (removeOnComplete,
 * removeOnFail: queues.ts): a job that did its work may be gone from Redis without a trace. A
 * recovery that took "no job in Redis" for "work lost" would do that work again. The sweeps read
 * what is owed from the ledger instead (sweep.ts): with every job of a delivered run trimmed, a
 * sweep of `licbridge run`, a scheduled run's recovery and a run's start queue nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuesOf } from '../../pipelines/queues.js';
import { sweep } from '../../pipelines/run-recovery.js';
import { recoverPipeline, recoverUnqueuedDeliveries } from '../../pipelines/sweep.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'trimmed-run';

describe('a run whose completed jobs were trimmed', () => {
  let fx: DeliveriesWaiting;

  beforeAll(async () => {
    fx = await deliveriesWaiting({ rows: 6, runId: RUN });
    const workers = fx.start(['deliver']);
    try {
      await until(async () => (await fx.owedToProvince()) === 0);
      await until(async () => {
        const c = await fx.deliver.getJobCounts('waiting', 'delayed', 'active');
        return Object.values(c).every((n) => n === 0);
      });
    } finally {
      await workers.close();
    }
    // Trimmed, as removeOnComplete trims them once 1,000 later jobs completed.
    for (const q of queuesOf(fx.queues)) {
      await q.clean(0, 0, 'completed');
      await q.clean(0, 0, 'failed');
    }
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  /** Every job of every queue, whatever its state. */
  const jobsLeft = async (): Promise<number> => {
    let n = 0;
    for (const q of queuesOf(fx.queues)) {
      const c = await q.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
      n += Object.values(c).reduce((a, b) => a + b, 0);
    }
    return n;
  };

  it('has nothing queued again by any recovery', async () => {
    expect(await jobsLeft()).toBe(0);
    const { rt, queues } = fx;
    const ledger = await rt.ledger();
    expect(await sweep(rt, ledger, queues, [{ pipeline: PIPELINE, runId: RUN }], 'sweep1')).toBe(0);
    expect(await recoverUnqueuedDeliveries(rt, queues, PIPELINE, 'scheduled-x', 'scheduled-x-recover')).toBe(
      0,
    );
    expect(
      await recoverPipeline(rt, queues, PIPELINE, 'next-run', 'next-run-recover', { leaveHeld: true }),
    ).toBe(0);
    expect(await jobsLeft()).toBe(0);
  }, 60_000);
});
