import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';

/**
 * A platform slow but healthy: each request is answered after 8 s, within the target's `timeoutMs`
 * (15 s), and longer than the run's idle timeout (2.5 s here; 120 s by default against a `timeoutMs`
 * of up to 600 s). The idle timeout is not shorter: between the sign job's end and a deliver worker
 * taking the job it queued, nothing is worked and nothing moves, and on a loaded machine that gap
 * passed 1 s and the run gave up before the request was sent. While a worker sends, nothing moves in the ledger; the run must wait for the
 * answer and end `done`, not give up with "nothing moved". A run whose deliveries no worker takes
 * still gives up after its idle timeout.
 */
describe('licbridge run with a request slower than its idle timeout', () => {
  let ws: DemoWorkspace | undefined;
  let platform: ProvinceSimulator | undefined;
  afterEach(async () => {
    await platform?.close();
    await ws?.cleanup();
  });

  async function setUp(): Promise<Readonly<Config>> {
    ws = await createDemoWorkspace({ rows: 20 });
    platform = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      faults: { latencyMs: 8000 },
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: platform.url }));
    const loaded = await loadConfig({ file: ws.configFile, env: {} });
    const province = { ...loaded.targets.province, timeoutMs: 15_000 } as (typeof loaded.targets)[string];
    return { ...loaded, targets: { ...loaded.targets, province } };
  }

  it('waits for the answer while a worker sends, and ends done', async () => {
    const config = await setUp();
    const [s] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: false,
      logger,
      sweepAfterMs: 200,
      idleTimeoutMs: 2500,
    });
    expect(s?.error).toBeUndefined();
    expect(s?.state).toBe('done');
    expect(s?.delivered.province).toBe(20);
    expect(platform?.stats().accepted).toBe(20);
  }, 60_000);

  it('still gives up after its idle timeout when no worker takes the deliveries', async () => {
    const config = await setUp();
    const rt = new Runtime(config, logger);
    const connection = queueConnection(config.queue.redis);
    const queues = createQueues(connection, config.queue.prefix, ['province'], logger);
    // Extraction and signing are worked; the deliver jobs wait for a worker that never comes.
    const noDelivery = startWorkers(rt, {
      connection,
      prefix: config.queue.prefix,
      queues,
      stages: ['extract', 'sign'],
    });
    try {
      const run = runPipelines(config, {
        pipelines: [PIPELINE],
        full: false,
        logger,
        workInProcess: false,
        sweepAfterMs: 200,
        idleTimeoutMs: 1000,
      });
      await expect(run).rejects.toThrow(/nothing moved for 1 s/);
      expect(platform?.stats().requests).toBe(0);
      const ledger = await openLedger(`sqlite://${join(ws?.dir ?? '', 'data', 'ledger.db')}`);
      try {
        expect(await ledger.runningRuns()).toEqual([]);
      } finally {
        await ledger.close();
      }
    } finally {
      await noDelivery.close(true);
      await queues.close();
      await rt.close();
    }
  }, 60_000);
});
