/**
 * A lifecycle tick job of a day taken up while the ledger's clock still reads the day before (a
 * worker whose clock is a little ahead of the ledger's, just after midnight): it must tick that day
 * once the ledger's clock reaches it, and nothing while it still reads the day before. The
 * ledger's clock is played by its first three readings, 40 ms before its midnight; then it goes on.
 * Used by the scheduled tick's test (tick-job-ledger-behind) and the restored tick's
 * (restored-tick-ledger-behind), which differ in the job's id only.
 */
import { expect, vi } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { startOfLocalDay } from '../../pipelines/lifecycle/calendar.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, tickJobQueues } from './reminders-fixture.js';

export const ZONE = 'Asia/Shanghai';

/**
 * Commits license `n` valid through yesterday, records yesterday's tick, runs the job `jobId(day,
 * midnight)` names, and checks it expired the license on `day` and ticked nothing before the
 * ledger's clock reached it.
 */
export async function ticksTheDayOnceTheLedgerReachesIt(
  ws: ReminderWorkspace,
  n: number,
  jobId: (day: string, midnight: number) => string,
): Promise<void> {
  const day = localDate(ZONE, await ws.ledger.lostTicks.now());
  // Valid through yesterday: the tick of `day` expires it.
  await ws.commit(n, addDays(day, -1), { phone: `139123401${String(n).padStart(2, '0')}` });
  // Yesterday's tick ran: its day is recorded.
  await lifecycleTick(ws.rt, { today: addDays(day, -1) });
  const { config, queues, close } = tickJobQueues(ws);
  const rt = new Runtime(config, createLogger({ level: 'silent' }));
  try {
    const ledger = await rt.ledger();
    const midnight = startOfLocalDay(day, ZONE).getTime();
    const now = ledger.lostTicks.now.bind(ledger.lostTicks);
    let readings = 0;
    // The day the watermark read when the ledger's clock first reached `day`: nothing may have
    // ticked while the ledger still read the day before (not `day` at once, as a rehearsal).
    let markAtMidnight: string | null | undefined;
    vi.spyOn(ledger.lostTicks, 'now').mockImplementation(async () => {
      readings += 1;
      if (readings <= 3) return new Date(midnight - 40);
      if (readings === 4) markAtMidnight = (await ledger.lifecycleWatermark(ws.pipeline))?.day;
      return now();
    });
    const done = await lifecycleJob(rt, queues, jobId(day, midnight));
    expect(done.today).toBe(day);
    expect(done.expired).toEqual({ [ws.pipeline]: 1 });
    const state = (await ledger.reminders.licenseStates([ws.licenseId(n)])).get(ws.licenseId(n));
    expect(state?.status).toBe('expired');
    expect((await ledger.lifecycleWatermark(ws.pipeline))?.day).toBe(day);
    expect(markAtMidnight).toBe(addDays(day, -1));
  } finally {
    vi.restoreAllMocks();
    await close();
    await rt.close();
  }
}
