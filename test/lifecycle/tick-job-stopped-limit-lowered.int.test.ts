/**
 * A scheduled tick stopped by worker shutdowns is recorded lost once stopped `maxStalledCount` times
 * (tick-job-stopped-again). The count was matched exactly: a job already stopped more times than a
 * `maxStalledCount` lowered since (a worker started again with a smaller one) never matched it, and
 * its tick was never recorded lost however often it was stopped. Now a count at or past the limit
 * records it, once, and says so in the log once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueSet } from '../../pipelines/queues.js';
import { obliterate } from '../support/demo-workspace.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';
import { stoppedTickRig, tickTakenByShutdowns } from './tick-stopped-fixture.js';

describe('a scheduled tick stopped past a maxStalledCount lowered below its count', () => {
  let ws: ReminderWorkspace;
  let queues: QueueSet | undefined;
  const prefix = `test-${randomUUID()}`;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await queues?.close();
    await obliterate(prefix);
    await ws?.close();
  });

  it('is recorded lost for status once, and still queued again unspent', { timeout: 30_000 }, async () => {
    const rig = stoppedTickRig(ws.config, prefix);
    queues = rig.queues;
    const { rt, logLines } = rig;
    // Stopped four times under a limit of five; the worker that takes it now allows three.
    await tickTakenByShutdowns(rig, { stops: 4 }, 3);
    const job = await rig.queues.lifecycle.getJob('tick-1');
    const lost = await (await rt.ledger()).lostTicks.unsettled();
    await rt.close();
    expect(['delayed', 'waiting', 'wait']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0);
    expect(lost.map((t) => t.jobId)).toEqual(['tick-1']);
    expect(lost[0]?.reason).toMatch(/stopped by 5 worker shutdowns/);
    const said = logLines.map((l) => JSON.parse(l)).filter((l) => /tick lost/.test(l.msg));
    expect(said).toMatchObject([{ level: 50, jobId: 'tick-1', error: lost[0]?.reason }]);
  });
});
