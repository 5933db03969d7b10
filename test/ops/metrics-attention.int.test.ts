/**
 * `/metrics` names what `licbridge status` exits 3 for: `attention{kind}` counts each state that
 * needs a person, and the reconcile and lifecycle queues are among the queues counted.
 */
import { describe, expect, it } from 'vitest';
import { queueAttention } from '../../pipelines/observability/attention.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { queueStats } from '../../pipelines/observability/queue-stats.js';
import { metricsSetUp, metricValue, quietLogger } from './ops-fixtures.js';

describe('/metrics: states that need a person', () => {
  const t = metricsSetUp({ rows: 20 });

  it('counts a reconcile job no worker takes under attention{kind="queue-unworked"}, and 0 once it is gone', async () => {
    const scrape = async () => {
      // A fresh registry per scrape: the snapshot is cached for metrics.cacheMs.
      const m = createMetrics({
        config: t.config,
        ledger: t.ledger,
        queues: t.queues,
        logger: quietLogger(),
      });
      return m.registry.metrics();
    };
    const job = await t.queues.reconcile.add('reconcile', { pipeline: 'food-business-licenses' });
    const bad = await scrape();
    expect(metricValue(bad, 'licbridge_attention', { kind: 'queue-unworked' })).toBe(1);
    expect(metricValue(bad, 'licbridge_queue_jobs', { queue: 'reconcile', state: 'waiting' })).toBe(1);
    await job.remove();
    const good = await scrape();
    expect(metricValue(good, 'licbridge_attention', { kind: 'queue-unworked' })).toBe(0);
    expect(metricValue(good, 'licbridge_attention', { kind: 'dead-letters' })).toBe(0);
  });

  it('flags a lifecycle tick no worker takes, naming the one command that works it', async () => {
    const job = await t.queues.lifecycle.add('tick', {});
    try {
      const m = createMetrics({
        config: t.config,
        ledger: t.ledger,
        queues: t.queues,
        logger: quietLogger(),
      });
      const text = await m.registry.metrics();
      expect(metricValue(text, 'licbridge_attention', { kind: 'queue-unworked' })).toBe(1);
      expect(metricValue(text, 'licbridge_queue_jobs', { queue: 'lifecycle', state: 'waiting' })).toBe(1);
      const stats = await queueStats(t.queues.lifecycle);
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
