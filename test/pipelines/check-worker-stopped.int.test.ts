/**
 * A scheduled full check taken by a worker that is shutting down (SIGTERM: its set's stop is
 * aborted) went on to the end of the source and the listing, however long that took, so the
 * worker either held its shutdown for hours or was killed and left the job to stall. The check now
 * hears the stop (reconcilePipeline's signal: it stores no report) and its job goes back to the
 * queue without spending an attempt, as a stopped lifecycle tick does: not a failed check, not a
 * lost one; the next worker runs it again, to the end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Page } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { failedCheckOf } from '../../pipelines/reconcile/failed-check.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { reconcileWorker } from '../../pipelines/workers/check-workers.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

describe('a full check taken by a worker shutting down', () => {
  let ws: DemoWorkspace | undefined;
  let rt: Runtime | undefined;
  let queues: QueueSet | undefined;

  afterEach(async () => {
    await queues?.close();
    await rt?.close();
    // Drops the workspace's ledger and every Redis key of its unique queue prefix.
    await ws?.cleanup();
    ws = rt = queues = undefined;
  });

  it('stores no report, is not failed, and goes back to the queue unspent for the next worker to finish', async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    rt = new Runtime(config, quiet);
    const connection = queueConnection(config.queue.redis);
    queues = createQueues(connection, ws.prefix, ['province'], quiet);
    const base = {
      connection,
      prefix: ws.prefix,
      lockDuration: 5000,
      stalledInterval: 5000,
      maxStalledCount: 3,
    };
    const ledger = await rt.ledger();

    // The worker set is closing: its stop is aborted before the check starts.
    const stop = new AbortController();
    stop.abort('worker shutdown');
    const stopping = reconcileWorker(rt, { base, queues }, stop.signal);
    stopping.on('error', () => undefined);
    const outcomes: string[] = [];
    let taken = 0;
    // Taken twice: put back, not completed or failed. Either of those ends the wait too.
    const settled = new Promise<void>((resolve) => {
      stopping.on('active', () => {
        taken += 1;
        if (taken === 2) resolve();
      });
      stopping.on('completed', () => {
        outcomes.push('completed');
        resolve();
      });
      stopping.on('failed', (_job, err) => {
        outcomes.push(`failed: ${err.message}`);
        resolve();
      });
    });
    try {
      await queues.reconcile.add('reconcile', { pipeline: PIPELINE }, { jobId: 'check-1' });
      await settled;
    } finally {
      await stopping.close();
    }
    expect(outcomes).toEqual([]);
    const job = await queues.reconcile.getJob('check-1');
    expect(['delayed', 'waiting', 'wait']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0);
    // No report and no failed check: `status` goes on showing the last check that finished.
    const reports = await ledger.getReports({ pipeline: PIPELINE, limit: 10 });
    expect(reports).toEqual([]);

    // A worker not shutting down takes the same job and runs the check to its end.
    const finisher = reconcileWorker(rt, { base, queues });
    finisher.on('error', () => undefined);
    let result: { reportId?: string } | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        finisher.on('completed', (done, value: { reportId?: string }) => {
          if (done.id === 'check-1') {
            result = value;
            resolve();
          }
        });
        finisher.on('failed', (_job, err) => reject(err));
      });
    } finally {
      await finisher.close();
    }
    const stored = await ledger.getReports({ pipeline: PIPELINE, limit: 10 });
    expect(stored.map((r) => r.reportId)).toEqual([result?.reportId]);
    expect(stored.flatMap((r) => failedCheckOf(r) ?? [])).toEqual([]);
  }, 60_000);

  it("is stopped mid-read by its worker set's close, and queued again unspent", async () => {
    ws = await createDemoWorkspace({ rows: 30 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    rt = new Runtime(config, quiet);
    const connection = queueConnection(config.queue.redis);
    queues = createQueues(connection, ws.prefix, ['province'], quiet);
    const parts = await rt.pipeline(PIPELINE);
    const pages: Page[] = [];
    for await (const page of parts.source.read({
      stream: parts.config.stream,
      after: null,
      pageSize: 10,
      record: false,
    }))
      pages.push(page);
    expect(pages.length).toBeGreaterThan(1);
    // The check's source reads its first page, then waits for the test, ignoring any signal: the
    // set's close comes while the check is in flight, and the check goes on after it.
    let inFlight!: () => void;
    const reading = new Promise<void>((resolve) => {
      inFlight = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    Object.assign(parts.source, {
      bucketDigests: undefined,
      readBuckets: undefined,
      async *read() {
        for (const [i, page] of pages.entries()) {
          if (i === 1) {
            inFlight();
            await released;
          }
          yield page;
        }
      },
    });
    const workers = startWorkers(rt, {
      connection,
      prefix: ws.prefix,
      queues,
      stages: ['reconcile'],
      lockDurationMs: 5000,
      stalledIntervalMs: 5000,
    });
    await queues.reconcile.add('reconcile', { pipeline: PIPELINE }, { jobId: 'check-2' });
    await reading;
    const closing = workers.close();
    release();
    await closing;
    const job = await queues.reconcile.getJob('check-2');
    expect(['delayed', 'waiting', 'wait']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0);
    const ledger = await rt.ledger();
    expect(await ledger.getReports({ pipeline: PIPELINE, limit: 10 })).toEqual([]);
  }, 60_000);
});
