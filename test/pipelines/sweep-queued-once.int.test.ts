/**
 * `licbridge run` sweeps once nothing has moved for `sweepAfterMs` (3 s): it queues again from the
 * ledger what no job holds any more (lost with a Redis restarted without persistence, left by a
 * dead process). Nothing moving is also what a slow signing server or platform looks like, with
 * the work still queued: before, each sweep queued every unsigned version and every version owed
 * to a target again under fresh ids, beside the jobs still waiting for them — another copy of the
 * whole backlog (up to 100,000 versions a stage) at every sweep, for as long as the stage stayed
 * slow. A sweep now queues only the versions no unfinished job of the pipeline holds.
 */
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliverJobData, SignJobData } from '../../pipelines/queues.js';
import { sweep } from '../../pipelines/run-recovery.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';
import { type SignJobsWaiting, signJobsWaiting } from './sign-jobs-waiting.js';

/** The version ids the waiting jobs hold, one entry per job that holds it. */
async function queuedIds(jobs: Job<SignJobData | DeliverJobData>[]): Promise<number[]> {
  return jobs.flatMap((j) => j.data.versionIds).sort((a, b) => a - b);
}

describe('a sweep of licbridge run', () => {
  let delivering: DeliveriesWaiting | undefined;
  let signing: SignJobsWaiting | undefined;
  afterEach(async () => {
    await delivering?.close();
    await signing?.close();
    delivering = undefined;
    signing = undefined;
  });

  it('queues no second deliver job for versions a waiting one holds, and queues them once lost', async () => {
    const runId = 'sweep-deliver-run';
    delivering = await deliveriesWaiting({ rows: 6, runId });
    const { rt, queues, deliver } = delivering;
    const ledger = await rt.ledger();
    const owed = await delivering.owedToProvince();
    const before = await queuedIds(await deliver.getWaiting());
    expect(before).toHaveLength(owed);

    expect(await sweep(rt, ledger, queues, [{ pipeline: PIPELINE, runId }], 'sweep1')).toBe(0);
    expect(await queuedIds(await deliver.getWaiting())).toEqual(before);

    // Lost with Redis: the next sweep queues each owed version again, once.
    await delivering.loseJobs();
    expect(await sweep(rt, ledger, queues, [{ pipeline: PIPELINE, runId }], 'sweep2')).toBeGreaterThan(0);
    expect(await queuedIds(await deliver.getWaiting())).toEqual(before);
  }, 60_000);

  it('queues no second sign job for versions a waiting one holds, and queues them once lost', async () => {
    const runId = 'sweep-sign-run';
    signing = await signJobsWaiting({ runId, busy: { busyMs: 0, retryAfterSeconds: 1 } });
    const { rt, ledger, queues } = signing;
    const waiting = () => queues.sign.getWaiting() as Promise<Job<SignJobData>[]>;
    const before = await queuedIds(await waiting());
    expect(before.length).toBeGreaterThan(0);

    expect(await sweep(rt, ledger, queues, [{ pipeline: PIPELINE, runId }], 'sweep1')).toBe(0);
    expect(await queuedIds(await waiting())).toEqual(before);

    await signing.takeQueued();
    expect(await sweep(rt, ledger, queues, [{ pipeline: PIPELINE, runId }], 'sweep2')).toBeGreaterThan(0);
    expect(await queuedIds(await waiting())).toEqual(before);
  }, 60_000);
});
