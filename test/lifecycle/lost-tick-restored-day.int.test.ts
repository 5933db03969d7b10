/**
 * A restored tick of a past day (its schedule put back after its time had passed, restored-tick.ts)
 * ticks that day; given up, it was recorded lost for the day its attempt was taken up, the next
 * one, so `status` said the tick of a day that had not failed was lost and named none for the day
 * whose tick was made up and lost. It is recorded for the day it ticks; a scheduled tick's day
 * stays the day its attempt was taken up. A copy of a restored tick queued again after a stall-out
 * (`<id>-stalled-<n>`) is the restored tick of its day too: its id was not read as one, and the copy
 * ticked today.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { recordLostTick } from '../../pipelines/lifecycle/lost-ticks.js';
import { restoredTickDay, restoredTickId } from '../../pipelines/lifecycle/restored-tick.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { obliterate } from '../support/demo-workspace.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe('a lost restored tick', () => {
  const ws = realDayWorkspace();

  it('is recorded lost for the day it ticks', async () => {
    const today = lifecycleToday(ws.config)();
    const yesterday = addDays(today, -1);
    await recordLostTick(ws.rt, { id: restoredTickId(yesterday), processedOn: Date.now() }, 'given up');
    await recordLostTick(ws.rt, { id: restoredTickId(today), processedOn: Date.now() }, 'given up');
    await recordLostTick(ws.rt, { id: 'repeat:lifecycle-tick:1', processedOn: Date.now() }, 'given up');
    // A copy queued again after a stall-out (workers/stalled-out.ts), given up in turn.
    const copy = `${restoredTickId(addDays(today, -2))}-stalled-1`;
    await recordLostTick(ws.rt, { id: copy, processedOn: Date.now() }, 'given up');
    const lost = await ws.ledger.lostTicks.unsettled();
    // Each job's day, in no order: losses are listed oldest first by the ledger's clock, and two of
    // these, recorded one after the other, may share its millisecond and be listed by job id
    // instead (lost-ticks-same-instant).
    expect(lost.map((t) => [t.jobId, t.day])).toHaveLength(4);
    expect(lost.map((t) => [t.jobId, t.day])).toEqual(
      expect.arrayContaining([
        [restoredTickId(yesterday), yesterday],
        [restoredTickId(today), today],
        ['repeat:lifecycle-tick:1', today],
        [copy, addDays(today, -2)],
      ]),
    );
  });

  it('a copy queued again after a stall-out ticks the day of the tick it copies', async () => {
    const today = lifecycleToday(ws.config)();
    const day = addDays(today, -3);
    // A license whose last day was the day before yesterday: today's tick expires it, that day's not.
    await ws.commit(1, addDays(today, -2), { phone: '13912340091' });
    const config = { ...ws.config, queue: { ...ws.config.queue, prefix: `test-${randomUUID()}` } };
    const rt = new Runtime(config, ws.rt.logger);
    const queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province']);
    try {
      const done = await lifecycleJob(rt, queues, `${restoredTickId(day)}-stalled-1`);
      expect(done).toEqual({ today: day, expired: { [ws.pipeline]: 0 } });
    } finally {
      await queues.close();
      await obliterate(config.queue.prefix);
      await rt.close();
    }
    expect(restoredTickDay(`${restoredTickId('2026-12-03')}-stalled-2`)).toBe('2026-12-03');
    expect(restoredTickDay(restoredTickId('2026-12-03'))).toBe('2026-12-03');
    expect(restoredTickDay('repeat:lifecycle-tick:1-stalled-1')).toBeUndefined();
  });
});
