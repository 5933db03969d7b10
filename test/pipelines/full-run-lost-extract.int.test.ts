/**
 * `licbridge run --full` whose extract job is lost before its first page (a Redis restarted
 * without persistence, the job removed): the run's sweep queues the extraction again. It was
 * queued as an incremental one, which read from the checkpoint the last run left at the end of
 * the stream: nothing was read again, and the run ended `done`, reading 0 rows, the full re-read
 * asked for never made. The extraction queued again is the run's own: full.
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
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 6;

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
  // A first run reads the whole stream: the checkpoint is at its end.
  const [first] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
  expect(first?.read).toBe(ROWS);
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await rt?.close();
  await queues?.close();
  await ws?.cleanup();
});

describe('a full run whose extract job was lost', () => {
  it('reads the whole stream again once its sweep queues the extraction again', async () => {
    // The run's work is done by `licbridge worker`s, started only once its extract job is lost.
    const running = runPipelines(config, {
      pipelines: [PIPELINE],
      full: true,
      logger,
      workInProcess: false,
      sweepAfterMs: 300,
      idleTimeoutMs: 30_000,
      pollPauseMaxMs: 200,
    });
    await until(async () => (await queues.extract.getWaitingCount()) > 0);
    await queues.extract.drain();
    expect(await queues.extract.getWaitingCount()).toBe(0);
    rt = new Runtime(config, logger);
    workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
    });
    const [summary] = await running;
    expect(summary?.state).toBe('done');
    expect(summary?.read).toBe(ROWS);
    expect(summary?.unchanged).toBe(ROWS);
    const run = summary ? await (await rt.ledger()).getRun(summary.runId) : null;
    expect(run?.mode).toBe('full');
    expect(run?.read).toBe(ROWS);
  }, 60_000);
});
