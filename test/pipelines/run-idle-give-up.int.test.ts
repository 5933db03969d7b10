import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';

/**
 * A run whose work nobody finishes ends with its idle timeout. Here only extraction is worked: the
 * versions it creates stay unsigned, and their sign jobs are lost at every poll, so every sweep
 * finds them in the ledger and enqueues them again under fresh ids — as after Redis came back
 * empty to workers that no longer take jobs. Those re-enqueues are not progress: the run gives up
 * instead of running for ever.
 *
 * A sweep comes only with a poll, and a run pauses between polls ten times as long as the last poll
 * took: on a loaded machine (a poll of 100 ms) one poll a second, and a 2 s idle timeout saw one
 * sweep. Polls here pause at most 100 ms, so that several sweeps fall within the idle timeout.
 */
describe('a run whose work nobody finishes', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30 });
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('gives up after its idle timeout, though every sweep re-enqueues the unsigned versions', async () => {
    const rt = new Runtime(config, logger);
    const connection = queueConnection(config.queue.redis);
    const queues = createQueues(connection, config.queue.prefix, ['province'], logger);
    const extractOnly = startWorkers(rt, {
      connection,
      prefix: config.queue.prefix,
      queues,
      stages: ['extract'],
    });
    const lines: Record<string, unknown>[] = [];
    const runLog = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    let losing: Promise<unknown> = Promise.resolve();
    try {
      const run = runPipelines(config, {
        pipelines: [PIPELINE],
        full: false,
        logger: runLog,
        workInProcess: false,
        sweepAfterMs: 200,
        pollPauseMaxMs: 100,
        idleTimeoutMs: 3000,
        // The sign jobs are lost as soon as they are queued: nobody signs, and a sweep finds
        // nothing queued for the unsigned versions.
        onProgress: () => {
          losing = losing.then(() => queues.sign.drain());
        },
      });
      await expect(run).rejects.toThrow(/nothing moved for 3 s/);
      await losing;
      // Sweeps did re-enqueue the versions, several times.
      const requeued = lines.filter((l) => l.msg === 'run: re-enqueued unfinished work from the ledger');
      expect(requeued.length).toBeGreaterThanOrEqual(2);
      // …and the run says so in the ledger instead of staying `running`.
      const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
      try {
        expect(await ledger.runningRuns()).toEqual([]);
      } finally {
        await ledger.close();
      }
    } finally {
      await extractOnly.close(true);
      await queues.close();
      await rt.close();
    }
  }, 90_000);
});
