/**
 * A copy of an extract job (a retry, a stalled-out copy, a job left in Redis) that started after
 * its run had ended read the source and committed its pages under that run: counted in a run said
 * to be failed, abandoned to a later run or done, and the checkpoint moved past rows the later run
 * was to read. The job now completes without reading; a run that ends between two pages stops the
 * read there, and one that ends between the look at it and a page's commit has the page refused.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { ExtractRunEnded, extractPipeline } from '../../pipelines/stages/extract.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';

let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let ledger: Ledger;
let queues: QueueSet;
let workers: WorkerSet | undefined;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 6 });
  // Pages of two rows: the run can end between pages.
  const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url });
  await writeFile(ws.configFile, yaml.replace('    pageSize: 100\n', '    pageSize: 2\n'));
  config = await loadConfig({ file: ws.configFile, env: {} });
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

async function runJob(data: { runId: string; full?: boolean }, jobId: string): Promise<string> {
  const job = await queues.extract.add('extract', { pipeline: PIPELINE, full: false, ...data }, { jobId });
  await until(async () => ['completed', 'failed'].includes(await job.getState()));
  return job.getState();
}

describe('an extract job whose run has ended', () => {
  it('commits no page under a failed, an abandoned or a scheduled failed run; a running run reads as before', async () => {
    for (const runId of ['ended-failed', 'ended-abandoned', 'scheduled-ended-tick'])
      await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
    await ledger.finishRun('ended-failed', { state: 'failed', error: 'sign: gone' });
    await ledger.finishRun('ended-abandoned', { state: 'abandoned', error: 'run later resumes it' });
    await ledger.finishRun('scheduled-ended-tick', { state: 'failed', error: 'sign: gone' });
    // The department's database is not even queried for a run that has ended.
    const source = (await rt.pipeline(PIPELINE)).source;
    const read = source.read.bind(source);
    let pagesFromSource = 0;
    source.read = async function* (options) {
      for await (const page of read(options)) {
        pagesFromSource += 1;
        yield page;
      }
    };
    workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages: ['extract'],
    });

    // Full reads, from the start whatever the checkpoint: each job would read every row again.
    const full = { full: true };
    expect(await runJob({ runId: 'ended-failed', ...full }, 'extract_ended-failed-stalled-1')).toBe(
      'completed',
    );
    expect(await runJob({ runId: 'ended-abandoned', ...full }, 'extract_ended-abandoned')).toBe('completed');
    // A scheduled job carries no run id (pipelines/schedules.ts): it works `scheduled-<job id>`.
    expect(await runJob({ runId: '', ...full }, 'ended-tick')).toBe('completed');
    for (const [runId, state] of [
      ['ended-failed', 'failed'],
      ['ended-abandoned', 'abandoned'],
      ['scheduled-ended-tick', 'failed'],
    ] as const) {
      const run = await ledger.getRun(runId);
      expect.soft(run, runId).toMatchObject({ state, read: 0, created: 0 });
      expect.soft(run?.extractedAt, runId).toBeFalsy();
    }
    expect(await ledger.getCheckpoint(PIPELINE)).toBeNull();
    expect(pagesFromSource).toBe(0);

    // The same source, for a run still running: every row read.
    await ledger.startRun({ runId: 'still-running', pipeline: PIPELINE, mode: 'incremental' });
    expect(await runJob({ runId: 'still-running' }, 'extract_still-running')).toBe('completed');
    expect((await ledger.getRun('still-running'))?.read).toBe(6);
    expect(await ledger.getCheckpoint(PIPELINE)).not.toBeNull();
    expect(pagesFromSource).toBe(3);
    source.read = read;
  }, 60_000);

  it('stops between pages when the run ends while it is read', async () => {
    const runId = 'ends-midway';
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    const parts = await rt.pipeline(PIPELINE);
    let checkpointAtEnd: unknown;
    const read = extractPipeline(parts, ledger, {
      runId,
      full: true,
      logger: rt.logger,
      onPage: async () => {},
      // Every page, new versions or not (the rows are in the ledger since the test above).
      onProgress: async () => {
        // Ended after its first page, as a `licbridge run` that gives up ends it.
        if ((await ledger.getRun(runId))?.state !== 'running') return;
        await ledger.finishRun(runId, { state: 'failed', error: 'run: nothing moved' });
        checkpointAtEnd = await ledger.getCheckpoint(PIPELINE);
      },
    });
    const error = await read.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExtractRunEnded);
    expect(error).toMatchObject({ state: 'failed', totals: { pages: 1, read: 2 } });
    expect(await ledger.getRun(runId)).toMatchObject({ state: 'failed', read: 2 });
    expect(await ledger.getCheckpoint(PIPELINE)).toEqual(checkpointAtEnd);
  }, 60_000);

  it('refuses the page whose run ends between the look at the run and the page commit', async () => {
    const runId = 'ends-before-commit';
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    const checkpointBefore = await ledger.getCheckpoint(PIPELINE);
    // Another process (a `licbridge run` that gives up) ends the run once the job has looked at it.
    const other = await openLedger(config.ledger.url, { logger: rt.logger });
    const commitPage = ledger.commitPage.bind(ledger);
    ledger.commitPage = async (input) => {
      if (input.runId === runId) await other.finishRun(runId, { state: 'failed', error: 'run: gave up' });
      return commitPage(input);
    };
    try {
      // The run ended, not the job: it completes, as when the look itself finds the run ended.
      expect(await runJob({ runId, full: true }, `extract_${runId}`)).toBe('completed');
    } finally {
      ledger.commitPage = commitPage;
      await other.close();
    }
    const run = await ledger.getRun(runId);
    expect(run).toMatchObject({ state: 'failed', read: 0, created: 0, unchanged: 0 });
    expect(run?.extractedAt).toBeFalsy();
    expect(await ledger.getCheckpoint(PIPELINE)).toEqual(checkpointBefore);
  }, 60_000);
});
