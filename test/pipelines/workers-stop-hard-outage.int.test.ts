/**
 * A worker set stopped hard while Redis is away holds nothing once stopped: no connection comes
 * back when Redis does, and no timer is left running. BullMQ's own close of a worker whose
 * blocking connection is reconnecting never ends (it waits for an `end` event ioredis does not
 * emit then), and a forced close of a worker already closing returns that same close: `licbridge
 * run` logged "workers did not stop in time; stopping hard", wrote its summary, and its process
 * stayed alive, its workers' connections reconnected and their lock renewal still ticking.
 * The same holds for workers whose connections never reached Redis (away since they started),
 * which BullMQ's disconnect waits on until Redis is back. Uses a `redis-server` of this test's own
 * (the shared one is never stopped).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { createQueues } from '../../pipelines/queues.js';
import { closeQueuesWithin } from '../../pipelines/queues-close.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { freePort, type LoneRedis, startLoneRedis } from '../support/redis-servers.js';
import { silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Whether `p` settles within `ms`; its timer is cleared either way (the test counts timers). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
const timers = () => process.getActiveResourcesInfo().filter((k) => k === 'Timeout').length;

/** Clients connected to the Redis at `port`, besides the one asking. */
async function otherClients(port: number): Promise<number> {
  const probe = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
  try {
    const list = (await probe.client('LIST')) as string;
    return list.split('\n').filter((l) => l.trim() !== '').length - 1;
  } finally {
    await probe.quit();
  }
}

describe('workers stopped hard during a Redis outage', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  /** The server the first test runs against, stopped after the file whatever became of it. */
  let redis: LoneRedis | undefined;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    config = await loadConfig({ file: ws.configFile, env: {} });
  }, 60_000);
  afterAll(async () => {
    await redis?.stop();
    await ws?.cleanup();
  });

  it('leave no connection and no timer behind', async () => {
    redis = await startLoneRedis();
    const { port } = redis;
    const connection = queueConnection(redis.url);
    const log = createLogger({ level: 'silent' });
    const queues = createQueues(connection, ws.prefix, ['province'], log);
    const rt = new Runtime(config, log);
    const before = timers();
    // A stalled check every 30 s: one waiting for its next check when the close starts is
    // stopped with the rest, not left to wait out its interval.
    const workers = startWorkers(rt, { connection, prefix: ws.prefix, queues, stalledIntervalMs: 30_000 });
    // Every worker connected and waiting for jobs on its blocking connection.
    const end = Date.now() + 10_000;
    while ((await otherClients(port)) < 10 && Date.now() < end) await sleep(50);

    await redis.stop();
    // Every connection is now between two attempts to reconnect (one a second).
    await sleep(1500);
    // As `run` does: a close that waits for the jobs, bounded, then a hard stop.
    await within(workers.close(), 2000);
    expect(await within(workers.close(true), 5000), 'the hard stop did not end').toBe(true);

    redis = await startLoneRedis({ port });
    await queues.close();
    await rt.close();
    // Longer than the reconnect delay of a connection left behind (1 s after so short an outage).
    await sleep(2500);
    expect(await otherClients(port)).toBe(0);
    expect(timers()).toBeLessThanOrEqual(before);
  }, 60_000);

  it('leave no timer behind when Redis was away from their start', async () => {
    // Nothing listens there: no connection of these workers ever gets ready.
    const port = await freePort();
    const connection = queueConnection(`redis://127.0.0.1:${port}`);
    const log = createLogger({ level: 'silent' });
    const queues = createQueues(connection, ws.prefix, ['province'], log);
    const rt = new Runtime(config, log);
    const before = timers();
    const workers = startWorkers(rt, { connection, prefix: ws.prefix, queues });
    await sleep(1500);
    await within(workers.close(), 2000);
    expect(await within(workers.close(true), 5000), 'the hard stop did not end').toBe(true);
    await within(queues.close(), 5000);
    await rt.close();
    // Longer than ioredis' wait for a dropped socket to close (disconnectTimeout, 2 s).
    await sleep(2500);
    // Before, each worker's two connections went on trying to reach Redis (a retry timer each).
    expect(timers()).toBeLessThanOrEqual(before);
  }, 60_000);

  it('leave no connection open when Redis stops answering', async () => {
    // A Redis whose connections stay open and are never answered: a close waits for its QUIT's
    // answer for good. A worker's own close, begun first, had started closing its connections
    // that way, and the hard stop's forced close was handed that same close: the worker's
    // connection stayed open after the stop, and the process with it.
    const proxy = await silentProxy(6379);
    try {
      const connection = queueConnection(`redis://127.0.0.1:${proxy.port}`);
      const log = createLogger({ level: 'silent' });
      const queues = createQueues(connection, ws.prefix, ['province'], log);
      const rt = new Runtime(config, log);
      const workers = startWorkers(rt, { connection, prefix: ws.prefix, queues });
      await until(() => proxy.open >= 10, 10_000, { what: 'every connection open' });
      // Connected and waiting for jobs, then nothing is answered.
      await sleep(500);
      proxy.silence();
      // As `run` does: a close that waits for the jobs, bounded, then a hard stop; then the queues.
      await within(workers.close(), 2000);
      expect(await within(workers.close(true), 5000), 'the hard stop did not end').toBe(true);
      await closeQueuesWithin(queues, 2000);
      await rt.close();
      // Their closes are seen at the proxy a moment later.
      await until(() => proxy.open === 0, 3000).catch(() => undefined);
      expect(proxy.open).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
