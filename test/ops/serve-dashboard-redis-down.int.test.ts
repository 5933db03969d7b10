/**
 * The dashboard while Redis is down: its API answered nothing (queue commands wait for Redis to
 * come back), so the page spun for as long as the outage lasted, and a change asked for meanwhile
 * (pause, retry, promote) stayed queued in the client and was made whenever Redis returned, to a
 * request long given up. Now each API request answers 503 naming Redis within serve.checkTimeoutMs,
 * and a change is refused, not queued, while a queue connection is not up.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type LoneRedis, startLoneRedis } from '../support/redis-servers.js';
import { until } from '../support/until.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const TOKEN = 'dashboard-redis-down-token-2k7p';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('the dashboard while Redis is down', () => {
  let ws: DemoWorkspace;
  let port: number;
  let redis: LoneRedis;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 3 });
    redis = await startLoneRedis();
    port = redis.port;
  });
  afterAll(async () => {
    await redis?.stop();
    await ws?.cleanup();
  });

  it('answers 503 naming Redis in time, refuses a change rather than queueing it, and serves again once Redis is back', async () => {
    const { config } = await opsConfig(
      ws,
      'dashboard-down.yaml',
      `serve: { port: 0, checkTimeoutMs: 1000, auth: { token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
      `redis://127.0.0.1:${port}`,
    );
    const server = await startOpsServer(config, quietLogger());
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}/dashboard/api${path}`, {
        ...init,
        headers: auth,
        signal: AbortSignal.timeout(15_000),
      });
    try {
      await until(async () => (await api('/queues')).status === 200, 10_000);
      // With Redis up, a change is made.
      const paused = await api('/queues/extract/pause', { method: 'PUT' });
      expect(paused.status).toBe(200);
      await paused.text();
      const resumed = await api('/queues/extract/resume', { method: 'PUT' });
      expect(resumed.status).toBe(200);
      await resumed.text();
      await redis.stop();

      // A request that waited on Redis would not answer before `api` gives up (15 s, fifteen
      // times the check time) and fail this test with a timeout error.
      const down = await api('/queues');
      expect(down.status).toBe(503);
      expect(await down.text()).toMatch(/Redis/);

      // A change asked for while Redis is down is refused, and not made when Redis returns.
      const queueName = `${config.queue.prefix}`;
      const pause = await api('/queues/extract/pause', { method: 'PUT' });
      expect(pause.status).toBe(503);
      await pause.text();

      redis = await startLoneRedis({ port });
      await until(async () => (await api('/queues')).status === 200, 15_000);
      const probe = new Queue('extract', { connection: { host: '127.0.0.1', port }, prefix: queueName });
      try {
        await new Promise((r) => setTimeout(r, 500));
        expect(await probe.isPaused()).toBe(false);
      } finally {
        await probe.close();
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});
