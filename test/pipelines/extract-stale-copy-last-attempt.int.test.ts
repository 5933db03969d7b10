/**
 * An extract job whose worker was starved past its lock: BullMQ's stalled check hands the job to a
 * second worker, which reads the run, while the first copy still runs. The first copy then fails on
 * what it counts as its job's last attempt. It failed the run in the ledger while the second copy
 * still read it (that copy then stopped at its next page, the run said over). The job is the second
 * copy's: BullMQ refuses the first copy's failure, and the run is left to the copy holding the job.
 */

import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { SCHEDULED } from '../../pipelines/run-liveness.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 40;

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
  ws = await createDemoWorkspace({ rows: ROWS });
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

describe("a stalled extract job's first copy failing on its last attempt while its second still reads", () => {
  it('leaves the run running for the second copy, which reads it to its end', async () => {
    const runId = `${SCHEDULED}last-${randomUUID()}`;
    const jobId = `extract_${runId}`;
    const ledgerA = await rtA.ledger();
    const ledgerB = await rtB.ledger();
    const aReading = signal();
    const bReading = signal();
    holdFirstCommit(ledgerA, aReading.open, aGo.wait, true);
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

    // The first copy fails; closing its worker waits for it.
    aGo.open();
    await workersA.close();
    workersA = undefined;
    const meanwhile = await ledgerA.getRun(runId);
    expect({ state: meanwhile?.state, error: meanwhile?.error }).toEqual({ state: 'running', error: null });
    // BullMQ kept the job for the second copy: the first copy's failure did not fail it.
    expect(await job.getState()).toBe('active');

    // The second copy reads every page of the run and marks it extracted.
    bGo.open();
    await until(async () => (await job.getState()) === 'completed', 40_000, { what: 'the job completed' });
    const run = await ledgerB.getRun(runId);
    expect(run?.state).toBe('running');
    expect(run?.extractedAt).toBeInstanceOf(Date);
    expect(run?.read).toBe(ROWS);
    expect(await ledgerB.pipelineLeases.holderOf(PIPELINE)).toBeNull();
  }, 60_000);
});
