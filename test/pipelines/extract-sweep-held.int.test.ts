/**
 * An extract job, once its last page is in, queues the pipeline's unsigned versions for signing:
 * a crash between a page's commit and its sign job leaves some no job holds. Before, it queued
 * every unsigned version of the pipeline, cut into batches other than its pages' jobs, so each
 * version still waiting in its page's sign job (a signer slower than the source, a signing server
 * in maintenance) got a second job beside it: signed twice when both ran at once. It now queues
 * only those no unfinished sign job of the pipeline holds.
 */
import type { Job } from 'bullmq';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, type QueueSet, type SignJobData } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace | undefined;
let rt: Runtime | undefined;
let queues: QueueSet | undefined;

afterEach(async () => {
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

it('queues no second sign job for versions its pages queued, and queues those no job holds', async () => {
  // Three pages of 100 rows: three page jobs, where the sweep-up cut one batch of its own.
  ws = await createDemoWorkspace({ rows: 250 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  rt = new Runtime(config, createLogger({ level: 'silent' }));
  const q = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
  queues = q;
  const ledger = await rt.ledger();
  // No sign worker: every version stays unsigned, its page's job waiting.
  const extractOnly = startWorkers(rt, {
    connection: queueConnection(config.queue.redis),
    prefix: config.queue.prefix,
    queues: q,
    stages: ['extract'],
  });
  const extracted = async (runId: string) => {
    await enqueueExtract(q, { pipeline: PIPELINE, runId, full: true });
    await until(async () => (await q.extract.getJobCounts('completed')).completed === runs.length);
  };
  const runs: string[] = [];
  const held = async () =>
    ((await q.sign.getWaiting()) as Job<SignJobData>[])
      .flatMap((j) => j.data.versionIds)
      .sort((a, b) => a - b);
  try {
    runs.push('extract-held-run');
    await extracted('extract-held-run');
    const unsigned = await ledger.unsignedVersionIds({ sealId: '3702110000001', pipeline: PIPELINE });
    expect(unsigned.length).toBeGreaterThan(200);
    expect(await held()).toEqual(unsigned);

    // Its page jobs lost (a crash before they were queued): the next extraction queues them, once.
    await q.sign.drain(true);
    runs.push('extract-held-run-2');
    await extracted('extract-held-run-2');
    expect(await held()).toEqual(unsigned);
  } finally {
    await extractOnly.close();
  }
}, 90_000);
