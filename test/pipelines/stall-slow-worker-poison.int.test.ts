/**
 * A sign job whose every copy starves past its lock and then dies, as a job that kills its worker:
 * BullMQ stalls it out, it is queued again once, and the run fails naming the stage and the job.
 * The copies that starve and then do the work: stall-slow-worker.int.test.ts. Apart, each file
 * holds only its own process's event loop, so the two run side by side.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { MAX_STALLED_COUNT } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { BLOCK_MS, shortLocks, starve } from './starved-worker.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 20;

describe('sign jobs of a starved worker that die', () => {
  let ws: DemoWorkspace | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ws?.cleanup();
    ws = undefined;
  });

  it('a job whose every copy dies still fails the run, naming the stage and the job', async () => {
    ws = await createDemoWorkspace({ rows: ROWS });
    await shortLocks(ws);
    const config = await loadConfig({ file: ws.configFile, env: {} });
    // Every copy starves past its lock and then dies: it never signs, as a job that kills its worker.
    let copies = 0;
    vi.spyOn(KnexLedger.prototype, 'getSignatures').mockImplementation(() => {
      copies += 1;
      starve(BLOCK_MS);
      return Promise.reject(new Error('sign: the worker died'));
    });

    const [summary] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: true,
      logger: createLogger({ level: 'silent' }),
      idleTimeoutMs: 90_000,
      // Sweeps queue the same versions again under their own ids: fewer of them, fewer copies to starve.
      sweepAfterMs: 15_000,
      drainTimeoutMs: 1000,
    });
    expect(copies).toBeGreaterThan(MAX_STALLED_COUNT);
    expect(summary?.state).toBe('failed');
    expect(summary?.signed).toBe(0);
    // The stage and the job, by ids alone: no license data.
    expect(summary?.error).toMatch(
      /^sign: job sign_[0-9a-f-]{36}[a-z0-9-]*_\d+_\d+_\d+_[0-9a-f]{16}-stalled-1 stalled out 2 times: /,
    );
    expect(ws.simulator.stats().received).toBe(0);

    const rt = new Runtime(config, createLogger({ level: 'silent' }));
    try {
      const run = await (await rt.ledger()).getRun(summary?.runId ?? '');
      expect(run?.state).toBe('failed');
      expect(run?.error).toBe(summary?.error);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
