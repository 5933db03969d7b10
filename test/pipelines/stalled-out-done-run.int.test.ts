/**
 * A deliver job that stalled out after its work was done — its worker delivered, then was killed
 * before the run's completion check, every time — is settled `done` (workers/stalled-out.ts). The
 * job that does the last of a run's work is what marks the run done: the settlement makes that
 * check as the job's processor would have, or the run stays `running` wherever no `licbridge run`
 * settles it (workers alone) until the pipeline's next job. That check failing is a warning: the
 * job is done all the same, not given up as a copy with its run failed.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import { createLogger } from '../../core/logger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, deliverQueueName, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { settleStalledOut } from '../../pipelines/workers/stalled-out.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

describe('a deliver job that stalled out with its work done', () => {
  let ws: DemoWorkspace | undefined;
  let rt: Runtime | undefined;
  let queues: QueueSet | undefined;
  let workers: WorkerSet | undefined;

  afterEach(async () => {
    await workers?.close();
    await queues?.close();
    await rt?.close();
    await ws?.cleanup();
    ws = rt = queues = workers = undefined;
  });

  /** A run extracted and signed by real workers, its deliver jobs left waiting. */
  async function signedRun(): Promise<{ runId: string; waiting: Job[] }> {
    ws = await createDemoWorkspace({ rows: 20 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    rt = new Runtime(config, quiet);
    const connection = queueConnection(config.queue.redis);
    queues = createQueues(connection, ws.prefix, ['province'], quiet);
    const ledger = await rt.ledger();
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    await enqueueExtract(queues, { pipeline: PIPELINE, runId, full: true });
    workers = startWorkers(rt, { connection, prefix: ws.prefix, queues, stages: ['extract', 'sign'] });
    const deliver = queues.deliver.get('province');
    await until(async () => {
      if (!(await ledger.getRun(runId))?.extractedAt) return false;
      const signing = await queues!.sign.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(signing).every((n) => n === 0) && (await deliver!.getWaitingCount()) > 0;
    });
    await workers.close();
    workers = undefined;
    return { runId, waiting: (await deliver!.getJobs(['waiting'])) as Job[] };
  }

  it('a deliver job: the run it finished is marked done', async () => {
    const { runId, waiting } = await signedRun();
    const ledger = await rt!.ledger();
    const parts = rt!.pipelineConfig(PIPELINE);
    const sealId = sealIdOf(rt!.config, parts);
    // Each job's worker delivered its versions, then died before the completion check.
    for (const job of waiting) {
      await deliverVersions(await rt!.target('province'), sealId, ledger, job.data.versionIds);
    }
    expect((await ledger.getRun(runId))?.state).toBe('running');
    for (const job of waiting) {
      const outcome = await settleStalledOut(rt!, queues!, deliverQueueName('province'), job, 'province');
      expect(outcome.kind).toBe('done');
    }
    const run = await ledger.getRun(runId);
    expect(run?.state).toBe('done');
    expect(ws!.simulator.stats().accepted).toBe(run?.created);
  }, 60_000);

  it('a copy whose completion check fails is still done: its run is left to a later check, not failed', async () => {
    const { runId, waiting } = await signedRun();
    const ledger = await rt!.ledger();
    const parts = rt!.pipelineConfig(PIPELINE);
    const sealId = sealIdOf(rt!.config, parts);
    const deliver = queues!.deliver.get('province')!;
    const runningRuns = ledger.runningRuns.bind(ledger);
    // The ledger answers the job's deliveries, then fails the completion check (a lock, a failover).
    ledger.runningRuns = async () => {
      throw new Error('database is locked');
    };
    try {
      for (const job of waiting) {
        await deliverVersions(await rt!.target('province'), sealId, ledger, job.data.versionIds);
        // The job's copy, queued after the first stall-out: stalling out again gives up on it.
        const copy = await deliver.add('deliver', { ...job.data, stalledOut: 1 } as typeof job.data, {
          jobId: `${job.id}-stalled-1`,
        });
        const outcome = await settleStalledOut(rt!, queues!, deliverQueueName('province'), copy, 'province');
        expect(outcome).toEqual({ kind: 'done' });
      }
    } finally {
      ledger.runningRuns = runningRuns;
    }
    // Not failed: its licenses are all delivered, and the next job's check marks it done.
    expect((await ledger.getRun(runId))?.state).toBe('running');
    expect(await ledger.completeRun(runId, sealId, parts.targets)).toBe(true);
  }, 60_000);
});
