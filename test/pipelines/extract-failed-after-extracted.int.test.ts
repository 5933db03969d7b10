/**
 * An extract job that fails for good after its run's extraction was over — the completion check
 * that follows it, queueing the versions a crash left unsigned — marked the run `failed`: the
 * worker did, and `licbridge run` did again from the job's failure. Its licenses were all in the
 * ledger and went on to be signed and delivered, but the run stayed failed for good, and the
 * summary and `status` said so. Such a run now goes on: it ends `done` once its versions are
 * signed and delivered — also when nothing of it is left to sign or deliver, so that no deliver
 * job checks it: the pipeline's next run does.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 8;

describe('an extract job failing for good after its run was extracted', () => {
  let ws: DemoWorkspace | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ws?.cleanup();
    ws = undefined;
  });

  it('leaves the run to end done, its versions signed and delivered', async () => {
    ws = await createDemoWorkspace({ rows: ROWS });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const completeRun = KnexLedger.prototype.completeRun;
    let extracted = false;
    // The extract job's completion check, its first after the extraction, fails for good.
    vi.spyOn(KnexLedger.prototype, 'completeRun').mockImplementation(async function (
      this: KnexLedger,
      ...args
    ) {
      const run = await this.getRun(args[0]);
      if (!extracted && run?.extractedAt) {
        extracted = true;
        throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: completeRun failed: the check was refused', {
          retryable: false,
        });
      }
      return completeRun.apply(this, args);
    });

    const [summary] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: true,
      logger: createLogger({ level: 'silent' }),
      idleTimeoutMs: 30_000,
    });
    expect(extracted).toBe(true);
    expect(summary?.state).toBe('done');
    expect(summary?.error).toBeUndefined();
    expect((summary?.created ?? 0) + (summary?.quarantined ?? 0)).toBe(ROWS);

    const rt = new Runtime(config, createLogger({ level: 'silent' }));
    try {
      const ledger = await rt.ledger();
      const run = await ledger.getRun(summary?.runId ?? '');
      expect(run?.state).toBe('done');
      expect(run?.error).toBeNull();
      const p = rt.pipelineConfig(PIPELINE);
      const progress = await ledger.runProgress(run?.runId ?? '', sealIdOf(config, p), p.targets);
      expect(progress.signed).toBe(run?.created);
      expect(progress.delivered.province).toBe(run?.created);
    } finally {
      await rt.close();
    }
  }, 90_000);

  it('leaves the run done when its deliveries ended it before the extract job failed', async () => {
    ws = await createDemoWorkspace({ rows: ROWS });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const completeRun = KnexLedger.prototype.completeRun;
    let failed = false;
    // The extract job's completion check fails for good, once the deliver workers have ended the
    // run `done`: the failure reaches \`licbridge run\` about a run already done.
    vi.spyOn(KnexLedger.prototype, 'completeRun').mockImplementation(async function (
      this: KnexLedger,
      ...args
    ) {
      const fromExtract = new Error().stack?.includes('extract-worker') ?? false;
      const run = await this.getRun(args[0]);
      if (!failed && fromExtract && run?.extractedAt) {
        failed = true;
        throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: completeRun failed: the check was refused', {
          retryable: false,
        });
      }
      return completeRun.apply(this, args);
    });
    // \`licbridge run\` next looks at the run once the deliver workers have ended it.
    const getRun = KnexLedger.prototype.getRun;
    vi.spyOn(KnexLedger.prototype, 'getRun').mockImplementation(async function (this: KnexLedger, ...args) {
      // The run's own looks: its polls (run-poll.ts) and its settling (run-settle.ts).
      const fromRun = /at (pollRun|settle) \(/.test(new Error().stack ?? '');
      for (let i = 0; fromRun && failed && i < 400; i++) {
        if ((await getRun.apply(this, args))?.state === 'done') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return getRun.apply(this, args);
    });
    const [summary] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: true,
      logger: createLogger({ level: 'silent' }),
      idleTimeoutMs: 30_000,
    });
    expect(failed).toBe(true);
    expect(summary?.error).toBeUndefined();
    expect(summary?.state).toBe('done');
  }, 90_000);

  it('a scheduled run with nothing left to deliver ends done with the next run', async () => {
    ws = await createDemoWorkspace({ rows: ROWS });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const rt = new Runtime(config, createLogger({ level: 'silent' }));
    const queues = createQueues(
      queueConnection(config.queue.redis),
      config.queue.prefix,
      ['province'],
      rt.logger,
    );
    // Workers alone, as a scheduled deployment runs: no `licbridge run` settles a run.
    const workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages: ['extract'],
    });
    const completeRun = KnexLedger.prototype.completeRun;
    // The second run's own completion check fails for good; it read nothing new.
    vi.spyOn(KnexLedger.prototype, 'completeRun').mockImplementation(async function (
      this: KnexLedger,
      ...args
    ) {
      if (args[0] === 'scheduled-tick-2')
        throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: completeRun failed: the check was refused', {
          retryable: false,
        });
      return completeRun.apply(this, args);
    });
    const tick = async (id: string, expected: string) => {
      const job = await queues.extract.add(
        'extract',
        { pipeline: PIPELINE, runId: '', full: false },
        { jobId: id, attempts: 1 },
      );
      while (!['completed', 'failed'].includes(await job.getState()))
        await new Promise((r) => setTimeout(r, 50));
      expect(await job.getState()).toBe(expected);
    };
    try {
      const ledger = await rt.ledger();
      await tick('tick-1', 'completed');
      await tick('tick-2', 'failed');
      const second = await ledger.getRun('scheduled-tick-2');
      expect(second).toMatchObject({ state: 'running', created: 0 });
      expect(second?.extractedAt).toBeInstanceOf(Date);
      vi.mocked(KnexLedger.prototype.completeRun).mockImplementation(completeRun);
      await tick('tick-3', 'completed');
      expect((await ledger.getRun('scheduled-tick-3'))?.state).toBe('done');
      // Its versions none, its job failed: the next run's extraction found it complete.
      expect(await ledger.getRun('scheduled-tick-2')).toMatchObject({ state: 'done', error: null });
    } finally {
      await workers.close();
      await queues.close();
      await rt.close();
    }
  }, 90_000);
});
