/**
 * A source the lag probe can no longer read is said to be unreachable on `/metrics`, and its lag
 * is no longer reported: a number kept from before the source went away would go on saying how far
 * behind the pipeline is (0, say, while rows pile up), and `attention` would read all well.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { startLagProbe } from '../../pipelines/observability/lag-probe.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { everyScrapeFresh, metricsSetUp, metricValue, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

describe('/metrics: a source the lag probe cannot read', () => {
  const t = metricsSetUp({ rows: 5, configure: everyScrapeFresh });
  let opened: SourceConnector | undefined;
  afterAll(async () => {
    await opened?.close();
  });

  it('drops the lag it cannot measure and counts the source under attention', async () => {
    let down = false;
    // As `licbridge serve` opens sources: a database that went away fails the open.
    const source = async (name: string) => {
      if (down) throw new Error('connect ECONNREFUSED 10.0.3.14:1433');
      const cfg = t.config.sources[name];
      if (!cfg) throw new Error(`no source ${name}`);
      opened ??= await openSource(name, cfg);
      return opened;
    };
    const lag = startLagProbe(t.config, t.ledger, source, quietLogger());
    try {
      await lag.measure();
      const metrics = createMetrics({
        config: t.config,
        ledger: t.ledger,
        queues: t.queues,
        logger: quietLogger(),
        lag,
      });
      const up = await metrics.registry.metrics();
      expect(metricValue(up, 'licbridge_source_lag_rows', { pipeline: PIPELINE })).toBe(5);
      expect(metricValue(up, 'licbridge_attention', { kind: 'source-unreachable' })).toBe(0);

      down = true;
      await lag.measure();
      const gone = await metrics.registry.metrics();
      expect(metricValue(gone, 'licbridge_source_lag_rows', { pipeline: PIPELINE })).toBeUndefined();
      expect(metricValue(gone, 'licbridge_attention', { kind: 'source-unreachable' })).toBe(1);

      down = false;
      await lag.measure();
      const back = await metrics.registry.metrics();
      expect(metricValue(back, 'licbridge_source_lag_rows', { pipeline: PIPELINE })).toBe(5);
      expect(metricValue(back, 'licbridge_attention', { kind: 'source-unreachable' })).toBe(0);
    } finally {
      lag.close();
    }
  });
});
