/**
 * A scheduled run's extract job whose worker was starved past its lock: BullMQ's stalled check
 * hands the job to a second worker, which takes the run's pipeline lease (the same run) and reads,
 * while the first copy still runs. The first copy, finishing, let the pipeline's lease go — the
 * lease is the run's, not the copy's — and left the second copy reading with no lease: a third
 * extraction (the next firing, a `licbridge run`) could start beside it. Only the copy that still
 * holds the job lets the lease go now; the second copy does when it ends.
 */

import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { takePipeline } from '../../pipelines/pipeline-lease.js';
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

/** `ledger` whose first commitPage opens `reading` and waits for `go`. */
function holdFirstCommit(ledger: Ledger, reading: () => void, go: Promise<void>): void {
  const commitPage = ledger.commitPage.bind(ledger);
  let first = true;
  ledger.commitPage = async (input) => {
    if (first) {
      first = false;
      reading();
      await go;
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

describe("a stalled extract job's first copy ending while its second still reads", () => {
  it("leaves the pipeline's lease to the second copy, which lets it go when it ends", async () => {
    // A scheduled job queued again after it stalled out carries its run id; it takes the lease here.
    const runId = `${SCHEDULED}lease-${randomUUID()}`;
    const jobId = `extract_${runId}`;
    const ledgerA = await rtA.ledger();
    const ledgerB = await rtB.ledger();
    const aReading = signal();
    const bReading = signal();
    holdFirstCommit(ledgerA, aReading.open, aGo.wait);
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
    expect((await ledgerB.pipelineLeases.holderOf(PIPELINE))?.runId).toBe(runId);

    // The first copy reads the run to its end; closing its worker waits for it.
    aGo.open();
    await workersA.close();
    workersA = undefined;
    expect((await ledgerA.getRun(runId))?.extractedAt).toBeInstanceOf(Date);

    // The second copy still runs: the pipeline is still its run's, and a third extraction is refused.
    expect((await ledgerB.pipelineLeases.holderOf(PIPELINE))?.runId).toBe(runId);
    const third = await takePipeline(ledgerB, PIPELINE, `third-${randomUUID()}`);
    expect(third?.runId).toBe(runId);

    // The second copy, overtaken, waits and finds the run extracted; ending, it lets the lease go.
    bGo.open();
    await until(async () => (await job.getState()) === 'completed', 40_000, { what: 'the job completed' });
    expect(await ledgerB.pipelineLeases.holderOf(PIPELINE)).toBeNull();
  }, 60_000);
});
