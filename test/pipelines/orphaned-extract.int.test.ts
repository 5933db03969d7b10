/**
 * A run whose extract job is gone — removed, lost with a Redis restarted without persistence, or
 * failed for good by stalling after its worker was killed mid-stage, which BullMQ records without
 * the stage's own failure handling — stayed `running`, never extracted, for good. The pipeline's
 * next scheduled run, or the next `licbridge run`, now closes it as `abandoned`, naming the run
 * that resumes its extraction from the checkpoint. A run whose extract job still waits (a retry's
 * backoff) is left to it, and so is one whose process died while a worker took its job over:
 * it ends as its job ends.
 */
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const DAY = 86_400_000;

let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let ledger: Ledger;
let queues: QueueSet;

/** An extract job that waits out a long retry backoff: unfinished, and taken by no worker here. */
async function waitingExtract(jobId: string, runId: string): Promise<void> {
  await queues.extract.add('extract', { pipeline: PIPELINE, runId, full: false }, { jobId, delay: DAY });
}

/** A pid no process has: the owner of a run whose `licbridge run` was killed on this host. */
const DEAD_OWNER = `${hostname()} 4194000`;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 6 });
  config = await loadConfig({ file: ws.configFile });
  rt = new Runtime(config, createLogger({ level: 'silent' }));
  ledger = await rt.ledger();
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
}, 60_000);

afterAll(async () => {
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

describe('a run whose extract job is gone', () => {
  it("is closed by the pipeline's next scheduled run, which extracts in its stead", async () => {
    // Scheduled runs started by extract jobs since lost, and one whose job still waits.
    await ledger.startRun({ runId: 'scheduled-lost', pipeline: PIPELINE, mode: 'incremental' });
    await ledger.startRun({ runId: 'scheduled-waits', pipeline: PIPELINE, mode: 'incremental' });
    await waitingExtract('waits', '');
    // A repair's run is started by its live process before its extract job is queued.
    await ledger.startRun({ runId: 'repair-1', pipeline: PIPELINE, mode: 'full' });

    const workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
    });
    try {
      const job = await queues.extract.add('extract', { pipeline: PIPELINE, runId: '', full: false });
      await until(async () => ['completed', 'failed'].includes(await job.getState()));
      expect(await job.getState()).toBe('completed');
      const scheduled = `scheduled-${job.id}`;
      const p = rt.pipelineConfig(PIPELINE);
      await until(async () => {
        const b = await ledger.pipelineBacklog(PIPELINE, sealIdOf(config, p), p.targets);
        return b.unsigned === 0 && (b.undelivered.province ?? 0) === 0;
      });
      await workers.close();

      const lost = await ledger.getRun('scheduled-lost');
      expect(lost?.state).toBe('abandoned');
      expect(lost?.error).toContain(`run ${scheduled} resumes it from the checkpoint`);
      expect((await ledger.getRun(scheduled))?.state).toBe('done');
      expect((await ledger.getRun(scheduled))?.created).toBeGreaterThan(0);
      expect((await ledger.getRun('scheduled-waits'))?.state).toBe('running');
      expect((await ledger.getRun('repair-1'))?.state).toBe('running');
    } finally {
      await workers.close();
      await queues.extract.remove('waits');
    }
    await ledger.finishRun('scheduled-waits', { state: 'failed', error: 'test' });
    await ledger.finishRun('repair-1', { state: 'failed', error: 'test' });
  }, 60_000);

  it('is closed by the next licbridge run; a dead run whose job a worker took over is not', async () => {
    await ledger.startRun({ runId: 'scheduled-lost-2', pipeline: PIPELINE, mode: 'incremental' });
    // A killed `licbridge run` whose extract job another worker retries (it waits its backoff).
    await ledger.startRun({
      runId: 'taken-over',
      pipeline: PIPELINE,
      mode: 'incremental',
      owner: DEAD_OWNER,
    });
    await waitingExtract('extract_taken-over', 'taken-over');
    // A killed `licbridge run` whose extract job went with Redis.
    await ledger.startRun({ runId: 'killed', pipeline: PIPELINE, mode: 'incremental', owner: DEAD_OWNER });
    try {
      const [summary] = await runPipelines(config, {
        pipelines: [PIPELINE],
        full: false,
        logger: createLogger({ level: 'silent' }),
      });
      expect(summary?.state).toBe('done');
      const lost = await ledger.getRun('scheduled-lost-2');
      expect(lost?.state).toBe('abandoned');
      expect(lost?.error).toContain(`run ${summary?.runId} resumes it from the checkpoint`);
      expect((await ledger.getRun('killed'))?.state).toBe('abandoned');
      // Left to its job, not marked abandoned under it. This run's workers took the job when they
      // emptied the queues, and the run still held the pipeline then (it holds it until its work
      // is over, its light check included): the job read nothing and ended its run abandoned, its
      // process gone, naming the run holding the pipeline (not failed: nothing for a person to fix).
      const takenOver = await ledger.getRun('taken-over');
      expect(takenOver?.state).toBe('abandoned');
      expect(takenOver?.error).toContain(`run ${summary?.runId} holds the pipeline`);
    } finally {
      await (queues.extract as Queue).remove('extract_taken-over');
    }
  }, 60_000);
});
