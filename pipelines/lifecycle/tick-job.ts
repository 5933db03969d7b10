/**
 * The scheduled tick (`lifecycle.schedule`, registered by `licbridge schedule`), worked by
 * `licbridge worker` on the `lifecycle` queue: the day's expiries are recorded, then what the
 * ticked pipelines owe is enqueued from the ledger for the sign and deliver workers — also for a
 * pipeline the day was already ticked for (a retry of a job that died after the watermark).
 */
import { sealIdOf } from '../../config/seal-id.js';
import type { QueueSet } from '../queues.js';
import type { Runtime } from '../runtime.js';
import { recoverPipeline } from '../sweep.js';
import { lifecycleTick } from './tick.js';

export async function lifecycleJob(
  rt: Runtime,
  queues: QueueSet,
  jobId: string,
): Promise<{ today: string; expired: Record<string, number> }> {
  const result = await lifecycleTick(rt);
  const expired: Record<string, number> = {};
  for (const p of result.pipelines) {
    // `done-today` too: a retry of a job that died after the watermark enqueues that day's versions.
    if (!p.runId) continue;
    if (p.outcome === 'ticked' || p.outcome === 'taken-over') expired[p.pipeline] = p.expired;
    await recoverPipeline(rt, queues, p.pipeline, p.runId, `${p.runId}-${jobId}`);
    // A tick that expired nothing (most days) owes nothing, and no job of its run will ever look:
    // completed here, or it stays `running` for good. One that owes is completed by its deliver jobs.
    const parts = rt.pipelineConfig(p.pipeline);
    await (await rt.ledger()).completeRun(p.runId, sealIdOf(rt.config, parts), parts.targets);
  }
  rt.logger.info({ today: result.today, expired }, 'lifecycle: scheduled tick done');
  return { today: result.today, expired };
}
