/**
 * An extract job BullMQ failed as "stalled more than allowable limit" (see ./stalled-out.ts for
 * sign and deliver jobs; a scheduled one fails so in our worker, ./stalled-scheduled.ts). Its
 * copies worked one run, and re-extraction is safe: a run's pages form one chain
 * (ledger/commit-page-chain.ts), so a copy overtaken by another commits nothing and steps back, and
 * a copy that finds the run extracted only finishes it (its unsigned versions queued, the completion
 * check). So a stall-out is not the run's failure by itself:
 * - the run has ended (done, failed, or abandoned to a later run): its outcome stands;
 * - otherwise the job is queued again under a fresh id, at most STALL_REQUEUES times, with the
 *   run's id in its data (a scheduled job carries none: its copy must work the same run);
 * - past that it is a poison job, and the run fails naming the job, as any extract job failing for
 *   good does — unless the run was extracted, which then ends `done` when its work does.
 */
import type { Job } from 'bullmq';
import { errorLine } from '../../core/errors.js';
import type { ExtractJobData, QueueSet } from '../queues.js';
import { extractJobRunId } from '../run-liveness.js';
import type { Runtime } from '../runtime.js';
import { requeueStalled, type StallOutcome } from './stalled-out.js';

/** What becomes of an extract job that stalled out. */
export async function settleStalledExtract(
  rt: Runtime,
  queues: QueueSet,
  queue: string,
  job: Job<ExtractJobData>,
): Promise<StallOutcome> {
  const runId = extractJobRunId(job);
  try {
    const run = await (await rt.ledger()).getRun(runId);
    if (run && run.state !== 'running') return { kind: 'done' };
  } catch (error) {
    // The ledger cannot say: queue it again; the fresh job finds the run as it is.
    rt.logger.warn(
      { queue, jobId: job.id ?? '', error: errorLine(error) },
      'job: could not check a stalled-out job in the ledger',
    );
  }
  return requeueStalled({
    queue,
    job,
    // A scheduled job carries no run id: its copy works the run it opened.
    data: { ...job.data, runId },
    add: (next, jobId) => queues.extract.add('extract', next, { jobId }),
    taken: async (jobId) => (await queues.extract.getJobState(jobId)) !== 'unknown',
    giveUp: 'failed',
    exhausted: "the pipeline's next run reads on from its checkpoint",
  });
}
