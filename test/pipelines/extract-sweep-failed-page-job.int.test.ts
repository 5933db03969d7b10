/**
 * An extract job's end sweep queues the versions no unfinished sign job holds. A page's sign job
 * that failed for good (a signing server down past its attempts, a refusal) holds none, so its
 * versions are swept up — but the sweep named its job as the page's was named (the run's id, the
 * same versions in one batch of up to 500), and BullMQ ignores an add under the id of a job it
 * still keeps: the failed one. The sweep said it queued a job, none waited, and the versions stayed
 * unsigned until a later run. The sweep's jobs are named by the extract job's take now.
 */
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { expect, it } from 'vitest';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { SIGN_QUEUE, type SignJobData } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { demoRuntime } from '../support/demo-runtime.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const RUN = 'extract-sweep-failed-page';
// One page: its sign job holds every version, as the sweep's one batch would.
const demo = demoRuntime(40);

it("queues again the versions of a page whose sign job failed for good, under a job id of the sweep's own", async () => {
  const { config, ledger, queues: q } = demo;
  demo.start(['extract']);
  const waiting = async () =>
    ((await q.sign.getWaiting()) as Job<SignJobData>[])
      .flatMap((j) => j.data.versionIds)
      .sort((a, b) => a - b);
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
    { connection: queueConnection(config.queue.redis), prefix: config.queue.prefix },
  );
  await until(async () => (await q.sign.getJobCounts('failed')).failed === 1);
  await refusing.close();
  expect(await waiting()).toEqual([]);

  // A second take of the run's extraction (a retry, a stalled-out copy) sweeps them up.
  await enqueueExtract(q, { pipeline: PIPELINE, runId: RUN, full: true }, `${RUN}-again`);
  await until(async () => (await q.extract.getJobCounts('completed')).completed === 2);
  expect(await waiting()).toEqual(unsigned);
}, 90_000);
