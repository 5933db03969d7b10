/**
 * `licbridge status` names the deliveries no job holds (`delivery-unqueued`) by the rule a
 * scheduled run recovers them by (sweep.ts, `recoverUnqueuedDeliveries`): only the versions an
 * unfinished deliver job of the pipeline to the target, or a sign job of the pipeline, holds are
 * left to that job. The note said nothing while any one job of the pipeline waited in the target's
 * queue or the sign queue (a delivery waiting out its retry delay, a sign job waiting out a
 * Retry-After), though the next scheduled run queued every other owed version again: the versions
 * lost with their jobs went unnamed for as long as that job waited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealIdOf } from '../../config/seal-id.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { recoverUnqueuedDeliveries } from '../../pipelines/sweep.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from '../pipelines/deliveries-waiting.js';

let fx: DeliveriesWaiting;

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 6, runId: 'first-run' });
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

/** The `delivery-unqueued` notes of `licbridge status` about deliveries to `province`. */
async function unqueuedToProvince(): Promise<string[]> {
  const status = await collectStatus(fx.config, await fx.rt.ledger(), fx.queues, { probeSources: false });
  return status.attention.filter((a) => a.includes('owed to province and no job holds them'));
}

async function owedIds(): Promise<number[]> {
  const p = fx.rt.pipelineConfig(PIPELINE);
  return (await fx.rt.ledger()).undeliveredVersionIds({
    pipeline: PIPELINE,
    sealId: sealIdOf(fx.config, p),
    target: 'province',
    limit: 100,
  });
}

describe('status beside a job of the pipeline that holds part of what is owed', () => {
  it('names the versions lost while a delivery of another waits out its retry delay', async () => {
    await fx.loseJobs();
    const [kept, ...lost] = (await owedIds()) as [number, ...number[]];
    expect(lost.length).toBeGreaterThan(0);
    await fx.deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: 'first-run', target: 'province', versionIds: [kept] },
      { jobId: 'retrying-one', delay: 3_600_000 },
    );

    expect(await unqueuedToProvince()).toEqual([
      expect.stringContaining(`pipeline ${PIPELINE}: ${lost.length} signed version(s) owed to province`),
    ]);

    // A scheduled run queues those again: the note goes with them.
    expect(
      await recoverUnqueuedDeliveries(fx.rt, fx.queues, PIPELINE, 'second-run', 'second-r'),
    ).toBeGreaterThan(0);
    expect(await unqueuedToProvince()).toEqual([]);
  });

  it('names the versions lost while a sign job of the pipeline waits out a Retry-After', async () => {
    await fx.loseJobs();
    const [signing, ...lost] = (await owedIds()) as [number, ...number[]];
    await fx.queues.sign.add(
      'sign',
      { pipeline: PIPELINE, runId: 'first-run', versionIds: [signing] },
      { jobId: 'sign-deferred', delay: 3_600_000 },
    );

    expect(await unqueuedToProvince()).toEqual([
      expect.stringContaining(`pipeline ${PIPELINE}: ${lost.length} signed version(s) owed to province`),
    ]);
    await recoverUnqueuedDeliveries(fx.rt, fx.queues, PIPELINE, 'third-run', 'third-r');
    expect(await unqueuedToProvince()).toEqual([]);
  });

  it('says nothing while jobs of the pipeline hold every owed version', async () => {
    await fx.loseJobs();
    const ids = await owedIds();
    await fx.deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: 'first-run', target: 'province', versionIds: ids },
      { jobId: 'retrying-all', delay: 3_600_000 },
    );

    expect(await unqueuedToProvince()).toEqual([]);
    expect(await recoverUnqueuedDeliveries(fx.rt, fx.queues, PIPELINE, 'fourth-run', 'fourth-r')).toBe(0);
    await fx.loseJobs();
  });
});
