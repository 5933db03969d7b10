/**
 * A tick whose watermark another tick took over while it worked — the next day's, beginning past
 * midnight — records no day when it ends (tick-overlap test).
 * Its expiries stand, but it must not report `ticked` and say its day is done: it reports
 * `taken-over`, and `lifecycle run` says its day is not recorded as ticked. Likewise a `--today` of a
 * past day that a later day's tick covers is not "already ticked today": the covering day is named.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lifecycleRunText } from '../../cli/commands/lifecycle-run-output.js';
import { addDays } from '../../core/local-date.js';
import type { Ledger } from '../../ledger/ledger.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { obliterate } from '../support/demo-workspace.js';
import { realDayWorkspace } from './reminders-fixture.js';

/** Runs `meanwhile` once, just before the tick's first page of expiries. */
function beforeFirstPage(ledger: Ledger, meanwhile: () => Promise<void>): () => void {
  const original = ledger.expireDuePage.bind(ledger);
  let done = false;
  ledger.expireDuePage = async (input) => {
    if (!done) {
      done = true;
      await meanwhile();
    }
    return original(input);
  };
  return () => {
    ledger.expireDuePage = original;
  };
}

describe('a tick taken over while it works', () => {
  const ws = realDayWorkspace();

  it('by the next day’s tick: its expiries stand, its day is not reported ticked', async () => {
    const today = lifecycleToday(ws.config)();
    const yesterday = addDays(today, -1);
    await ws.commit(1, addDays(today, -3), { phone: '13912340041' });
    const restore = beforeFirstPage(ws.ledger, async () => {
      // The next day's tick begins, and closes the one it finds under way (as tick.ts does).
      const mark = await ws.ledger.lifecycleWatermark(ws.pipeline);
      await ws.ledger.beginLifecycleTick({ pipeline: ws.pipeline, day: today, runId: 'next-day' });
      await ws.ledger.finishLifecycleTick({
        pipeline: ws.pipeline,
        day: yesterday,
        runId: mark?.runId ?? '',
        expired: 0,
      });
    });
    try {
      const late = await lifecycleTick(ws.rt, { today: yesterday, pipelines: [ws.pipeline] });
      expect(late.pipelines).toEqual([
        expect.objectContaining({ pipeline: ws.pipeline, outcome: 'taken-over', expired: 1 }),
      ]);
      // The ledger agrees: the day under way is the next day's, under its run.
      expect(await ws.ledger.lifecycleWatermark(ws.pipeline)).toMatchObject({
        pendingDay: today,
        runId: 'next-day',
      });
      const text = lifecycleRunText({ ...late, delivery: {} });
      expect(text).toContain(
        `  ${ws.pipeline}: expired 1 (day not recorded as ticked: another tick took the watermark over meanwhile)\n`,
      );
    } finally {
      restore();
    }
  });

  it('a past day covered by a later day’s tick is said to be, not “already ticked today”', async () => {
    const today = lifecycleToday(ws.config)();
    const ticked = await lifecycleTick(ws.rt, { pipelines: [ws.pipeline] });
    expect(ticked.pipelines[0]?.outcome).toBe('ticked');
    const past = await lifecycleTick(ws.rt, { today: addDays(today, -2), pipelines: [ws.pipeline] });
    expect(past.pipelines).toEqual([
      expect.objectContaining({ outcome: 'done-today', coveredBy: today, expired: 0 }),
    ]);
    expect(lifecycleRunText({ ...past, delivery: {} })).toContain(
      `  ${ws.pipeline}: already covered by the tick of ${today}\n`,
    );
    const again = await lifecycleTick(ws.rt, { pipelines: [ws.pipeline] });
    expect(lifecycleRunText({ ...again, delivery: {} })).toContain(
      `  ${ws.pipeline}: already ticked today\n`,
    );
  });
});

describe('a scheduled tick taken over while it works', () => {
  const ws = realDayWorkspace();

  it('the scheduled tick counts a taken-over tick’s expiries as expired', async () => {
    const today = lifecycleToday(ws.config)();
    await ws.commit(1, addDays(today, -1), { phone: '13912340043' });
    // A queue prefix of its own: the job enqueues what the pipeline owes.
    const config = { ...ws.config, queue: { ...ws.config.queue, prefix: `test-${randomUUID()}` } };
    const rt = new Runtime(config, ws.rt.logger);
    const queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province']);
    const ledger = await rt.ledger();
    // Today's tick (a scheduled tick is the real day's) is taken over by tomorrow's, which begins
    // while today's is at work.
    const restore = beforeFirstPage(ledger, async () => {
      await ledger.beginLifecycleTick({ pipeline: ws.pipeline, day: addDays(today, 1), runId: 'tomorrow' });
    });
    try {
      const result = await lifecycleJob(rt, queues, 'job-1');
      expect(result.expired).toEqual({ [ws.pipeline]: 1 });
    } finally {
      restore();
      await queues.close();
      await obliterate(config.queue.prefix);
      await rt.close();
    }
  });
});
