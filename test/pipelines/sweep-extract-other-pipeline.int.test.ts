/**
 * `licbridge run` whose extract job is lost (a Redis restarted without persistence, the job
 * removed) queues the extraction again at a sweep once nothing of its pipeline moves. The queues
 * are shared by every pipeline (one sign queue, one deliver queue per target), and a job of
 * another pipeline waiting in them — a backfill's sign jobs, say — held the extraction back: it was
 * never queued again, and the run gave up after its idle timeout, `nothing moved`, its rows unread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 4;

let ws: DemoWorkspace;
let config: Readonly<Config>;
let queues: QueueSet;
let rt: Runtime | undefined;
let workers: WorkerSet | undefined;
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: ROWS });
  config = await loadConfig({ file: ws.configFile });
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], logger);
  // A first run reads the whole stream and delivers it: the full run below only re-reads.
  const [first] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
  expect(first?.state).toBe('done');
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await rt?.close();
  await queues?.close();
  await obliterate(ws.prefix);
  await ws?.cleanup();
});

describe("a run whose extract job was lost while another pipeline's jobs wait", () => {
  it('queues its extraction again and ends done', async () => {
    // Another pipeline's sign job, waiting for a sign worker this deployment runs elsewhere.
    await queues.sign.add(
      'sign',
      { pipeline: 'other-pipeline', runId: 'other-run', versionIds: [1] },
      { jobId: 'other-pipeline-sign' },
    );
    const running = runPipelines(config, {
      pipelines: [PIPELINE],
      full: true,
      logger,
      workInProcess: false,
      sweepAfterMs: 300,
      idleTimeoutMs: 8_000,
      pollPauseMaxMs: 200,
    });
    await until(async () => (await queues.extract.getWaitingCount()) > 0);
    await queues.extract.drain();
    // `licbridge worker --queues extract,deliver-province`: no sign worker here.
    rt = new Runtime(config, logger);
    workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      queueNames: ['extract', 'deliver-province'],
    });
    const outcome = await running.then(
      ([s]) => ({ state: s?.state, read: s?.read }),
      (e: unknown) => ({ state: 'gave up', read: String(e) }),
    );
    expect(outcome).toEqual({ state: 'done', read: ROWS });
    // The other pipeline's job is left as it was.
    expect(await (await queues.sign.getJob('other-pipeline-sign'))?.getState()).toBe('waiting');
  }, 60_000);
});
