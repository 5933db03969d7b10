/**
 * A scheduled full check stopped by its worker's shutdown goes back to the queue without spending an
 * attempt, and runs again from the start. A worker that keeps shutting down — restarted over and
 * over, each time stopping the check it took — neither stalled the job out nor failed it: the check
 * never finished, and `status` showed the last findings as current, with nothing but a warning per
 * shutdown in the worker's log. Stopped as often as a stalled job is let stall (`maxStalledCount`),
 * the check is given up as one that stalled out is: recorded as a failed check (`check-failed`) and
 * failed for good; the next tick of `reconcile.schedule` checks again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { readCheckHistory } from '../../pipelines/observability/check-attention.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { reconcileWorker } from '../../pipelines/workers/check-workers.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

describe('a scheduled full check stopped by one worker shutdown after another', () => {
  let ws: DemoWorkspace;
  let queues: QueueSet | undefined;
  const prefix = `test-${randomUUID()}`;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  }, 120_000);
  afterAll(async () => {
    await queues?.close();
    await obliterate(prefix);
    await ws?.cleanup();
  });

  it('is given up as a failed check for status once stopped maxStalledCount times', {
    timeout: 30_000,
  }, async () => {
    const loaded = await loadConfig({ file: ws.configFile, env: {} });
    const config = { ...loaded, queue: { ...loaded.queue, prefix } } as Readonly<Config>;
    const connection = queueConnection(config.queue.redis);
    queues = createQueues(connection, prefix, []);
    const rt = new Runtime(config, createLogger({ level: 'silent' }));
    // Every worker that takes the check is shutting down: its stop is aborted before the check starts.
    const stop = new AbortController();
    stop.abort('worker shutdown');
    const base = { connection, prefix, lockDuration: 5000, stalledInterval: 5000, maxStalledCount: 3 };
    const worker = reconcileWorker(rt, { base, queues }, stop.signal);
    worker.on('error', () => undefined);
    let taken = 0;
    // Given up at its third stop, or (as before) taken a fourth time.
    const settled = new Promise<void>((resolve) => {
      worker.on('failed', () => resolve());
      worker.on('active', () => {
        taken += 1;
        if (taken === 4) resolve();
      });
    });
    try {
      await queues.reconcile.add('reconcile', { pipeline: PIPELINE }, { jobId: 'check-1' });
      await settled;
    } finally {
      await worker.close();
    }
    const job = await queues.reconcile.getJob('check-1');
    const state = await job?.getState();
    const history = await readCheckHistory(await rt.ledger(), PIPELINE);
    await rt.close();
    expect(state).toBe('failed');
    expect(taken).toBe(3);
    expect(job?.failedReason).toMatch(/stopped by 3 worker shutdowns/);
    expect(history.lastFailure).toMatchObject({ final: true });
    expect(history.lastFailure?.message).toMatch(/stopped by 3 worker shutdowns in a row/);
  });
});
