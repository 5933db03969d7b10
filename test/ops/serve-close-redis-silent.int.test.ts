/**
 * `licbridge serve` stopped while its Redis accepts connections and answers nothing (frozen, or
 * partitioned, since before serve started): its queues were dropped, but each queue's event
 * stream (the latency histograms' QueueEvents) stayed open. BullMQ's close of one first disconnects
 * it, and that waits for the connection to have become ready, which one never answered does not;
 * serve's fallback, a disconnect, waits the same. Left open, they held the process until its linger
 * ran out (cli/linger.ts), and in a process that goes on, for good. They are now dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

describe('serve stopped while Redis answers nothing', () => {
  let ws: DemoWorkspace;
  let proxy: SilentProxy;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    proxy = await silentProxy(6379);
  });
  afterAll(async () => {
    await proxy?.close();
    await ws?.cleanup();
  });

  async function closedSilent(silentFromStart: boolean): Promise<void> {
    const { config } = await opsConfig(
      ws,
      'serve-silent.yaml',
      'serve: { port: 0, checkTimeoutMs: 1000 }\nmetrics: { lagIntervalMs: 0 }\n',
      `redis://127.0.0.1:${proxy.port}`,
    );
    proxy.speak();
    // Taken and never answered, every connection from the start.
    if (silentFromStart) proxy.silence();
    const server = await startOpsServer(config, quietLogger());
    if (!silentFromStart) {
      // Scraped once Redis answered (the queues read), then it stops answering.
      const scraped = await fetch(`${server.url}/metrics`);
      expect(scraped.status).toBe(200);
      await scraped.text();
      proxy.silence();
    }
    // The queues, their event streams and the health client have each connected.
    await until(() => proxy.open > 0, 10_000, { what: "serve's connections" });
    expect(await outcomeWithin(30_000, server.close())).toBeUndefined();
    // Closes are seen here a moment after the client's.
    await until(() => proxy.open === 0, 10_000, { what: "serve's connections closed" }).catch(
      () => undefined,
    );
    expect(proxy.open).toBe(0);
  }

  it('closes every connection it opened when Redis never answered', async () => {
    await closedSilent(true);
  }, 60_000);

  it('closes every connection it opened when Redis stopped answering', async () => {
    await closedSilent(false);
  }, 60_000);
});
