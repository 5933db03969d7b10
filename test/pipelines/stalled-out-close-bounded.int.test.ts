/**
 * A worker set stopped hard (`close(true, ms)`, as `licbridge worker` does past its
 * --shutdown-timeout) while a job that stalled out is being settled against a ledger that does not
 * answer: the stop waits for the settlement at most `ms`, not as long as the ledger's client waits.
 * The ledger is a PostgreSQL address whose server takes connections and never answers.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet, SIGN_QUEUE } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const quiet = createLogger({ level: 'silent' });

describe('a hard stop while a stalled-out job is settled', () => {
  let ws: DemoWorkspace | undefined;
  let rt: Runtime | undefined;
  let queues: QueueSet | undefined;
  let workers: WorkerSet | undefined;
  let dead: Worker | undefined;
  const sockets = new Set<Socket>();
  const silent = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });

  afterEach(async () => {
    // The ledger's connections end: the settlement fails and every part closes.
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await dead?.close();
    await workers?.close();
    await queues?.close();
    await rt?.close();
    await ws?.cleanup();
    ws = rt = queues = workers = dead = undefined;
  });

  it('waits for the settlement no longer than it is told', async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const loaded = await loadConfig({ file: ws.configFile, env: {} });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    const config = {
      ...loaded,
      ledger: { ...loaded.ledger, url: `postgres://lb:lb@127.0.0.1:${port}/ledger`, retryBudgetMs: 100 },
    } as Config;
    rt = new Runtime(config, quiet);
    const connection = queueConnection(config.queue.redis);
    queues = createQueues(connection, ws.prefix, ['province'], quiet);
    await queues.sign.add('sign', {
      pipeline: 'food-business-licenses',
      runId: randomUUID(),
      versionIds: [1],
    });
    // A worker that takes the job and dies.
    dead = new Worker(SIGN_QUEUE, null, { connection, prefix: ws.prefix, lockDuration: 300 });
    expect(await dead.getNextJob(randomUUID())).toBeDefined();
    workers = startWorkers(rt, {
      connection,
      prefix: ws.prefix,
      queues,
      stages: ['sign'],
      lockDurationMs: 5000,
      stalledIntervalMs: 200,
      maxStalledCount: 0,
    });
    for (let i = 0; i < 100 && (await queues.sign.getFailedCount()) === 0; i++) await sleep(100);
    expect(await queues.sign.getFailedCount()).toBe(1);
    // The settlement now waits on the ledger, which does not answer.
    for (let i = 0; i < 50 && sockets.size === 0; i++) await sleep(100);
    expect(sockets.size).toBeGreaterThan(0);

    // Twenty times the bound, and well short of the ledger client's own wait for a connection
    // (60 s): a stop waiting on the settlement would still be waiting.
    const how = await Promise.race([
      workers.close(true, 500).then(() => 'stopped' as const),
      sleep(10_000).then(() => 'still waiting' as const),
    ]);
    expect(how).toBe('stopped');
  }, 60_000);
});
