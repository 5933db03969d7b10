/**
 * The scheduled tick (`lifecycle.schedule`, registered by `licbridge schedule`), worked by
 * `licbridge worker` on the `lifecycle` queue: the day's expiries are recorded, then what the
 * ticked pipelines owe is enqueued from the ledger for the sign and deliver workers — also for a
 * pipeline the day was already ticked for (a retry of a job that died after the watermark) —
 * and then the day's reminders are sent.
 */
import { sealIdOf } from '../../config/seal-id.js';
import type { QueueSet } from '../queues.js';
import type { Runtime } from '../runtime.js';
import { recoverPipeline } from '../sweep.js';
import { completeOpenRuns } from '../workers/complete-runs.js';
import { pastDayTicked, restoredTickDay } from './restored-tick.js';
import { lifecycleToday } from './settings.js';
import { lifecycleTick } from './tick.js';

/**
 * With `stop` aborted (the worker shuts down) the tick stops as tick.ts says and `stoppedBy` is
 * set: stopped during the expiries, nothing is enqueued nor completed; during the reminders, the
 * expiries are queued already. Either way the caller puts the job back for a worker to tick
 * again (check-workers.ts), which enqueues what this one recorded and sends what it did not.
 *
 * A tick a worker queued when it put the lost schedule back (restored-tick.ts) ticks the day of
 * its job id when that day is past and not ticked yet, and does nothing when the ledger has it
 * ticked; one of today ticks today, as the scheduled tick does.
 */
export async function lifecycleJob(
  rt: Runtime,
  queues: QueueSet,
  jobId: string,
  stop?: AbortSignal,
): Promise<{ today: string; expired: Record<string, number>; stoppedBy?: string }> {
  const restored = restoredTickDay(jobId);
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
  // `done-today` too: a retry of a job that died after the watermark enqueues that day's versions.
  const result = await lifecycleTick(rt, {
    ...(pastDay ? { today: pastDay } : {}),
    ...(stop ? { stop } : {}),
    onRecorded: async (pipelines) => {
      for (const p of pipelines) if (p.runId) await queueOwed(rt, queues, p.pipeline, p.runId, jobId);
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
