/**
 * `/metrics` names what `licbridge status` exits 3 for: `attention{kind}` counts each state that
 * needs a person, and the reconcile and lifecycle queues are among the queues counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { queueAttention } from '../../pipelines/observability/attention.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { queueStats } from '../../pipelines/observability/queue-stats.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { metricValue, quietLogger } from './ops-fixtures.js';

describe('/metrics: states that need a person', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  let queues: QueueSet;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    ledger = await openLedger(config.ledger.url);
    queues = createQueues(
      { host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
    );
  });
  afterAll(async () => {
    await queues?.close();
    await ledger?.close();
    await ws?.cleanup();
  });

  it('counts a reconcile job no worker takes under attention{kind="queue-unworked"}, and 0 once it is gone', async () => {
    const scrape = async () => {
      // A fresh registry per scrape: the snapshot is cached for metrics.cacheMs.
      const m = createMetrics({ config, ledger, queues, logger: quietLogger() });
      return m.registry.metrics();
    };
    const job = await queues.reconcile.add('reconcile', { pipeline: 'food-business-licenses' });
    const bad = await scrape();
    expect(metricValue(bad, 'licbridge_attention', { kind: 'queue-unworked' })).toBe(1);
    expect(metricValue(bad, 'licbridge_queue_jobs', { queue: 'reconcile', state: 'waiting' })).toBe(1);
    await job.remove();
    const good = await scrape();
    expect(metricValue(good, 'licbridge_attention', { kind: 'queue-unworked' })).toBe(0);
    expect(metricValue(good, 'licbridge_attention', { kind: 'dead-letters' })).toBe(0);
  });

  it('flags a lifecycle tick no worker takes, naming the one command that works it', async () => {
    const job = await queues.lifecycle.add('tick', {});
    try {
      const m = createMetrics({ config, ledger, queues, logger: quietLogger() });
      const text = await m.registry.metrics();
      expect(metricValue(text, 'licbridge_attention', { kind: 'queue-unworked' })).toBe(1);
      expect(metricValue(text, 'licbridge_queue_jobs', { queue: 'lifecycle', state: 'waiting' })).toBe(1);
      const stats = await queueStats(queues.lifecycle);
      expect(queueAttention([stats])).toEqual([
        {
          kind: 'queue-unworked',
          message: expect.stringMatching(
            /^queue lifecycle: 1 waiting job\(s\) and no live worker; start `licbridge worker` \(`licbridge run` works only/,
          ),
        },
      ]);
    } finally {
      await job.remove();
    }
  });
});
