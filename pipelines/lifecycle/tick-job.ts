/**
 * The scheduled tick (`lifecycle.schedule`, registered by `licbridge schedule`), worked by
 * `licbridge worker` on the `lifecycle` queue: the day's expiries are recorded, then what the
 * ticked pipelines owe is enqueued from the ledger for the sign and deliver workers — also for a
 * pipeline the day was already ticked for (a retry of a job that died after the watermark) —
 * and then the day's reminders are sent.
 */
import { sealIdOf } from '../../config/seal-id.js';
import { localDate } from '../../core/local-date.js';
import type { QueueSet } from '../queues.js';
import { pauseUnlessStopped } from '../run-stop.js';
import type { Runtime } from '../runtime.js';
import { LIFECYCLE_SCHEDULER_ID } from '../schedules.js';
import { recoverPipeline } from '../sweep.js';
import { completeOpenRuns } from '../workers/complete-runs.js';
import { startOfLocalDay } from './calendar.js';
import { pastDayTicked, restoredTickDay } from './restored-tick.js';
import { judgedToday, lifecycleSettings, lifecycleToday, pinnedToday } from './settings.js';
import { lifecycleTick } from './tick.js';

/** How far the ledger's clock may be behind the day a tick was fired for before the tick stops waiting for it. */
const LEDGER_BEHIND_MAX_MS = 5 * 60_000;
/** How often the ledger's clock is read again while the tick waits for it. */
const LEDGER_BEHIND_POLL_MS = 1_000;

/**
 * The instant the lifecycle tick's job scheduler fired job `jobId` for: BullMQ names the jobs of a
 * job scheduler `repeat:<scheduler id>:<ms>` (a copy queued again after a stall-out keeps it, with
 * `-stalled-<n>` after it: workers/stalled-out.ts). Undefined for any other job.
 */
