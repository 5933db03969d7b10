/**
 * An extract job's end sweep queues the versions no unfinished sign job holds. A page's sign job
 * that failed for good (a signing server down past its attempts, a refusal) holds none, so its
 * versions are swept up — but the sweep named its job as the page's was named (the run's id, the
 * same versions in one batch of up to 500), and BullMQ ignores an add under the id of a job it
 * still keeps: the failed one. The sweep said it queued a job, none waited, and the versions stayed
 * unsigned until a later run. The sweep's jobs are named by the extract job's take now.
 */
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, type QueueSet, SIGN_QUEUE, type SignJobData } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const RUN = 'extract-sweep-failed-page';
let ws: DemoWorkspace | undefined;
let rt: Runtime | undefined;
let queues: QueueSet | undefined;

afterEach(async () => {
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

it("queues again the versions of a page whose sign job failed for good, under a job id of the sweep's own", async () => {
  // One page: its sign job holds every version, as the sweep's one batch would.
  ws = await createDemoWorkspace({ rows: 40 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  rt = new Runtime(config, createLogger({ level: 'silent' }));
  const q = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
  queues = q;
  const ledger = await rt.ledger();
  const connection = queueConnection(config.queue.redis);
  const extractOnly = startWorkers(rt, {
    connection,
    prefix: config.queue.prefix,
    queues: q,
    stages: ['extract'],
  });
  const waiting = async () =>
    ((await q.sign.getWaiting()) as Job<SignJobData>[])
      .flatMap((j) => j.data.versionIds)
      .sort((a, b) => a - b);
  try {
    await enqueueExtract(q, { pipeline: PIPELINE, runId: RUN, full: true });
    await until(async () => (await q.extract.getJobCounts('completed')).completed === 1);
    const unsigned = await ledger.unsignedVersionIds({ sealId: '3702110000001', pipeline: PIPELINE });
    expect(unsigned.length).toBeGreaterThan(30);
    expect(await waiting()).toEqual(unsigned);

    // The page's sign job fails for good.
    const refusing = new Worker(
      SIGN_QUEUE,
      async () => {
        throw new UnrecoverableError('the signing server refused the batch');
      },
      { connection, prefix: config.queue.prefix },
    );
    await until(async () => (await q.sign.getJobCounts('failed')).failed === 1);
    await refusing.close();
    expect(await waiting()).toEqual([]);

    // A second take of the run's extraction (a retry, a stalled-out copy) sweeps them up.
    await enqueueExtract(q, { pipeline: PIPELINE, runId: RUN, full: true }, `${RUN}-again`);
    await until(async () => (await q.extract.getJobCounts('completed')).completed === 2);
    expect(await waiting()).toEqual(unsigned);
  } finally {
    await extractOnly.close();
  }
}, 90_000);
