/**
 * An extract job overtaken by another copy of itself (a stalled job BullMQ handed to a second
 * worker while the first still ran): the other copy commits a page of the run after this one read
 * its own, and then dies. The overtaken copy's commit is refused (ledger/commit-page-chain.ts); a
 * refusal on the job's last attempt failed the run, though the run's pages were all to be read.
 * The job now waits a lock's length without spending an attempt, reads on from the checkpoint the
 * other copy left, and extracts the run: every row once, the run not failed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { overriding } from '../support/meanwhile.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const RUN_ID = 'overtaken-run';
const ROWS = 40;

let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let ledger: Ledger;
let queues: QueueSet;
let workers: WorkerSet | undefined;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: ROWS });
  // Pages of ten rows: the other copy commits the first, the job the rest.
  const text = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, text.replace('pageSize: 100', 'pageSize: 10'));
  config = await loadConfig({ file: ws.configFile });
  rt = new Runtime(config, createLogger({ level: 'silent' }));
  ledger = await rt.ledger();
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

describe('an extract job overtaken by another copy of itself', () => {
  it('waits and reads on from the checkpoint the other copy left, on its last attempt too', async () => {
    await ledger.startRun({ runId: RUN_ID, pipeline: PIPELINE, mode: 'incremental' });
    const parts = await rt.pipeline(PIPELINE);
    const commitPage = ledger.commitPage.bind(ledger);
    // The other copy's ledger: its first page commits, and it dies before its second.
    let otherCommits = 0;
    const other = overriding(ledger, {
      commitPage: (input: Parameters<Ledger['commitPage']>[0]) => {
        otherCommits += 1;
        if (otherCommits > 1) throw new Error('the other copy died');
        return commitPage(input);
      },
    });
    let first = true;
    ledger.commitPage = async (input) => {
      if (first) {
        first = false;
        // The job has read its first page; the other copy commits that page first.
        await extractPipeline(parts, other, {
          runId: RUN_ID,
          full: false,
          onPage: async () => {},
          logger: rt.logger,
        }).catch(() => undefined);
      }
      return commitPage(input);
    };
    try {
      workers = startWorkers(rt, {
        connection: queueConnection(config.queue.redis),
        prefix: config.queue.prefix,
        queues,
        stages: ['extract'],
        // The wait is a lock's length: short, but 5 s, not 1 s. The worker renews its lock from this
        // process, so a pause of it under a full suite past the lock (Redis's time runs on) lost the
        // job to the stalled check, and the job's own end with it.
        lockDurationMs: 5000,
      });
      const job = await queues.extract.add(
        'extract',
        { pipeline: PIPELINE, runId: RUN_ID, full: false },
        { jobId: `extract_${RUN_ID}`, attempts: 1 },
      );
      await until(async () => ['completed', 'failed'].includes(await job.getState()));
      expect(await job.getState()).toBe('completed');
    } finally {
      ledger.commitPage = commitPage;
    }
    expect(otherCommits).toBe(2);

    const run = await ledger.getRun(RUN_ID);
    expect(run?.state).toBe('running');
    expect(run?.error).toBeNull();
    expect(run?.extractedAt).toBeInstanceOf(Date);
    // Every row once: the other copy's page and the job's three after it.
    expect(run).toMatchObject({ read: ROWS, unchanged: 0 });
    expect((run?.created ?? 0) + (run?.quarantined ?? 0)).toBe(ROWS);
  }, 60_000);
});
