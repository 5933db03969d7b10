/**
 * Two ticks of the same day at once (tick-same-day-overlap): the second read the watermark while
 * the first was under way, so it resumes the first's run; the first records the day and dies
 * before queuing its versions (`lifecycle-tick-recorded`), and the second's begin lands after that
 * finish, so the watermark is the day ticked *and* the day under way, under the first's run. The
 * second dies too. The day's retry is then `done-today` with a tick of its own day pending: it
 * reported no run, so the scheduled job queued nothing and `lifecycle run` had nothing to send —
 * the day's `expire` versions stayed unsigned until the next day, expired in the ledger and valid
 * at the platform — and the run stayed owned by a process that was gone. The retry now takes the
 * pending tick of its day over as a tick of that day does (it resumes its run), so what the
 * pipeline owes is queued and the run is held by the process driving it.
 */
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import type { SignJobData } from '../../pipelines/queues.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, realDayWorkspace, tickJobQueues } from './reminders-fixture.js';

/**
 * Today's tick under `hold`, whose finish is followed at once by the begin of a second tick of the
 * day that resumed its run (it read the watermark while this one was under way) and then died.
 * Nothing is queued: the tick died after recording its day. Its run and the versions it created.
 */
async function recordedThenResumed(
  ws: ReminderWorkspace,
  hold: { owner: string; runs: string[] },
): Promise<{ runId: string; created: number[] }> {
  const today = lifecycleToday(ws.config)();
  const pipeline = ws.pipeline;
  const original = ws.ledger.finishLifecycleTick.bind(ws.ledger);
  ws.ledger.finishLifecycleTick = async (input) => {
    const done = await original(input);
    await ws.ledger.beginLifecycleTick({ pipeline, day: today, runId: input.runId, owner: 'gone-host-b 99' });
    return done;
  };
  try {
    const first = await lifecycleTick(ws.rt, { pipelines: [pipeline], hold });
    const [p] = first.pipelines;
    expect(p).toMatchObject({ outcome: 'ticked', expired: 1 });
    expect(await ws.ledger.lifecycleWatermark(pipeline)).toMatchObject({
      day: today,
      pendingDay: today,
      runId: p?.runId,
    });
    return { runId: p?.runId as string, created: (p?.created ?? []).map((c) => c.versionId) };
  } finally {
    ws.ledger.finishLifecycleTick = original;
  }
}

describe('the retry of a day whose second tick resumed the first’s run and died', () => {
  const ws = realDayWorkspace();

  it('the scheduled job queues the day’s versions for signing', async () => {
    const today = lifecycleToday(ws.config)();
    await ws.commit(1, addDays(today, -2), { phone: '13912340181' });
    const { created } = await recordedThenResumed(ws, { owner: 'gone-host-a 11', runs: [] });
    expect(created).toHaveLength(1);

    const q = tickJobQueues(ws);
    const rt = new Runtime(q.config, createLogger({ level: 'silent' }));
    try {
      await lifecycleJob(rt, q.queues, 'retry-1');
      const jobs = (await q.queues.sign.getJobs(['waiting', 'delayed', 'prioritized'])) as Job<SignJobData>[];
      expect(jobs.flatMap((j) => j.data.versionIds)).toEqual(expect.arrayContaining(created));
    } finally {
      await rt.close();
      await q.close();
    }
    // The day is ticked with nothing under way: a further retry takes nothing over.
    expect(await ws.ledger.lifecycleWatermark(ws.pipeline)).toMatchObject({ day: today, pendingDay: null });
  });
});

describe('a lifecycle run retrying a day whose second tick resumed the first’s run and died', () => {
  const ws = realDayWorkspace();

  it('holds the day’s run, no longer owned by the process that died', async () => {
    const today = lifecycleToday(ws.config)();
    await ws.commit(1, addDays(today, -2), { phone: '13912340182' });
    const { runId } = await recordedThenResumed(ws, { owner: 'gone-host-a 11', runs: [] });

    const hold = { owner: 'this-host 33', runs: [] as string[] };
    const again = await lifecycleTick(ws.rt, { pipelines: [ws.pipeline], hold });
    expect(again.pipelines).toEqual([expect.objectContaining({ runId })]);
    expect(hold.runs).toEqual([runId]);
    // As `lifecycle run` beats for its runs (run-tick.ts).
    await ws.ledger.heartbeatRuns(hold.runs, hold.owner);
    expect((await ws.ledger.getRun(runId))?.owner).toBe(hold.owner);
  });
});
