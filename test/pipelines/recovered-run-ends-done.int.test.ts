/**
 * Recovery in a deployment of `licbridge worker`s alone. A scheduled run queues again the
 * deliveries no job holds, under its own run id: the run that left them must still end `done`
 * once they are delivered, not stay `running` for good, and its counts stay its own versions'.
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import type { QueueSet } from '../../pipelines/queues.js';
import type { Runtime } from '../../pipelines/runtime.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE, type Stage } from './deliveries-waiting.js';

let fx: DeliveriesWaiting;
let config: Readonly<Config>;
let rt: Runtime;
let queues: QueueSet;
let deliver: Queue;
let workers: WorkerSet | undefined;

const owedToProvince = () => fx.owedToProvince();

const loseJobs = () => fx.loseJobs();

const start = (stages: Stage[]) => fx.start(stages);

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 6, runId: 'first-run' });
  ({ config, rt, queues, deliver } = fx);
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

describe('the run whose deliveries a scheduled run queued again', () => {
  it('ends done once they are delivered, as does the scheduled run', async () => {
    await loseJobs();
    const ledger = await rt.ledger();
    expect((await ledger.getRun('first-run'))?.state).toBe('running');
    expect(await owedToProvince()).toBeGreaterThan(0);

    workers = start(['extract', 'sign', 'deliver']);
    // A scheduled extract job, as `licbridge schedule` installs it: no run id.
    const job = await queues.extract.add('extract', { pipeline: PIPELINE, runId: '', full: false });
    await until(async () => ['completed', 'failed'].includes(await job.getState()));
    expect(await job.getState()).toBe('completed');
    await until(async () => (await owedToProvince()) === 0);
    await until(async () => {
      const c = await deliver.getJobCounts('waiting', 'delayed', 'active');
      return Object.values(c).every((n) => n === 0);
    });
    // Closing makes the completion checks still scheduled.
    await workers.close();
    workers = undefined;

    const first = await ledger.getRun('first-run');
    expect(first?.state).toBe('done');
    expect(first?.finishedAt).toBeInstanceOf(Date);
    // Its counts are its own versions', delivered under the scheduled run's jobs.
    const p = rt.pipelineConfig(PIPELINE);
    const progress = await ledger.runProgress('first-run', sealIdOf(config, p), p.targets);
    expect(progress.created).toBeGreaterThan(0);
    expect(progress.delivered.province).toBe(progress.created);
    expect((await ledger.getRun(`scheduled-${job.id}`))?.state).toBe('done');
    expect((await ledger.runningRuns()).map((r) => r.runId)).toEqual([]);
  }, 60_000);
});
