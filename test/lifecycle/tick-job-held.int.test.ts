/**
 * The scheduled tick (tick-job.ts) queues, once the day's expiries are in, what its pipelines owe:
 * only what no unfinished job of the pipeline holds. Before, it queued every unsigned version and
 * every version owed to a target beside the jobs already holding them (deliver jobs a worker had
 * not taken yet, an earlier tick's sign job waiting out a signing server's Retry-After): two jobs
 * for each, a signing server in maintenance asked again at once (and for each version twice when
 * both jobs ran at the same time). Held versions are left to their jobs, yet the tick's own new
 * versions are queued though a delayed sign job of the pipeline waits: the tick sweeps no later.
 */
import { describe, expect, it } from 'vitest';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { BACKENDS } from '../ledger/backends.js';
import { PIPELINE, TICK_DAY, tickHeldPerTest } from './tick-held-fixture.js';

describe.each(BACKENDS)('the scheduled tick beside jobs holding versions ($name)', (backend) => {
  const each = tickHeldPerTest(backend, 'tick-job-held-run');

  it('queues its new versions and what no job holds, each once', async () => {
    const held = await each.open();
    const { delivering, earlier, delivered } = held;
    const { rt, queues } = delivering;

    process.env.LICBRIDGE_TODAY = TICK_DAY;
    const result = await lifecycleJob(rt, queues, 'held-1');
    const ticked = await held.ticked();
    expect(ticked.length).toBeGreaterThan(0);
    expect(result.expired).toEqual({ [PIPELINE]: ticked.length });
    const owed = [...earlier, ...ticked].sort((a, b) => a - b);
    expect(await held.signHeld()).toEqual(owed);
    expect(await held.deliverHeld()).toEqual(delivered);

    // Lost meanwhile (a Redis restarted without persistence): the day's retry queues each once.
    await delivering.loseJobs();
    await lifecycleJob(rt, queues, 'held-2');
    expect(await held.signHeld()).toEqual(owed);
    expect(await held.deliverHeld()).toEqual(delivered);
  }, 120_000);
});
