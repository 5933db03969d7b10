/**
 * The extract queue is shared by every pipeline, and a `licbridge run`, a `licbridge lifecycle run`
 * or a repair opens deliver queues only for its own pipelines' targets. Its extract worker still
 * takes another pipeline's scheduled extract job, whose run queues again the deliveries no job
 * holds (sweep.ts, `recoverUnqueuedDeliveries`): a target without a queue in that process was
 * skipped, and the versions owed to it stayed signed and undelivered, in silence, until a scheduled
 * run happened to be taken by a `licbridge worker`. The recovery covers every target of the
 * pipeline, whatever queues the process that works the job opened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const quiet = createLogger({ level: 'silent' });

let fx: DeliveriesWaiting;
let own: QueueSet | undefined;
let workers: WorkerSet | undefined;

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 6, runId: 'first-run' });
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await own?.close();
  await fx?.close();
});

describe("a scheduled run worked by a process without a queue for its pipeline's target", () => {
  it('queues again the deliveries to that target no job holds', async () => {
    const owed = await fx.owedToProvince();
    expect(owed).toBeGreaterThan(0);
    // The jobs go, as with a Redis restarted without persistence.
    await fx.loseJobs();
    expect(await fx.deliver.getWaitingCount()).toBe(0);

    const connection = queueConnection(fx.config.queue.redis);
    // As `licbridge run` of a pipeline with other targets opens them: no deliver-province queue.
    own = createQueues(connection, fx.config.queue.prefix, [], quiet);
    workers = startWorkers(fx.rt, {
      connection,
      prefix: fx.config.queue.prefix,
      queues: own,
      stages: ['extract'],
    });
    // A scheduled extract job, as `licbridge schedule` installs it: no run id.
    const job = await own.extract.add('extract', { pipeline: PIPELINE, runId: '', full: false });
    await until(async () => ['completed', 'failed'].includes(await job.getState()));
    expect(await job.getState()).toBe('completed');
    await workers.close();
    workers = undefined;

    const jobs = await fx.deliver.getJobs(['waiting', 'delayed', 'prioritized']);
    const queued = new Set(
      jobs.filter((j) => j.data.pipeline === PIPELINE).flatMap((j) => j.data.versionIds),
    );
    expect(queued.size).toBe(owed);
    expect(await fx.owedToProvince()).toBe(owed);
  }, 60_000);
});
