/**
 * A source the lag probe can no longer read is said to be unreachable on `/metrics`, and its lag
 * is no longer reported: a number kept from before the source went away would go on saying how far
 * behind the pipeline is (0, say, while rows pile up), and `attention` would read all well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { startLagProbe } from '../../pipelines/observability/lag-probe.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { metricValue, opsConfig, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

describe('/metrics: a source the lag probe cannot read', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  let queues: QueueSet;
  let opened: SourceConnector | undefined;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const written = await opsConfig(ws, 'lag-down.yaml', 'metrics: { lagIntervalMs: 0, cacheMs: 0 }\n');
    config = await loadConfig({ file: written.file });
    ledger = await openLedger(config.ledger.url, { logger: quietLogger() });
    queues = createQueues(
      { host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
    );
  });
  afterAll(async () => {
    await opened?.close();
    await queues?.close();
    await ledger?.close();
    await ws?.cleanup();
  });

  it('drops the lag it cannot measure and counts the source under attention', async () => {
    let down = false;
    // As `licbridge serve` opens sources: a database that went away fails the open.
    const source = async (name: string) => {
      if (down) throw new Error('connect ECONNREFUSED 10.0.3.14:1433');
      const cfg = config.sources[name];
      if (!cfg) throw new Error(`no source ${name}`);
      opened ??= await openSource(name, cfg);
      return opened;
    };
    const lag = startLagProbe(config, ledger, source, quietLogger());
    try {
      await lag.measure();
      const metrics = createMetrics({ config, ledger, queues, logger: quietLogger(), lag });
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
