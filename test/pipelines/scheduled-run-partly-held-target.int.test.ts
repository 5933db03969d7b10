/**
 * A scheduled run in a deployment of `licbridge worker`s alone queues again the deliveries no job
 * holds (sweep.ts, `recoverUnqueuedDeliveries`). It skipped a whole target while the target's
 * queue held any one job of the pipeline, and every target while any sign job of it was unfinished:
 * one delivery waiting out its backoff (a version the platform refused for a while), or one sign job
 * waiting out a signing server's Retry-After, kept every other owed version whose job was lost
 * undelivered until that job was over, run after run. Only the versions a job holds are left to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealIdOf } from '../../config/seal-id.js';
import { recoverUnqueuedDeliveries } from '../../pipelines/sweep.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

let fx: DeliveriesWaiting;

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 6, runId: 'first-run' });
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

/** The version ids the pipeline's unfinished deliver jobs to `province` hold, each as often as held. */
async function heldToProvince(): Promise<number[]> {
  const jobs = await fx.deliver.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
  return jobs.filter((j) => j.data.pipeline === PIPELINE).flatMap((j) => j.data.versionIds as number[]);
}

describe('a scheduled run beside a job that holds part of what is owed', () => {
  it('queues the versions no deliver job holds, and not the one a delayed retry holds', async () => {
    const waiting = await fx.deliver.getWaiting();
    const versionIds = waiting.flatMap((j) => j.data.versionIds as number[]).sort((a, b) => a - b);
    expect(versionIds.length).toBeGreaterThan(1);
    await fx.loseJobs();
    const kept = versionIds[0] as number;
    // One delivery waits out its backoff; the jobs of the others went with Redis.
    await fx.deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: 'first-run', target: 'province', versionIds: [kept] },
      { jobId: 'retrying-one', delay: 3_600_000 },
    );

    const added = await recoverUnqueuedDeliveries(fx.rt, fx.queues, PIPELINE, 'second-run', 'second-recover');

    expect(added).toBeGreaterThan(0);
    expect((await heldToProvince()).sort((a, b) => a - b)).toEqual(versionIds);
  });

  it('queues deliveries beside a sign job waiting out Retry-After, not those of the versions it holds', async () => {
    await fx.loseJobs();
    const owed = await fx.owedToProvince();
    expect(owed).toBeGreaterThan(1);
    const ledger = await fx.rt.ledger();
    const p = fx.rt.pipelineConfig(PIPELINE);
    const versionIds = await ledger.undeliveredVersionIds({
      pipeline: PIPELINE,
      sealId: sealIdOf(fx.config, p),
      target: 'province',
      limit: 100,
    });
    const [signing, ...rest] = versionIds as [number, ...number[]];
    // A sign job of the pipeline holding one version, delayed by the signing server.
    await fx.queues.sign.add(
      'sign',
      { pipeline: PIPELINE, runId: 'first-run', versionIds: [signing] },
      { jobId: 'sign-deferred', delay: 3_600_000 },
    );

    await recoverUnqueuedDeliveries(fx.rt, fx.queues, PIPELINE, 'third-run', 'third-recover');

    expect((await heldToProvince()).sort((a, b) => a - b)).toEqual(rest);
  });
});
