/**
 * An extract job of a killed `licbridge run` outlives its process: still waiting its retry, it is
 * taken by the next run's workers while they empty the queues, and that run holds the pipeline
 * until its work is over. Refused there, the job ended its run `failed` (`…is being run by run R…`):
 * `status` then named a failed run for a person to look at, though nothing was lost, the
 * extraction going on from the checkpoint. It now ends its run `abandoned`, naming the run that
 * holds the pipeline, and the job completes. A run whose process still lives is refused as before.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { liveHolder, releasePipelines, takePipeline } from '../../pipelines/pipeline-lease.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { processOwner } from '../../pipelines/run-liveness.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';

let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let ledger: Ledger;
let queues: QueueSet;
let workers: ReturnType<typeof startWorkers>;
/** The run holding the pipeline, as the next `licbridge run` holds it while it empties the queues. */
const holder = `holder-${randomUUID()}`;

/** The owner of a run whose process has exited, on this host. */
async function deadOwner(): Promise<string> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid as number;
  await new Promise((r) => child.once('exit', r));
  return `${hostname()} ${pid}`;
}

/** Queues the extract job of the run, as `licbridge run` names it, and waits for it to end. */
async function extractEnds(runId: string): Promise<Job> {
  const job = await queues.extract.add(
    'extract',
    { pipeline: PIPELINE, runId, full: false },
    { jobId: `extract_${runId}` },
  );
  await until(async () => ['completed', 'failed'].includes(await job.getState()));
  return job;
}

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 4 });
  config = await loadConfig({ file: ws.configFile });
  rt = new Runtime(config, createLogger({ level: 'silent' }));
  ledger = await rt.ledger();
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
  await ledger.startRun({ runId: holder, pipeline: PIPELINE, mode: 'incremental', owner: processOwner() });
  expect(await takePipeline(ledger, PIPELINE, holder)).toBeNull();
  workers = startWorkers(rt, {
    connection: queueConnection(config.queue.redis),
    prefix: config.queue.prefix,
    queues,
  });
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await releasePipelines(ledger, [{ pipeline: PIPELINE, runId: holder }]);
  await ledger?.finishRun(holder, { state: 'done' });
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

describe('an extract job taken while another run holds the pipeline', () => {
  it("ends a killed run's run abandoned, naming the run holding the pipeline, and completes", async () => {
    const runId = `killed-${randomUUID()}`;
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental', owner: await deadOwner() });
    const job = await extractEnds(runId);

    const run = await ledger.getRun(runId);
    expect(run?.state).toBe('abandoned');
    // Named whole: the run a person looks up, not cut as a number in a driver's words would be.
    expect(run?.error).toContain(`run ${holder} holds the pipeline`);
    expect(run?.error).toContain('from the checkpoint');
    expect(run?.read).toBe(0);
    // Nothing in the queue's failed list for a person: the job did what was left to it.
    expect(await job.getState()).toBe('completed');
    // The holder keeps the pipeline.
    expect(await liveHolder(ledger, PIPELINE)).toMatchObject({ runId: holder });
    // Nor is it taken up again by a retry of its job: it stays abandoned.
    await (queues.extract as Queue).remove(job.id as string);
    expect((await ledger.getRun(runId))?.state).toBe('abandoned');
  }, 60_000);

  it('fails a run whose process still lives, saying which run holds the pipeline', async () => {
    const runId = `live-${randomUUID()}`;
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental', owner: processOwner() });
    const job = await extractEnds(runId);

    const run = await ledger.getRun(runId);
    expect(run?.state).toBe('failed');
    expect(run?.error).toMatch(/pipeline food-business-licenses is being run by run \S+ started at /);
    expect(run?.error).toContain('[LB_PIPELINE_BUSY]');
    expect(await job.getState()).toBe('failed');
    expect(await liveHolder(ledger, PIPELINE)).toMatchObject({ runId: holder });
  }, 60_000);
});
