/**
 * A pipeline another run holds (pipelines/pipeline-lease.ts): `licbridge run` starts nothing and
 * says who holds it, with exit code 4; a scheduled firing reads nothing and is recorded as skipped,
 * which `status` shows. Before, both read the source beside the run already reading it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { releasePipelines, takePipeline } from '../../pipelines/pipeline-lease.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const HOLDER = 'holding-run';

let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let ledger: Ledger;
let queues: QueueSet;
let workers: WorkerSet | undefined;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 20 });
  config = await loadConfig({ file: ws.configFile, env: {} });
  rt = new Runtime(config, createLogger({ level: 'silent' }));
  ledger = await rt.ledger();
  // A run of the pipeline in this (live) process holds it.
  await ledger.startRun({ runId: HOLDER, pipeline: PIPELINE, mode: 'incremental' });
  expect(await takePipeline(ledger, PIPELINE, HOLDER)).toBeNull();
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

describe('a pipeline another run holds', () => {
  it('refuses `licbridge run`, naming the run holding it, with exit code 4', async () => {
    const out = await licbridge(['run', PIPELINE, '-c', ws.configFile], { cwd: ws.dir });
    expect(out.stderr).toContain(
      `licbridge: run: pipeline ${PIPELINE} is being run by run ${HOLDER} started at `,
    );
    expect(out.stderr).toContain('; not started [LB_PIPELINE_BUSY]');
    expect(out.status).toBe(4);
    // Nothing was started or read.
    expect((await ledger.runningRuns()).map((r) => r.runId)).toEqual([HOLDER]);
    expect(await ledger.getCheckpoint(PIPELINE)).toBeNull();
  }, 60_000);

  it('skips a scheduled firing and records it; status shows it', async () => {
    // Opened after the command above: it checks it leaves no connection of its own open.
    queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
    workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: ws.prefix,
      queues,
    });
    // A scheduler's job carries no run id (pipelines/schedules.ts).
    await queues.extract.add('extract', { pipeline: PIPELINE, runId: '', full: false }, { jobId: 'tick-1' });
    await until(async () => (await queues.extract.getJobState('tick-1')) === 'completed');
    expect(await ledger.getRun('scheduled-tick-1')).toBeNull();
    expect(await ledger.getCheckpoint(PIPELINE)).toBeNull();
    const skip = await ledger.pipelineLeases.lastSkip(PIPELINE);
    expect(skip).toMatchObject({ runId: 'scheduled-tick-1', heldBy: HOLDER, skips: 1 });

    const status = await licbridge(['status', '--json', '--no-sources', '-c', ws.configFile], {
      cwd: ws.dir,
    });
    const report = JSON.parse(status.stdout) as {
      pipelines: { pipeline: string; heldBy?: unknown; lastSkipped?: unknown }[];
    };
    const entry = report.pipelines.find((p) => p.pipeline === PIPELINE);
    expect(entry?.heldBy).toMatchObject({ runId: HOLDER });
    expect(entry?.lastSkipped).toMatchObject({ runId: 'scheduled-tick-1', heldBy: HOLDER, skips: 1 });
    const text = await licbridge(['status', '--no-sources', '-c', ws.configFile], { cwd: ws.dir });
    expect(text.stdout).toContain(`held by run ${HOLDER}`);
    expect(text.stdout).toContain('last scheduled run skipped: ');
    expect(text.stdout).toContain(`(scheduled-tick-1), run ${HOLDER} held the pipeline; 1 skipped`);
  }, 60_000);

  it('runs the next scheduled firing once the holder lets go, and lets the pipeline go when it has read', async () => {
    await releasePipelines(ledger, [{ pipeline: PIPELINE, runId: HOLDER }]);
    await queues.extract.add('extract', { pipeline: PIPELINE, runId: '', full: false }, { jobId: 'tick-2' });
    await until(async () => (await queues.extract.getJobState('tick-2')) === 'completed');
    expect(await ledger.getRun('scheduled-tick-2')).toMatchObject({ read: 20 });
    expect(await ledger.getCheckpoint(PIPELINE)).not.toBeNull();
    // Its extraction over, the pipeline is free for the next run.
    expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
    expect(await ledger.pipelineLeases.lastSkip(PIPELINE)).toMatchObject({
      runId: 'scheduled-tick-1',
      skips: 0,
    });
  }, 60_000);

  it('lets a left-over copy of an ended scheduled run end quietly, recording no skipped firing', async () => {
    // A scheduled run that ended, and a copy of its job queued again after it stalled out, which
    // carries its run id (workers/stalled-extract.ts), coming while another run holds the pipeline.
    const ended = 'scheduled-tick-0';
    await ledger.startRun({ runId: ended, pipeline: PIPELINE, mode: 'incremental' });
    await ledger.finishRun(ended, { state: 'abandoned', error: 'closed' });
    expect(await takePipeline(ledger, PIPELINE, HOLDER)).toBeNull();
    const before = await ledger.pipelineLeases.lastSkip(PIPELINE);
    await queues.extract.add(
      'extract',
      { pipeline: PIPELINE, runId: ended, full: false },
      { jobId: 'tick-0-copy' },
    );
    await until(async () => (await queues.extract.getJobState('tick-0-copy')) === 'completed');
    // Not a firing: `status` goes on naming the last one skipped, and counts none more.
    expect(await ledger.pipelineLeases.lastSkip(PIPELINE)).toEqual(before);
    expect(await ledger.getRun(ended)).toMatchObject({ state: 'abandoned' });
    expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toMatchObject({ runId: HOLDER });
  }, 60_000);

  it('shows no holder in status once the holding run let go or its lease ran out', async () => {
    const heldBy = async () => {
      const report = await collectStatus(config, ledger, queues, { probeSources: false });
      return report.pipelines.find((p) => p.pipeline === PIPELINE)?.heldBy;
    };
    expect(await heldBy()).toMatchObject({ runId: HOLDER });
    // Ended, its process holds the pipeline until it lets go (`licbridge run` settling).
    await ledger.finishRun(HOLDER, { state: 'failed', error: 'killed' });
    expect(await heldBy()).toMatchObject({ runId: HOLDER });
    await releasePipelines(ledger, [{ pipeline: PIPELINE, runId: HOLDER }]);
    expect(await heldBy()).toBeNull();
    // A holder on another host, killed: its lease, renewed no more, ran out.
    const killed = 'killed-elsewhere';
    await ledger.startRun({ runId: killed, pipeline: PIPELINE, mode: 'incremental' });
    const forMs = -1;
    expect(
      await ledger.pipelineLeases.claim({
        pipeline: PIPELINE,
        runId: killed,
        holder: 'other-host 4242',
        forMs,
      }),
    ).toBeNull();
    expect(await heldBy()).toBeNull();
    expect(await takePipeline(ledger, PIPELINE, 'next-run')).toBeNull();
  }, 60_000);
});
