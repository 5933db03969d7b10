/**
 * A run's job that fails for good in a `licbridge worker` process fails the run in the ledger, with
 * the job's reason, as `licbridge run` does; a run that already ended, or whose extract job failed
 * after the run was extracted, keeps its state. The worker runs in this process (the command as
 * `licbridge worker` runs it) and is stopped as SIGTERM stops it.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { recordRunFailure } from '../../pipelines/workers/run-failures.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

/** Stops the in-process command as a signal would: its own SIGTERM listeners, called once. */
function sendSigterm(before: ReadonlySet<unknown>): void {
  for (const l of process.listeners('SIGTERM')) {
    if (before.has(l)) continue;
    process.removeListener('SIGTERM', l);
    (l as (signal: string) => void)('SIGTERM');
  }
}

/** Removes the signal listeners the command left (a process of its own would have exited). */
function dropListeners(before: Record<'SIGTERM' | 'SIGINT', ReadonlySet<unknown>>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    for (const l of process.listeners(signal))
      if (!before[signal].has(l)) process.removeListener(signal, l as () => void);
}

describe('licbridge worker: a run whose job fails for good', () => {
  let ws: DemoWorkspace | undefined;
  let rt: Runtime | undefined;
  let queues: QueueSet | undefined;

  afterEach(async () => {
    await queues?.close();
    await rt?.close();
    await ws?.cleanup();
    ws = rt = queues = undefined;
  });

  it('is failed in the ledger with the reason', async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    rt = new Runtime(config, quiet);
    queues = createQueues(queueConnection(config.queue.redis), ws.prefix, ['province'], quiet);
    const ledger = await rt.ledger();
    // A pipeline taken out of the config while its run's jobs were queued: its sign job cannot
    // work and fails at once (no retry passes a config error).
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: 'retired-pipeline', mode: 'incremental' });
    await queues.sign.add('sign', { pipeline: 'retired-pipeline', runId, versionIds: [1] });

    const before = {
      SIGTERM: new Set(process.listeners('SIGTERM')),
      SIGINT: new Set(process.listeners('SIGINT')),
    };
    // Within the case's 90 s with its set-up before and the 10 s a command past its limit is
    // given to stop (test/support/cli-in-process.ts): so this limit's message is the one seen.
    const worker = licbridge(['worker', '--config', ws.configFile, '--stages', 'sign'], {
      cwd: ws.dir,
      timeoutMs: 60_000,
    });
    let state: string | undefined;
    try {
      for (let waited = 0; waited < 40_000; waited += 100) {
        state = (await ledger.getRun(runId))?.state;
        if (state !== 'running') break;
        await sleep(100);
      }
    } finally {
      // Once the command waits for its signal.
      for (let i = 0; i < 100 && process.listeners('SIGTERM').every((l) => before.SIGTERM.has(l)); i++)
        await sleep(50);
      sendSigterm(before.SIGTERM);
    }
    const result = await worker;
    // Stopped, it leaves no signal listener: a signal after it would go unheard instead of ending the process.
    const left = (signal: 'SIGTERM' | 'SIGINT') =>
      process.listeners(signal).filter((l) => !before[signal].has(l)).length;
    const leftOver = { SIGTERM: left('SIGTERM'), SIGINT: left('SIGINT') };
    dropListeners(before);
    expect(leftOver).toEqual({ SIGTERM: 0, SIGINT: 0 });
    expect(result.stderr).not.toContain('left open');
    expect(result.status).toBe(0);
    expect(state).toBe('failed');
    const run = await ledger.getRun(runId);
    expect(run?.error).toMatch(/^sign: pipeline: unknown pipeline `retired-pipeline`/);
    expect(await queues.sign.getFailedCount()).toBe(1);
  }, 90_000);

  it('keeps an ended run, and a run extracted before its extract job failed, as they are', async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    rt = new Runtime(config, quiet);
    const ledger = await rt.ledger();
    const extracted = randomUUID();
    await ledger.startRun({ runId: extracted, pipeline: PIPELINE, mode: 'incremental' });
    await ledger.markExtracted(extracted);
    expect(await recordRunFailure(ledger, extracted, 'extract: ledger: busy', quiet)).toBe('kept');
    expect((await ledger.getRun(extracted))?.state).toBe('running');
    // Another stage's failure fails it all the same.
    expect(await recordRunFailure(ledger, extracted, 'sign: signer: refused', quiet)).toBe('failed');
    expect((await ledger.getRun(extracted))?.error).toBe('sign: signer: refused');
    // Ended: its outcome stands.
    expect(await recordRunFailure(ledger, extracted, 'deliver-province: timeout', quiet)).toBe('kept');
    expect((await ledger.getRun(extracted))?.error).toBe('sign: signer: refused');
    expect(await recordRunFailure(ledger, randomUUID(), 'sign: x', quiet)).toBe('kept');
  }, 30_000);
});