export function scheduledTickAt(jobId: string): number | undefined {
  const m = new RegExp(`^repeat:${LIFECYCLE_SCHEDULER_ID}:(\\d+)(?:-stalled-\\d+)?$`).exec(jobId);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * The day a tick job ticks when taken up at `takenUp` (by the ledger's clock), as lifecycleJob
 * tells it: a restored tick of a day before the ledger's ticks that day; a job of a day the ledger
 * has not reached waits for it (awaitLedgerDay) and ticks it, or the ledger's day once the wait
 * is given up; any other job the ledger's day. A lost tick is recorded for this day
 * (lost-ticks.ts), the one whose tick settles it.
 */
export function tickJobDay(config: Runtime['config'], jobId: string, takenUp: Date): string {
  const zone = lifecycleSettings(config).timeZone;
  const ranOn = judgedToday(config, { now: takenUp });
  const at = scheduledTickAt(jobId);
  const day = at === undefined ? restoredTickDay(jobId) : localDate(zone, new Date(at));
  if (day === undefined || day === ranOn) return ranOn;
  if (day < ranOn) return at === undefined ? day : ranOn;
  // Ticked once the ledger's clock reached the day, or when the wait ran out: the ledger's day then.
  const waited = Math.min(startOfLocalDay(day, zone).getTime(), takenUp.getTime() + LEDGER_BEHIND_MAX_MS);
  return judgedToday(config, { now: new Date(waited) });
}

/**
 * Waits, up to LEDGER_BEHIND_MAX_MS, for the ledger's clock to reach the day in
 * `lifecycle.timeZone` the scheduler fired job `jobId` for. The tick tells its day by the ledger's
 * clock (tick.ts), as a page's commit does; a worker whose clock is ahead of the ledger's, firing
 * a tick scheduled at midnight (`0 0 * * *`), found the ledger still on the day before, took itself
 * for a second tick of that day (`done-today`) and expired nothing: the day's expiries waited for
 * the next day's tick, and a reminder due on their last day never went out. Not ticked as the
 * fired day at once either: a page mapped the day before and committed while the ledger's clock
 * still read that day would bring back a license the tick had just expired (ledger/commit-page.ts).
 *
 * A restored tick (restored-tick.ts) waits for its day the same way: queued by a worker ahead of
 * the ledger that put the schedule back just after midnight, it stands in for that day's scheduled
 * tick, which the schedule put back no longer fires. Taken up while the ledger still read the day
 * before, it ticked that day (`done-today`), and its own day got no tick until the next one's.
 */
async function awaitLedgerDay(rt: Runtime, jobId: string, stop?: AbortSignal): Promise<void> {
  // A pinned today is every clock's.
  if (pinnedToday() !== undefined) return;
  const zone = lifecycleSettings(rt.config).timeZone;
  const at = scheduledTickAt(jobId);
  const day = at === undefined ? restoredTickDay(jobId) : localDate(zone, new Date(at));
  if (day === undefined) return;
  const ledger = await rt.ledger();
  const until = Date.now() + LEDGER_BEHIND_MAX_MS;
  for (;;) {
    const ledgerNow = await ledger.lostTicks.now();
    const ledgerDay = localDate(zone, ledgerNow);
    if (ledgerDay >= day || stop?.aborted) return;
    if (Date.now() >= until) {
      // The ledger's own day, not "the day before": a worker's clock may be days ahead of it. And
      // "the tick of", not "fired for": a restored tick was queued by a worker, not fired.
      rt.logger.warn(
        { day, ledgerDay, jobId, ledgerNow: ledgerNow.toISOString() },
        `lifecycle: the tick of ${day} found the ledger's clock on ${ledgerDay} after waiting ${LEDGER_BEHIND_MAX_MS / 60_000} minutes for it to reach that day; ticking the ledger's day (check the clocks of the ledger's database and the workers)`,
      );
      return;
    }
    const left = startOfLocalDay(day, zone).getTime() - ledgerNow.getTime();
    await pauseUnlessStopped(Math.min(Math.max(left, 10), LEDGER_BEHIND_POLL_MS), stop);
  }
}

/**
 * With `stop` aborted (the worker shuts down) the tick stops as tick.ts says and `stoppedBy` is
 * set: stopped during the expiries, nothing is enqueued nor completed; during the reminders, the
 * expiries are queued already. Either way the caller puts the job back for a worker to tick
 * again (check-workers.ts), which enqueues what this one recorded and sends what it did not.
 *
 * A tick a worker queued when it put the lost schedule back (restored-tick.ts) ticks the day of
 * its job id when that day is past and not ticked yet, and does nothing when the ledger has it
 * ticked; one of today ticks today, as the scheduled tick does. Either kind, scheduled or restored,
 * of a day the ledger's clock has not reached yet first waits for it (awaitLedgerDay, 5 minutes
 * at most).
 */
export async function lifecycleJob(
  rt: Runtime,
  queues: QueueSet,
  jobId: string,
  stop?: AbortSignal,
): Promise<{ today: string; expired: Record<string, number>; stoppedBy?: string }> {
  const restored = restoredTickDay(jobId);
  await awaitLedgerDay(rt, jobId, stop);
  // By the ledger's clock, as the tick tells its day (tick.ts).
  const realToday = lifecycleToday(rt.config)(await (await rt.ledger()).lostTicks.now());
  const pastDay = restored !== undefined && restored < realToday ? restored : undefined;
  if (pastDay !== undefined) {
    if (await pastDayTicked(rt, pastDay, realToday)) {
      rt.logger.info(
        { day: pastDay, jobId },
        `lifecycle: the tick of ${pastDay} had run before its schedule was put back; nothing to make up`,
      );
      // Ticked perhaps by this very job, whose attempt died after recording the day and before
      // queuing its versions: what the pipelines owe is queued, as a scheduled tick's retry does
      // (`done-today` below). Left out, the made-up tick's expiries reached no platform from it.
      const ledger = await rt.ledger();
      for (const pipeline of Object.keys(rt.config.pipelines)) {
        if (rt.pipelineConfig(pipeline).expiry === false) continue;
        const runId = (await ledger.lifecycleWatermark(pipeline))?.runId;
        if (runId) await queueOwed(rt, queues, pipeline, runId, jobId);
      }
      return { today: pastDay, expired: {} };
    }
    rt.logger.warn(
      { day: pastDay, jobId },
      `lifecycle: the tick of ${pastDay} is not in the ledger (its schedule was missing from Redis when it was due); ticking that day now`,
    );
  }
  // What the ticked pipelines owe is queued once their expiries are recorded, before the
  // reminders: a reminder step that threw (and threw again at each retry, `done-today`) failed
  // the job before the queuing, and the day's expiries reached no platform from the tick.
  // `done-today` too: a retry of a job that died after the watermark enqueues that day's versions,
  // under the run of a tick of another day when one is under way or died (tick.ts `owedUnder`).
  const result = await lifecycleTick(rt, {
    ...(pastDay ? { today: pastDay } : {}),
    ...(stop ? { stop } : {}),
    onRecorded: async (pipelines) => {
      for (const p of pipelines) {
        const runId = p.runId ?? p.owedUnder;
        if (runId) await queueOwed(rt, queues, p.pipeline, runId, jobId);
      }
    },
  });
  if (result.stoppedBy !== undefined) {
    rt.logger.warn(
      { today: result.today, reminders: result.reminders?.stopped },
      'lifecycle: scheduled tick stopped by the worker shutting down; queued again for another worker',
    );
    return { today: result.today, expired: {}, stoppedBy: result.stoppedBy };
  }
  const expired: Record<string, number> = {};
  for (const p of result.pipelines)
    if (p.runId && (p.outcome === 'ticked' || p.outcome === 'taken-over')) expired[p.pipeline] = p.expired;
  rt.logger.info({ today: result.today, expired }, 'lifecycle: scheduled tick done');
  return { today: result.today, expired };
}

/** Queues what `pipeline` owes under the tick's run `runId`, and completes the run when it owes nothing. */
async function queueOwed(
  rt: Runtime,
  queues: QueueSet,
  pipeline: string,
  runId: string,
  jobId: string,
): Promise<void> {
  // Only what no unfinished job holds (deliver jobs not taken yet, a sign job waiting out
  // Retry-After): a copy beside each asked a signing server in maintenance or the platform again
  // (and signed twice when both ran at once). The tick's new versions are queued beside a
  // delayed sign job all the same: no sweep follows here to queue them later.
  await recoverPipeline(rt, queues, pipeline, runId, `${runId}-${jobId}`, { leaveHeld: true });
  // A tick that expired nothing (most days) owes nothing, and no job of its run will ever look:
  // completed here, or it stays `running` for good. One that owes is completed by its deliver jobs.
  // So is an earlier tick's whose work is done, one that died after recording a day that expired
  // nothing (a `lifecycle run` killed): no deliver job of it will ever look either.
  const parts = rt.pipelineConfig(pipeline);
  const ledger = await rt.ledger();
  await ledger.completeRun(runId, sealIdOf(rt.config, parts), parts.targets);
  await completeOpenRuns(ledger, { pipeline, except: runId }, sealIdOf(rt.config, parts), parts.targets);
}
