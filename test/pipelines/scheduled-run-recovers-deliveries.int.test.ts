/**
 * A deployment of `licbridge worker`s alone, with no `licbridge run` to sweep: signed versions
 * whose deliver jobs are gone (removed, lost with a Redis that restarted without persistence)
 * are queued again by the next scheduled run, and delivered. Before, they stayed owed in silence
 * until someone ran `licbridge run` by hand. A target whose queue still holds a job is left to it.
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueSet } from '../../pipelines/queues.js';
import type { Runtime } from '../../pipelines/runtime.js';
import { recoverUnqueuedDeliveries } from '../../pipelines/sweep.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE, type Stage } from './deliveries-waiting.js';

let fx: DeliveriesWaiting;
let rt: Runtime;
let queues: QueueSet;
let deliver: Queue;
let workers: WorkerSet | undefined;

const owedToProvince = () => fx.owedToProvince();

const start = (stages: Stage[]) => fx.start(stages);

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 6, runId: 'first-run' });
  ({ rt, queues, deliver } = fx);
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

describe('a scheduled run in a worker-only deployment', () => {
  it('leaves a target whose queue still holds jobs to them', async () => {
    expect(await deliver.getWaitingCount()).toBeGreaterThan(0);
    expect(await recoverUnqueuedDeliveries(rt, queues, PIPELINE, 'r', 'r-recover')).toBe(0);
  });

  it('queues again the deliveries whose jobs were lost, and they are delivered', async () => {
    const owed = await owedToProvince();
    expect(owed).toBeGreaterThan(0);
    // The jobs go, as with a Redis restarted without persistence.
    await deliver.drain(true);
    expect(await deliver.getJobCounts('waiting', 'delayed', 'active')).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
    });

    workers = start(['extract', 'sign', 'deliver']);
    // A scheduled extract job, as `licbridge schedule` installs it: no run id.
    const job = await queues.extract.add('extract', { pipeline: PIPELINE, runId: '', full: false });
    await until(async () => ['completed', 'failed'].includes(await job.getState()));
    expect(await job.getState()).toBe('completed');
    await until(async () => {
      const c = await deliver.getJobCounts('waiting', 'delayed', 'active');
      return Object.values(c).every((n) => n === 0);
    });
    expect(await owedToProvince()).toBe(0);
  }, 60_000);
});
