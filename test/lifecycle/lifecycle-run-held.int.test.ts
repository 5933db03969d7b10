/**
 * `licbridge lifecycle run` (run-tick.ts) queues, once the day's expiries are in, what its
 * pipelines owe: only what no unfinished job of the pipeline holds. Before, it queued every
 * unsigned version and every version owed to a target beside the jobs already holding them
 * (deliver jobs a worker had not taken yet, an earlier tick's sign job waiting out a signing
 * server's Retry-After): two jobs for each, a signing server in maintenance asked again at once
 * (and for each version twice when both jobs ran at the same time). Held versions are left to
 * their jobs, yet the tick's own new versions are queued though a delayed sign job waits.
 *
 * The queues are paused, so the command's own workers take nothing: it gives up waiting once
 * nothing has moved, its jobs left queued for the test to read.
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { PIPELINE, TICK_DAY, tickHeldPerTest } from './tick-held-fixture.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });

describe.each(BACKENDS)('lifecycle run beside jobs holding versions ($name)', (backend) => {
  const each = tickHeldPerTest(backend, 'lifecycle-run-held-run');

  it('queues its new versions and what no job holds, each once', async () => {
    const held = await each.open();
    const { delivering, earlier, delivered } = held;
    const { config, queues, deliver } = delivering;
    await queues.sign.pause();
    await (deliver as Queue).pause();
    const tick = () =>
      runLifecycle(config, { logger, today: TICK_DAY, pipelines: [PIPELINE], idleTimeoutMs: 1000 });

    await expect(tick()).rejects.toThrow(/nothing moved/);
    const ticked = await held.ticked();
    expect(ticked.length).toBeGreaterThan(0);
    const owed = [...earlier, ...ticked].sort((a, b) => a - b);
    expect(await held.signHeld()).toEqual(owed);
    expect(await held.deliverHeld()).toEqual(delivered);

    // Lost meanwhile (a Redis restarted without persistence): the day's next run queues each once.
    await delivering.loseJobs();
    await expect(tick()).rejects.toThrow(/nothing moved/);
    expect(await held.signHeld()).toEqual(owed);
    expect(await held.deliverHeld()).toEqual(delivered);
  }, 120_000);
});
