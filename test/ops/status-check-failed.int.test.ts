/**
 * A scheduled full check that fails (here: the department's database is gone) stores no report.
 * The worker records the failed attempt in the ledger, and `licbridge status` and `/metrics` say
 * that the full check failed instead of showing the last findings as if current; a check that
 * completes again clears it. Two ticks without a completed full check are `check-stale`.
 */
import { rename } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { syncSchedules } from '../../pipelines/schedules.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { metricValue, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';
const DAY = 24 * 3600 * 1000;

describe('status: a scheduled full check that fails is flagged', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let queues: QueueSet;
  let ledger: Ledger;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province']);
    ledger = await openLedger(config.ledger.url);
    await syncSchedules(config, queues);
  });
  afterAll(async () => {
    await ledger?.close();
    await queues?.close();
    await ws?.cleanup();
  });

  /** Makes the installed full check due now and lets one worker process work it to its end. */
  const scheduledCheck = async (): Promise<'completed' | 'failed'> => {
    const [next] = await queues.reconcile.getDelayed();
    if (!next?.id) throw new Error('no scheduled full check waiting');
    await next.promote();
    const rt = new Runtime(config, quietLogger());
    const workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages: ['reconcile'],
    });
    try {
      for (;;) {
        const state = await queues.reconcile.getJobState(next.id);
        if (state === 'completed' || state === 'failed') return state;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await workers.close();
      await rt.close();
    }
  };

  const status = (now?: Date) =>
    collectStatus(config, ledger, queues, { probeSources: false, ...(now ? { now } : {}) });

  it('says when the last attempt failed and why, in status and /metrics', async () => {
    const rt = new Runtime(config, quietLogger());
    const baseline = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'full' }).finally(() =>
      rt.close(),
    );
    expect((await status()).attentionByKind['check-failed']).toBe(0);

    await rename(ws.legacyDb, `${ws.legacyDb}.moved`);
    try {
      expect(await scheduledCheck()).toBe('failed');
    } finally {
      await rename(`${ws.legacyDb}.moved`, ws.legacyDb);
    }

    const report = await status();
    expect(report.attentionByKind['check-failed']).toBe(1);
    const line = report.attention.find((a) => a.includes('the last full check failed'));
    expect(line).toMatch(
      /failed at \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? [+-]\d\d:\d\d \(attempt 1 of 2\): LB_SOURCE_UNREACHABLE: source market-food: /,
    );
    // An unreachable source is not retried: the one attempt was the last.
    expect(line).not.toContain('to be retried');
    expect(line).toContain(`report ${baseline.reportId}`);

    const metrics = createMetrics({ config, ledger, queues, logger: quietLogger() });
    const text = await metrics.registry.metrics();
    expect(metricValue(text, 'licbridge_attention', { kind: 'check-failed' })).toBe(1);
  });

  it('two nightly ticks later the full check is stale as well', async () => {
    const later = await status(new Date(Date.now() + 3 * DAY));
    expect(later.attentionByKind['check-stale']).toBe(1);
    expect(later.attention.find((a) => a.includes('reconcile.schedule'))).toContain('0 2 * * *');
  });

  it('a scheduled check that completes again clears it', async () => {
    expect(await scheduledCheck()).toBe('completed');
    const report = await status();
    expect(report.attentionByKind['check-failed']).toBe(0);
    expect(report.attentionByKind['check-stale']).toBe(0);
  });
});
