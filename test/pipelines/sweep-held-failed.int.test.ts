/**
 * A sweep of `licbridge run` leaves alone the versions an unfinished job of the pipeline holds
 * (sweep-queued-once). A job that failed for good holds nothing: its versions, owed still, are
 * queued again by the next sweep, once, while those of a job still waiting are not — each job
 * carrying several versions, so a version is neither doubled nor left with no job to work it.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliverJobData } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { sweep } from '../../pipelines/run-recovery.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

describe('a sweep beside a deliver job failed for good', () => {
  let delivering: DeliveriesWaiting | undefined;
  afterEach(async () => {
    await delivering?.close();
    delivering = undefined;
  });

  it("queues again the failed job's versions, once, and not those a waiting job holds", async () => {
    const runId = 'sweep-held-failed-run';
    delivering = await deliveriesWaiting({ rows: 6, runId });
    const { rt, queues, deliver, config } = delivering;
    const ledger = await rt.ledger();
    const queued = await deliver.getWaiting();
    const owed = queued.flatMap((j) => j.data.versionIds as number[]).sort((a, b) => a - b);
    expect(owed.length).toBe(await delivering.owedToProvince());
    expect(owed.length).toBeGreaterThanOrEqual(4);
    for (const j of queued) await j.remove();

    // Two jobs of several versions each: one waiting, one failed for good (its one attempt spent).
    const half = Math.floor(owed.length / 2);
    const [held, lost] = [owed.slice(0, half), owed.slice(half)];
    const data = (versionIds: number[]): DeliverJobData => ({
      pipeline: PIPELINE,
      runId,
      target: 'province',
      versionIds,
    });
    await deliver.add('deliver', data(lost), { jobId: 'failing', attempts: 1 });
    const taker = new Worker(deliver.name, undefined, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      autorun: false,
    });
    try {
      const token = randomUUID();
      const job = await taker.getNextJob(token);
      expect(job?.id).toBe('failing');
      await job?.moveToFailed(new Error('platform refused the batch'), token, false);
    } finally {
      await taker.close();
    }
    expect(await deliver.getJobState('failing')).toBe('failed');
    await deliver.add('deliver', data(held), { jobId: 'waiting' });

    expect(await sweep(rt, ledger, queues, [{ pipeline: PIPELINE, runId }], 'sweep1')).toBeGreaterThan(0);
    const waiting = await deliver.getWaiting();
    const again = waiting.filter((j) => j.id !== 'waiting').flatMap((j) => j.data.versionIds as number[]);
    expect(again.sort((a, b) => a - b)).toEqual(lost);
    expect(waiting.flatMap((j) => j.data.versionIds as number[]).sort((a, b) => a - b)).toEqual(owed);

    // Queued now, they are held: the next sweep queues nothing.
    expect(await sweep(rt, ledger, queues, [{ pipeline: PIPELINE, runId }], 'sweep2')).toBe(0);
  }, 60_000);
});
