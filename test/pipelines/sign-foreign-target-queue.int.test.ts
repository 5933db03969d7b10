/**
 * The sign queue is shared by every pipeline, and a `licbridge run` opens deliver queues only for
 * its own pipelines' targets. Its sign worker still takes another pipeline's sign jobs (a
 * `licbridge worker`'s scheduled run, another `run`): those versions were signed and their deliver
 * jobs queued nowhere (the process held no queue for that target), so they waited, signed and
 * undelivered, for a sweep or the pipeline's next scheduled run. A sign job queues its deliveries
 * to every target of its pipeline, whatever queues the process that signs it opened.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import { createLogger } from '../../core/logger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

describe("a sign job worked by a process without a queue for its pipeline's target", () => {
  let ws: DemoWorkspace | undefined;
  let rt: Runtime | undefined;
  let own: QueueSet | undefined;
  let all: QueueSet | undefined;
  let workers: WorkerSet | undefined;

  afterEach(async () => {
    await workers?.close();
    await own?.close();
    await all?.close();
    await rt?.close();
    if (ws) await obliterate(ws.prefix);
    await ws?.cleanup();
    ws = rt = own = all = workers = undefined;
  });

  it('queues the deliveries of every version it signed to that target', async () => {
    ws = await createDemoWorkspace({ rows: 12 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    rt = new Runtime(config, quiet);
    const connection = queueConnection(config.queue.redis);
    // As `licbridge run` of a pipeline with other targets opens them: no deliver-province queue.
    own = createQueues(connection, ws.prefix, [], quiet);
    // What a `licbridge worker` with every target sees.
    all = createQueues(connection, ws.prefix, ['province'], quiet);
    const ledger = await rt.ledger();
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    await enqueueExtract(own, { pipeline: PIPELINE, runId, full: true });
    workers = startWorkers(rt, { connection, prefix: ws.prefix, queues: own, stages: ['extract', 'sign'] });
    await until(async () => {
      if (!(await ledger.getRun(runId))?.extractedAt) return false;
      const signing = await own!.sign.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(signing).every((n) => n === 0);
    });
    await workers.close();
    workers = undefined;

    const sealId = sealIdOf(config, rt.pipelineConfig(PIPELINE));
    const run = await ledger.getRun(runId);
    expect(run?.created).toBeGreaterThan(0);
    expect(await ledger.unsignedVersionIds({ sealId, pipeline: PIPELINE, limit: 1000 })).toEqual([]);
    const jobs = await all.deliver.get('province')!.getJobs(['waiting', 'delayed', 'prioritized']);
    const queued = new Set(jobs.flatMap((j) => j.data.versionIds));
    expect(queued.size).toBe(run?.created);
  }, 60_000);
});
