/**
 * A deliver job whose worker dies every time it takes it, in a process of workers alone
 * (`licbridge worker`). BullMQ 6 fails a job stalled more than `maxStalledCount` times only when
 * the next worker takes it (`moveStalledJobsToWait` marks it, the worker fails it with an
 * `UnrecoverableError` before running it), so the failure reaches that worker's `failed` listener
 * as any final failure does. Its copy stalling out too, the job is given up: the run fails in the
 * ledger naming the queue and the job, and the job's versions stay owed to the target, for the
 * pipeline's next run to queue again — nothing sent twice, nothing dropped. The dying worker is a real BullMQ worker that
 * takes the job and never renews its lock; the live workers fail it at the first stall.
 */
import { randomUUID } from 'node:crypto';
import { type Job, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import {
  createQueues,
  type DeliverJobData,
  deliverQueueName,
  type QueueSet,
} from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { recoverUnqueuedDeliveries } from '../../pipelines/sweep.js';
import { recordRunFailures } from '../../pipelines/workers/run-failures.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

describe('a deliver job whose worker dies every time', () => {
  let ws: DemoWorkspace | undefined;
  let rt: Runtime | undefined;
  let queues: QueueSet | undefined;
  let workers: WorkerSet | undefined;
  let dead: Worker | undefined;

  afterEach(async () => {
    await dead?.close();
    await workers?.close();
    await queues?.close();
    await rt?.close();
    await ws?.cleanup();
    ws = rt = queues = workers = dead = undefined;
  });

  it('stalled out again, fails its run in the ledger; its deliveries stay owed', async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    rt = new Runtime(config, quiet);
    const connection = queueConnection(config.queue.redis);
    queues = createQueues(connection, ws.prefix, ['province'], quiet);
    const deliver = queues.deliver.get('province');
    if (!deliver) throw new Error('no deliver queue');
    const ledger = await rt.ledger();

    // A run extracted and signed by real workers, its deliver job left waiting.
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    await enqueueExtract(queues, { pipeline: PIPELINE, runId, full: true });
    workers = startWorkers(rt, { connection, prefix: ws.prefix, queues, stages: ['extract', 'sign'] });
    await until(async () => {
      if (!(await ledger.getRun(runId))?.extractedAt) return false;
      const signing = await queues!.sign.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(signing).every((n) => n === 0) && (await deliver.getWaitingCount()) > 0;
    });
    await workers.close();
    workers = undefined;
    const [first, ...others] = (await deliver.getJobs(['waiting'])) as Job<DeliverJobData>[];
    expect(others).toEqual([]);
    if (!first?.id) throw new Error('no deliver job');
    const versionIds = first.data.versionIds;
    expect(versionIds.length).toBeGreaterThan(0);

    // The job stalled out once already and was queued again as its copy, which now dies too.
    await first.remove();
    const copyId = `${first.id}-stalled-1`;
    await deliver.add('deliver', { ...first.data, stalledOut: 1 } as DeliverJobData, { jobId: copyId });
    dead = new Worker(deliverQueueName('province'), null, {
      connection,
      prefix: ws.prefix,
      lockDuration: 300,
    });
    expect((await dead.getNextJob(randomUUID()))?.id).toBe(copyId);

    // Workers alone: a run's failure goes to the ledger as `licbridge worker` records it.
    workers = startWorkers(rt, {
      connection,
      prefix: ws.prefix,
      queues,
      stages: ['deliver'],
      lockDurationMs: 5000,
      stalledIntervalMs: 200,
      maxStalledCount: 0,
    });
    const failures = recordRunFailures(workers.events, () => rt!.ledger(), quiet);
    try {
      await until(async () => (await ledger.getRun(runId))?.state !== 'running');
      await failures.flush();
    } finally {
      failures.stop();
    }

    const run = await ledger.getRun(runId);
    expect(run?.state).toBe('failed');
    expect(run?.error).toMatch(
      new RegExp(`^deliver-province: job ${copyId} stalled out 2 times: .*its versions stay in the ledger`),
    );
    expect(await deliver.getJobState(copyId)).toBe('failed');
    // Owed, not lost: none reached the platform, none is dead-lettered or final.
    const states = await ledger.deliveryStates(versionIds, 'province');
    expect(states.map((s) => s.state)).toEqual(versionIds.map(() => null));
    expect(ws.simulator.stats().received).toBe(0);
    // The pipeline's next run queues them again, and they land, each once.
    const later = randomUUID();
    expect(await recoverUnqueuedDeliveries(rt, queues, PIPELINE, later, `${later}-recover`)).toBe(1);
    await until(async () => ws!.simulator.stats().accepted === versionIds.length);
    expect(ws.simulator.stats().received).toBe(versionIds.length);
  }, 60_000);
});
