/**
 * A worker whose event loop is starved past `queue.lockDurationMs` loses its jobs' locks while it
 * is alive: BullMQ's stalled check puts each job back, another slot takes a second copy, and a
 * job stalled more than MAX_STALLED_COUNT times failed for good and failed its run — though its
 * copies did, or would have done, the work, and the ledger keeps them from doing it twice. A job
 * whose every copy dies: stall-slow-worker-poison.int.test.ts, beside this file.
 */
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import { createLogger } from '../../core/logger.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import { SIGN_QUEUE } from '../../pipelines/queues.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { MAX_STALLED_COUNT } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { BLOCK_MS, shortLocks, starve } from './starved-worker.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 20;

interface LogLine {
  msg: string;
  queue?: string;
  jobId?: string;
  err?: { message?: string };
}

describe('sign jobs of a starved worker', () => {
  let ws: DemoWorkspace | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ws?.cleanup();
    ws = undefined;
  });

  it('stalled out while their copies did the work: the run ends done, each license delivered once', async () => {
    ws = await createDemoWorkspace({ rows: ROWS });
    await shortLocks(ws);
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const getSignatures = KnexLedger.prototype.getSignatures;
    // Every copy of a sign job starts by reading the page's signatures: each starves there, past
    // its lock, until BullMQ fails one as stalled too often. Its copies sign meanwhile; the
    // deliveries wait for that failure, as they would behind a starved worker, so the run is not
    // over before it.
    const sign = new Queue(SIGN_QUEUE, { connection: { host: '127.0.0.1', port: 6379 }, prefix: ws.prefix });
    const stalledOut = async () => (await sign.getFailedCount()) > 0;
    let starved = 0;
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    vi.spyOn(KnexLedger.prototype, 'getSignatures').mockImplementation(async function (
      this: KnexLedger,
      ids,
    ) {
      const signing = new Error().stack?.includes('signVersions') === true;
      if (signing && !(await stalledOut())) {
        starved += 1;
        starve(BLOCK_MS);
      }
      for (let waited = 0; !signing && waited < 60_000 && !(await stalledOut()); waited += 200)
        await sleep(200);
      return getSignatures.call(this, ids);
    });

    const [summary] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: true,
      logger: createLogger({ level: 'warn', destination: sink }),
      idleTimeoutMs: 60_000,
      // No sweep queues the versions under other ids meanwhile: the stalled job alone holds them.
      sweepAfterMs: 60_000,
    });
    await sign.close();
    expect(summary?.error).toBeUndefined();
    expect(summary?.state).toBe('done');
    expect(starved).toBeGreaterThan(MAX_STALLED_COUNT);
    const created = summary?.created ?? 0;
    expect(created).toBeGreaterThan(0);
    expect(summary?.signed).toBe(created);
    expect(summary?.delivered.province).toBe(created);
    // A lost lock is told once per job, not at every renewal BullMQ tries and every copy's end.
    const logged = lines.map((l) => JSON.parse(l) as LogLine);
    expect(logged.filter((l) => l.msg === 'worker: error' && /lock/i.test(l.err?.message ?? ''))).toEqual([]);
    const lost = logged.filter((l) => l.msg.startsWith('job: lost its lock'));
    expect(lost.length).toBeGreaterThan(0);
    expect(new Set(lost.map((l) => `${l.queue} ${l.jobId}`)).size).toBe(lost.length);
    // Each license reached the platform once: no copy sent it again.
    const stats = ws.simulator.stats();
    expect(stats.accepted).toBe(created);
    expect(stats.duplicates).toBe(0);
    expect(stats.received).toBe(created);

    const rt = new Runtime(config, createLogger({ level: 'silent' }));
    try {
      const ledger = await rt.ledger();
      const run = await ledger.getRun(summary?.runId ?? '');
      expect(run?.state).toBe('done');
      const p = rt.pipelineConfig(PIPELINE);
      const progress = await ledger.runProgress(run?.runId ?? '', sealIdOf(config, p), p.targets);
      expect(progress.signed).toBe(created);
      expect(progress.delivered.province).toBe(created);
    } finally {
      await rt.close();
    }
  }, 120_000);

  it('stalled out before any copy did the work: queued again once, the run ends done', async () => {
    ws = await createDemoWorkspace({ rows: ROWS });
    await shortLocks(ws);
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const getSignatures = KnexLedger.prototype.getSignatures;
    // The copies BullMQ recovers starve and then die before signing; the one queued again works.
    let copies = 0;
    vi.spyOn(KnexLedger.prototype, 'getSignatures').mockImplementation(function (this: KnexLedger, ids) {
      copies += 1;
      if (copies > MAX_STALLED_COUNT + 1) return getSignatures.call(this, ids);
      starve(BLOCK_MS);
      return Promise.reject(new Error('sign: the worker died'));
    });

    const [summary] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: true,
      logger: createLogger({ level: 'silent' }),
      idleTimeoutMs: 60_000,
      // No sweep queues the versions under other ids: the job queued again alone signs them.
      sweepAfterMs: 60_000,
    });
    expect(summary?.error).toBeUndefined();
    expect(summary?.state).toBe('done');
    const created = summary?.created ?? 0;
    expect(summary?.signed).toBe(created);
    expect(summary?.delivered.province).toBe(created);
    const stats = ws.simulator.stats();
    expect(stats.accepted).toBe(created);
    expect(stats.received).toBe(created);
  }, 120_000);
});
