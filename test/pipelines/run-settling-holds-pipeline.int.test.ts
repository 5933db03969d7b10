/**
 * `licbridge run` holds its pipeline until its work is over: past its run marked `done` (by the
 * job that delivers its last version, or by its extract job when it read nothing new), while the
 * process empties the queues and makes its light check after the run. Before, a lease whose run
 * had ended held nothing: a second `licbridge run`, or a scheduled firing on a worker, took the
 * pipeline meanwhile and extracted while the light check read the source, which could then report
 * that run's rows `missed` (exit 3 for an unattended job). Now both are refused as beside any run
 * (exit 4, a firing skipped), and the pipeline is free once the run's process lets it go. On the
 * SQLite and PostgreSQL ledgers; needs Redis.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { PipelineBusy, takePipeline } from '../../pipelines/pipeline-lease.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { type RunSummary, runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { postgresBackend, type TestDatabase } from '../ledger/backends.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

/** Where the run is held, once: entering the queues' drain, or the light check. */
type Step = 'drain' | 'check';
let holdAt: Step | undefined;
let reached: () => void = () => undefined;
let gate: Promise<void> = Promise.resolve();

/** The run's settling waits at `holdAt` (once) until the gate opens. */
async function waitAt(step: Step): Promise<void> {
  if (holdAt !== step) return;
  holdAt = undefined;
  reached();
  await gate;
}

vi.mock('../../pipelines/drain-queues.js', async (original) => {
  const real = await original<typeof import('../../pipelines/drain-queues.js')>();
  return {
    ...real,
    drainQueues: async (...args: Parameters<typeof real.drainQueues>) => {
      await waitAt('drain');
      return real.drainQueues(...args);
    },
  };
});

vi.mock('../../pipelines/reconcile/reconcile.js', async (original) => {
  const real = await original<typeof import('../../pipelines/reconcile/reconcile.js')>();
  return {
    ...real,
    reconcilePipeline: async (...args: Parameters<typeof real.reconcilePipeline>) => {
      await waitAt('check');
      return real.reconcilePipeline(...args);
    },
  };
});

describe.each([
  { name: 'sqlite', pg: false },
  { name: 'postgres', pg: true },
])('a `licbridge run` settling after its run is done ($name ledger)', ({ pg }) => {
  let ws: DemoWorkspace;
  let database: TestDatabase | undefined;
  let config: Readonly<Config>;
  let rt: Runtime;
  let ledger: Ledger;
  let queues: QueueSet;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    if (pg) {
      database = await postgresBackend.create();
      const yaml = (await readFile(ws.configFile, 'utf8')).replace('sqlite://./data/ledger.db', database.url);
      expect(yaml).toContain(database.url);
      await writeFile(ws.configFile, yaml);
    }
    config = await loadConfig({ file: ws.configFile, env: {} });
    rt = new Runtime(config, quiet);
    ledger = await rt.ledger();
    queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], quiet);
  }, 60_000);

  afterAll(async () => {
    await queues?.close();
    await rt?.close();
    await ws?.cleanup();
    await database?.dispose();
  });

  /**
   * Runs the pipeline, held at `step` while `beside` runs; the run's summary, once the gate
   * opened (whatever `beside` found).
   */
  async function runHeldAt(step: Step, beside: (runId: string) => Promise<void>): Promise<RunSummary> {
    let open: () => void = () => undefined;
    gate = new Promise((r) => {
      open = r;
    });
    const held = new Promise<void>((r) => {
      reached = r;
    });
    holdAt = step;
    const first = runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quiet });
    try {
      await Promise.race([
        held,
        first.then(() => Promise.reject(new Error(`the run never reached ${step}`))),
      ]);
      const run = await ledger.lastRun(PIPELINE);
      expect(run?.state).toBe('done');
      await beside(run?.runId as string);
    } finally {
      holdAt = undefined;
      open();
    }
    const [summary] = await first;
    return summary as RunSummary;
  }

  /** A second run and a scheduled firing, each refused while the first run holds the pipeline. */
  async function refusedBeside(runId: string): Promise<void> {
    // Started as `licbridge run` starts it (the command's exit 4 for LB_PIPELINE_BUSY is
    // pipeline-busy-run's). Not the command in this process: the first run's connections, opened
    // while it ran, would read as left open by it (support/cli-in-process.ts) and fail it as a hang.
    const second = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quiet }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(second).toBeInstanceOf(PipelineBusy);
    expect((second as PipelineBusy).code).toBe('LB_PIPELINE_BUSY');
    expect((second as PipelineBusy).held.runId).toBe(runId);
    expect((second as Error).message).toContain(
      `run: pipeline ${PIPELINE} is being run by run ${runId} started at `,
    );
    // Another host's run is refused as well.
    expect(await takePipeline(ledger, PIPELINE, randomUUID(), 'other-host 4242')).toMatchObject({ runId });
    // A scheduler's job carries no run id (pipelines/schedules.ts); the run's workers take it.
    const jobId = `tick-${randomUUID()}`;
    const checkpoint = await ledger.getCheckpoint(PIPELINE);
    await queues.extract.add('extract', { pipeline: PIPELINE, runId: '', full: false }, { jobId });
    await until(async () => (await queues.extract.getJobState(jobId)) === 'completed');
    expect(await ledger.getRun(`scheduled-${jobId}`)).toBeNull();
    expect(await ledger.pipelineLeases.lastSkip(PIPELINE)).toMatchObject({
      runId: `scheduled-${jobId}`,
      heldBy: runId,
    });
    expect(await ledger.getCheckpoint(PIPELINE)).toEqual(checkpoint);
    expect((await ledger.lastRun(PIPELINE))?.runId).toBe(runId);
    // Its heartbeat renews the lease still: a check longer than the lease keeps the pipeline.
    const until0 = (await ledger.pipelineLeases.holderOf(PIPELINE))?.until.getTime() ?? 0;
    await until(
      async () => ((await ledger.pipelineLeases.holderOf(PIPELINE))?.until.getTime() ?? 0) > until0,
    );
  }

  /** The run let the pipeline go as its process ended: the next run takes it. */
  async function freeAfter(): Promise<void> {
    expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
    const next = randomUUID();
    expect(await takePipeline(ledger, PIPELINE, next, 'other-host 4242')).toBeNull();
    await ledger.pipelineLeases.release(PIPELINE, next, 'other-host 4242');
  }

  it('holds the pipeline while it empties the queues, its run done by its last delivery', async () => {
    const summary = await runHeldAt('drain', refusedBeside);
    expect(summary).toMatchObject({ state: 'done', read: 20 });
    expect(summary.check).toMatchObject({ sourceKeys: 20, differences: 0 });
    await freeAfter();
  }, 120_000);

  it('holds the pipeline while it makes its light check, its run done by its extract job', async () => {
    // Nothing new at the source: the extract job marks the run done.
    const summary = await runHeldAt('check', refusedBeside);
    expect(summary).toMatchObject({ state: 'done', read: 0 });
    expect(summary.check).toMatchObject({ sourceKeys: 20, differences: 0 });
    await freeAfter();
  }, 120_000);
});
