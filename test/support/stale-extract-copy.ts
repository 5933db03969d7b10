/**
 * An extract job whose worker was starved past its lock, read by two copies at once: the first
 * worker set takes the job and is held at its first page; the job's lock is dropped, BullMQ's
 * stalled check puts the job back, and a second worker set (its own runtime, as a second worker
 * process has) takes it and is held at its first page too. The demo workspace (`rows` rows, pages
 * of 10) is opened before the tests of the calling file and closed after them. Needs Redis.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from './demo-workspace.js';
import { until } from './until.js';

const PIPELINE = 'food-business-licenses';

function signal(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((r) => {
    open = r;
  });
  return { wait, open };
}

/**
 * `ledger` whose first commitPage opens `reading` and waits for `go`; with `fail`, it then throws
 * a retryable-looking error instead of committing (a dropped connection, say).
 */
function holdFirstCommit(ledger: Ledger, reading: () => void, go: Promise<void>, fail = false): void {
  const commitPage = ledger.commitPage.bind(ledger);
  let first = true;
  ledger.commitPage = async (input) => {
    if (first) {
      first = false;
      reading();
      await go;
      if (fail) throw new Error('test: the ledger connection dropped (fake)');
    }
    return commitPage(input);
  };
}

/** The two copies, each held at its first page. */
export interface TwoCopies {
  /** The extract job, as queued once (`attempts: 1`). */
  job: Job;
  /** The first copy's runtime's ledger. */
  ledgerA: Ledger;
  /** The second copy's runtime's ledger. */
  ledgerB: Ledger;
  /** Lets the first copy go on and closes its worker set, which waits for the copy to end. */
  endFirst(): Promise<void>;
  /** Lets the second copy go on. */
  releaseSecond(): void;
}

export interface StaleExtractCopy {
  /**
   * Queues the extract job of `runId` (`extract_<runId>`, one attempt) and brings both copies to
   * their first page. With `firstFails`, the first copy's held page throws once let go.
   */
  twoCopies(runId: string, options?: { firstFails?: boolean }): Promise<TwoCopies>;
}

export function staleExtractCopy(rows: number): StaleExtractCopy {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  // One runtime per worker set, as two worker processes have.
  let rtA: Runtime;
  let rtB: Runtime;
  let queues: QueueSet;
  let workersA: WorkerSet | undefined;
  let workersB: WorkerSet | undefined;
  // Opened in afterAll too: a copy held at its first page would hold its worker's close.
  const aGo = signal();
  const bGo = signal();

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows });
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, text.replace('pageSize: 100', 'pageSize: 10'));
    config = await loadConfig({ file: ws.configFile });
    rtA = new Runtime(config, createLogger({ level: 'silent' }));
    rtB = new Runtime(config, createLogger({ level: 'silent' }));
    queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rtA.logger);
  }, 60_000);

  afterAll(async () => {
    aGo.open();
    bGo.open();
    await workersA?.close();
    await workersB?.close();
    await queues?.close();
    await rtA?.close();
    await rtB?.close();
    await ws?.cleanup();
  });

  return {
    async twoCopies(runId, { firstFails = false } = {}) {
      const jobId = `extract_${runId}`;
      const ledgerA = await rtA.ledger();
      const ledgerB = await rtB.ledger();
      const aReading = signal();
      const bReading = signal();
      holdFirstCommit(ledgerA, aReading.open, aGo.wait, firstFails);
      holdFirstCommit(ledgerB, bReading.open, bGo.wait);
      const workerOptions = {
        connection: queueConnection(config.queue.redis),
        prefix: config.queue.prefix,
        queues,
        stages: ['extract' as const],
        lockDurationMs: 1000,
        stalledIntervalMs: 300,
      };

      workersA = startWorkers(rtA, workerOptions);
      // One attempt: whatever the first copy fails on, it counts as the job's last.
      const job = await queues.extract.add(
        'extract',
        { pipeline: PIPELINE, runId, full: false },
        { jobId, attempts: 1 },
      );
      await aReading.wait;
      // The first copy's worker starved past its lock: the lock is gone, and the stalled check puts
      // the job back for another worker while the first copy still runs.
      const redis = new Redis({ host: '127.0.0.1', port: 6379 });
      try {
        // Gone already if this host's own load starved the worker: the same thing, unforced.
        await redis.del(`${config.queue.prefix}:extract:${jobId}:lock`);
      } finally {
        redis.disconnect();
      }
      await until(async () => (await job.getState()) === 'waiting', 40_000, { what: 'the job put back' });
      workersB = startWorkers(rtB, workerOptions);
      await bReading.wait;

      return {
        job,
        ledgerA,
        ledgerB,
        async endFirst() {
          aGo.open();
          await workersA?.close();
          workersA = undefined;
        },
        releaseSecond: bGo.open,
      };
    },
  };
}
