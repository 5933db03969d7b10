/**
 * A scheduled tick stopped by its worker's shutdown goes back to the queue without spending an
 * attempt (df7a6b6a), so a worker that keeps shutting down — restarted over and over, each time
 * stopping the tick it took — neither stalls the job out nor fails it: the tick never finished,
 * and nothing but a warning per shutdown in the worker's log said so. Stopped as often as a stalled
 * job is let stall (`maxStalledCount`), the tick is recorded lost for `licbridge status`
 * (`lifecycle-tick-lost`) and logged at error, once, and still queued again; the same job then
 * taken by a worker not shutting down finishes the tick, which settles it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueSet } from '../../pipelines/queues.js';
import { lifecycleWorker } from '../../pipelines/workers/check-workers.js';
import { obliterate } from '../support/demo-workspace.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';
import { stoppedTickRig, tickTakenByShutdowns } from './tick-stopped-fixture.js';

describe('a scheduled tick stopped by one worker shutdown after another', () => {
  let ws: ReminderWorkspace;
  let queues: QueueSet | undefined;
  const prefix = `test-${randomUUID()}`;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await queues?.close();
    // Every key of the prefix: obliterating the lifecycle queue left the other queues' meta
    // behind in the shared Redis.
    await obliterate(prefix);
    await ws?.close();
  });

  it('is recorded lost for status once stopped maxStalledCount times, and still queued again unspent', {
    timeout: 30_000,
  }, async () => {
    const rig = stoppedTickRig(ws.config, prefix);
    queues = rig.queues;
    const { rt, base, logLines } = rig;
    // Every worker that takes the tick is shutting down: its stop is aborted before the tick starts.
    await tickTakenByShutdowns(rig, {}, 5);
    const job = await rig.queues.lifecycle.getJob('tick-1');
    expect(['delayed', 'waiting', 'wait']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0);
    const ledger = await rt.ledger();
    const lost = await ledger.lostTicks.unsettled();
    expect(lost.map((t) => t.jobId)).toEqual(['tick-1']);
    expect(lost[0]?.reason).toMatch(/stopped by 3 worker shutdowns/);
    // Said in the worker's log at error too, as a tick lost otherwise is (workers.ts), once.
    const said = logLines.map((l) => JSON.parse(l)).filter((l) => /tick lost/.test(l.msg));
    expect(said).toMatchObject([{ level: 50, jobId: 'tick-1', error: lost[0]?.reason }]);
    // A worker not shutting down then takes the same job and finishes the tick: the loss is settled.
    const finisher = lifecycleWorker(rt, { base, queues: rig.queues });
    finisher.on('error', () => undefined);
    try {
      const finished = new Promise<void>((resolve) => finisher.on('completed', () => resolve()));
      await finished;
    } finally {
      await finisher.close();
    }
    const after = await ledger.lostTicks.unsettled();
    await rt.close();
    expect(after).toEqual([]);
  });
});
