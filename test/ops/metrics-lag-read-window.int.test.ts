/**
 * Outside its source's read window, a source answers a read with no rows (it may not be read
 * then), and the lag probe took that for "0 rows behind": `source_lag_rows` read 0 all day while
 * rows piled up. Outside the window the probe asks nothing, and the number it measured in the
 * window stands; never measured, there is no number. `licbridge status` says "not measured".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { startLagProbe } from '../../pipelines/observability/lag-probe.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { metricValue, opsConfig, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';
const HOUR = 3600_000;

/** `HH:MM`, host-local, of now plus `ms`. */
const at = (ms: number) => {
  const d = new Date(Date.now() + ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

describe('/metrics: the lag of a source with a read window', () => {
  let ws: DemoWorkspace;
  let ledger: Ledger;
  let queues: QueueSet;
  const opened: SourceConnector[] = [];

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    ledger = await openLedger(`sqlite://${ws.dir}/data/ledger.db`, { logger: quietLogger() });
    queues = createQueues({ host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null }, ws.prefix, [
      'province',
    ]);
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await queues?.close();
    await ledger?.close();
    await ws?.cleanup();
  });

  /** The demo config with `window` as the source's read window; a source opener and the lag gauge. */
  async function withWindow(name: string, window: string) {
    const { config } = await opsConfig(ws, name, 'metrics: { lagIntervalMs: 0, cacheMs: 0 }\n');
    const windowed: Readonly<Config> = {
      ...config,
      sources: {
        ...config.sources,
        'market-food': { ...config.sources['market-food'], readWindow: window } as never,
      },
    };
    let asked = 0;
    const source = async (n: string) => {
      asked += 1;
      const s = await openSource(n, windowed.sources[n] as never);
      opened.push(s);
      return s;
    };
    return { config: windowed, source, asked: () => asked };
  }

  it('reports no lag it could not measure outside the window, and asks the source nothing', async () => {
    const { config, source, asked } = await withWindow(
      'lag-window-closed.yaml',
      `${at(2 * HOUR)}-${at(3 * HOUR)}`,
    );
    const lag = startLagProbe(config, ledger, source, quietLogger());
    try {
      await lag.measure();
      const metrics = createMetrics({ config, ledger, queues, logger: quietLogger(), lag });
      const text = await metrics.registry.metrics();
      expect(metricValue(text, 'licbridge_source_lag_rows', { pipeline: PIPELINE })).toBeUndefined();
      expect(metricValue(text, 'licbridge_attention', { kind: 'source-unreachable' })).toBe(0);
      expect(asked()).toBe(0);
    } finally {
      lag.close();
    }
  });

  it('measures in the window, and keeps that number once the window has closed', async () => {
    const { config, source } = await withWindow('lag-window-open.yaml', `${at(-HOUR)}-${at(HOUR)}`);
    let now = new Date();
    const lag = startLagProbe(config, ledger, source, quietLogger(), () => now);
    try {
      await lag.measure();
      expect(lag.current().get(PIPELINE)).toBe(5);
      now = new Date(Date.now() + 2 * HOUR);
      await lag.measure();
      expect(lag.current().get(PIPELINE)).toBe(5);
      expect(lag.failures().size).toBe(0);
    } finally {
      lag.close();
    }
  });

  it('is "not measured" in `licbridge status` outside the window, not 0 rows behind', async () => {
    const { config } = await withWindow('status-window-closed.yaml', `${at(2 * HOUR)}-${at(3 * HOUR)}`);
    const closed = await collectStatus(config, ledger, queues, { timeoutMs: 5000 });
    expect(closed.pipelines.find((p) => p.pipeline === PIPELINE)?.lag).toBeNull();
    const { config: open } = await withWindow('status-window-open.yaml', `${at(-HOUR)}-${at(HOUR)}`);
    const measured = await collectStatus(open, ledger, queues, { timeoutMs: 5000 });
    expect(measured.pipelines.find((p) => p.pipeline === PIPELINE)?.lag).toEqual({ rows: 5, atLeast: false });
  });
});
