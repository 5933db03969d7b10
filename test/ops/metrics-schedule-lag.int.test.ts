/**
 * `/metrics` counts a schedule left behind under `attention{kind="schedule-lag"}`, as
 * `licbridge status` does: a scrape never reads a source, but the lag probe's last measurement
 * says how many rows wait after the checkpoint.
 */
import { readFile, writeFile } from 'node:fs/promises';
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

describe('/metrics: a schedule left behind', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  let queues: QueueSet;
  const opened: SourceConnector[] = [];

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const written = await opsConfig(ws, 'scheduled.yaml', 'metrics: { lagIntervalMs: 0 }\n');
    // Every minute, and never run: the five rows wait after a tick more than a minute past.
    const yaml = (await readFile(written.file, 'utf8')).replace(
      '    pageSize: 100\n',
      '    pageSize: 100\n    schedule: "* * * * *"\n',
    );
    await writeFile(written.file, yaml);
    config = await loadConfig({ file: written.file });
    ledger = await openLedger(config.ledger.url);
    queues = createQueues(
      { host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
    );
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await queues?.close();
    await ledger?.close();
    await ws?.cleanup();
  });

  it('says so once the lag probe has measured the rows waiting', async () => {
    const source = async (name: string) => {
      const cfg = config.sources[name];
      if (!cfg) throw new Error(`no source ${name}`);
      const s = await openSource(name, cfg);
      opened.push(s);
      return s;
    };
    const lag = startLagProbe(config, ledger, source, quietLogger());
    await lag.measure();
    const metrics = createMetrics({ config, ledger, queues, logger: quietLogger(), lag });
    const text = await metrics.registry.metrics();
    expect(metricValue(text, 'licbridge_source_lag_rows', { pipeline: 'food-business-licenses' })).toBe(5);
    expect(metricValue(text, 'licbridge_attention', { kind: 'schedule-lag' })).toBe(1);
    lag.close();
  });
});
