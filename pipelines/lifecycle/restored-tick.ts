/**
 * A lifecycle tick queued by a worker that installed the tick's scheduler again (Redis lost it:
 * pipelines/schedule-keeper.ts): one job per day, `lifecycle-tick-restored-<day>`, so any number
 * of workers queue one. Its day is the one of the last tick time the schedule has reached, today's
 * or an earlier day's (a tick at 23:50 whose schedule was put back at 00:10 is yesterday's).
 *
 * A restored tick of today ticks today, as the scheduled tick would (tick-job.ts). One of an
 * earlier day ticks that day, as `licbridge lifecycle run --today` does, unless the ledger has the
 * day ticked already: the schedule is put back after every Redis restart, and most of them come
 * after a day's tick ran. Ticked as its own day, not as today: its expiries are those the missed
 * tick owed and no more (a license whose last day was yesterday expires with today's tick, at the
 * schedule's time), and the day is recorded as ticked. Its reminders are judged on the real day
 * (tick.ts), so a reminder due on the missed day goes out now, once, saying the days left now.
 */

import { parseIsoDate } from '../../core/local-date.js';
import type { Runtime } from '../runtime.js';
import { LIFECYCLE_SCHEDULER_ID } from '../schedules.js';
import { realDayCovered } from './tick.js';

const RESTORED = `${LIFECYCLE_SCHEDULER_ID}-restored-`;

/** The job id of the restored tick of `day` (`YYYY-MM-DD`). */
export function restoredTickId(day: string): string {
  return `${RESTORED}${day}`;
}

/**
 * The day of a restored tick's job id, or undefined for any other job (a scheduled tick's). A copy
 * queued again after a stall-out keeps its first job's id with `-stalled-<n>` after it
 * (workers/stalled-out.ts), and the day: read without the suffix, such a copy ticked today. A day
 * no calendar has (`2026-13-45`, `2026-02-29`) is no restored tick's either: taken as its day, the
 * job failed in startOfLocalDay while it waited for the ledger's clock (tick-job.ts).
 */
export function restoredTickDay(jobId: string): string | undefined {
  if (!jobId.startsWith(RESTORED)) return undefined;
  const day = jobId.slice(RESTORED.length).replace(/-stalled-\d+$/, '');
  return parseIsoDate(day) ? day : undefined;
}

/**
 * Whether the tick of `day`, before `realToday`, left nothing to make up: every pipeline with
 * derived expiry has a real tick's watermark covering `day` (as tick.ts counts a day ticked), and
 * no tick lost on `day` or before waits for one (ledger/lost-ticks.ts). With no pipeline keeping a
 * watermark nothing tells the day was ticked, and the tick is made up (it sends what reminders are
 * due, once).
 */
export async function pastDayTicked(rt: Runtime, day: string, realToday: string): Promise<boolean> {
  const expiring = Object.keys(rt.config.pipelines).filter((p) => rt.pipelineConfig(p).expiry !== false);
  if (expiring.length === 0) return false;
  const ledger = await rt.ledger();
  for (const pipeline of expiring) {
    if (!realDayCovered(await ledger.lifecycleWatermark(pipeline), day, realToday)) return false;
  }
  return !(await ledger.lostTicks.unsettled()).some((t) => t.day <= day);
}
