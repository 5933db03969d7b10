/**
 * `/metrics` names what `licbridge status` exits 3 for: `attention{kind}` counts each state that
 * needs a person, and the reconcile and lifecycle queues are among the queues counted.
 */
import { describe, expect, it } from 'vitest';
import { queueAttention } from '../../pipelines/observability/attention.js';
import { queueStats } from '../../pipelines/observability/queue-stats.js';
import { metricsSetUp, metricValue } from './ops-fixtures.js';

describe('/metrics: states that need a person', () => {
  const t = metricsSetUp({ rows: 20 });

  it('counts a reconcile job no worker takes under attention{kind="queue-unworked"}, and 0 once it is gone', async () => {
    const job = await t.queues.reconcile.add('reconcile', { pipeline: 'food-business-licenses' });
    const bad = await t.scrapeAfresh();
    expect(metricValue(bad, 'licbridge_attention', { kind: 'queue-unworked' })).toBe(1);
    expect(metricValue(bad, 'licbridge_queue_jobs', { queue: 'reconcile', state: 'waiting' })).toBe(1);
    await job.remove();
    const good = await t.scrapeAfresh();
    expect(metricValue(good, 'licbridge_attention', { kind: 'queue-unworked' })).toBe(0);
    expect(metricValue(good, 'licbridge_attention', { kind: 'dead-letters' })).toBe(0);
  });

  it('flags a lifecycle tick no worker takes, naming the one command that works it', async () => {
    const job = await t.queues.lifecycle.add('tick', {});
    try {
      const text = await t.scrapeAfresh();
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
