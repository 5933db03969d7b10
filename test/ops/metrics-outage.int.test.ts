/**
 * `/metrics` while a part it reads is down: `attention{kind}` says so, as `licbridge status`
 * does, instead of serving the last verdict taken while all was well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { metricValue, opsConfig, quietLogger } from './ops-fixtures.js';

describe('/metrics while a part is down', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let queues: QueueSet;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    // cacheMs 0: every scrape reads afresh, as one past the cache window does.
    ({ config } = await opsConfig(
      ws,
      'outage.yaml',
      'metrics: { cacheMs: 0, lagIntervalMs: 0 }\nserve: { checkTimeoutMs: 1000 }\n',
    ));
    queues = createQueues(
      { host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
    );
  });
  afterAll(async () => {
    await queues?.close();
    await ws?.cleanup();
  });

  it('counts a ledger that stopped answering under attention{kind="ledger-unreachable"}', async () => {
    const ledger = await openLedger(config.ledger.url);
    const metrics = createMetrics({ config, ledger, queues, logger: quietLogger() });
    const good = await metrics.registry.metrics();
    expect(metricValue(good, 'licbridge_attention', { kind: 'ledger-unreachable' })).toBe(0);
    // A closed ledger fails every read, as one whose database went away does.
    await ledger.close();
    const bad = await metrics.registry.metrics();
    expect(metricValue(bad, 'licbridge_attention', { kind: 'ledger-unreachable' })).toBe(1);
  });

  it('answers within the check time while Redis is down, counting it under attention{kind="redis-unreachable"}', async () => {
    const ledger = await openLedger(config.ledger.url);
    // Nothing listens on port 1: the queues keep reconnecting, their commands wait.
    // Its own quiet logger: the shared one would write its reconnect errors into whatever later
    // test of this worker captures stderr.
    const down = createQueues(
      { host: '127.0.0.1', port: 1, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
      quietLogger(),
    );
    try {
      const metrics = createMetrics({ config, ledger, queues: down, logger: quietLogger() });
      // Ten times the check time: a scrape that waited on Redis would still be waiting.
      const text = await Promise.race([
        metrics.registry.metrics(),
        new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), 10_000)),
      ]);
      expect(text).not.toBe('no answer');
      expect(metricValue(text, 'licbridge_attention', { kind: 'redis-unreachable' })).toBe(1);
    } finally {
      // Closed, not only disconnected: a disconnected queue goes on reconnecting.
      await down.close();
      await ledger.close();
    }
  }, 30_000);
});
