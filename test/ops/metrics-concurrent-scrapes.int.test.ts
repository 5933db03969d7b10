/**
 * Quarantine counts in `/metrics` are read from the totals the ledger keeps as pages commit; scrapes
 * that overlap (several metrics of one scrape, two Prometheus servers) must not count rows twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

function quarantinedTotal(text: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith('licbridge_rows_quarantined_total{'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

describe('/metrics: quarantine counts under overlapping scrapes', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  let queues: QueueSet;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60 });
    // cacheMs 0: every scrape reads the ledger afresh.
    ({ config } = await opsConfig(ws, 'every-scrape.yaml', 'metrics: { cacheMs: 0, lagIntervalMs: 0 }\n'));
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
    ledger = await openLedger(config.ledger.url);
    queues = createQueues(
      { host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
    );
  }, 120_000);
  afterAll(async () => {
    await queues?.close();
    await ledger?.close();
    await ws?.cleanup();
  });

  it('counts each quarantined row once per reason, however the scrapes overlap', async () => {
    const rows = await ledger.quarantineFor((await ledger.lastRun(PIPELINE))?.runId ?? '');
    const expected = rows.reduce((n, r) => n + new Set(r.reasons.map((x) => x.code)).size, 0);
    expect(expected).toBeGreaterThan(0);
    const metrics = createMetrics({ config, ledger, queues, logger: quietLogger() });
    const [a, b] = await Promise.all([metrics.registry.metrics(), metrics.registry.metrics()]);
    const c = await metrics.registry.metrics();
    expect([quarantinedTotal(a), quarantinedTotal(b), quarantinedTotal(c)]).toEqual([
      expected,
      expected,
      expected,
    ]);
  });
});
